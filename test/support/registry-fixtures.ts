import { randomInt, randomUUID } from 'node:crypto';
import type { ApiClient } from './api-client.ts';
import { bornMonthsAgo, idNumberFor, recentMonths } from './ids.ts';

/** A provider in our registry (local dev endpoint), registered and inclusive unless told otherwise. */
export async function registerProvider(
  api: ApiClient,
  overrides: { district?: string; inclusive?: boolean; status?: string } = {},
): Promise<string> {
  const providerId = `P-T${randomUUID().slice(0, 8).toUpperCase()}`;
  const response = await api.request('POST', '/dev/providers', {
    body: {
      providerId,
      name: '测试托育园',
      district: overrides.district ?? 'wuxing',
      inclusive: overrides.inclusive ?? true,
      status: overrides.status ?? 'registered',
      capacity: 60,
      registeredFrom: '2024-01-01',
    },
  });
  if (response.status !== 201) throw new Error(`provider not registered: ${response.status}`);
  return providerId;
}

/** The 身份证 area codes of Huzhou's districts and counties (吴兴, 南浔, 德清, 长兴, 安吉). */
const huzhouAreas = ['330502', '330503', '330521', '330522', '330523'];

/** A child in the household registry (local dev endpoint), 户籍 in Huzhou unless told otherwise. */
export async function registerChild(
  api: ApiClient,
  options: { birthDate?: string; hukouDistrict?: string; name?: string } = {},
): Promise<{ idNumber: string; name: string }> {
  // Any day of the month and any of Huzhou's areas: with a few hundred children in one test
  // cloud, 18 birth dates × 1,000 serial numbers made two of them share a number now and then.
  const birthDate =
    options.birthDate ??
    `${bornMonthsAgo(randomInt(6, 24)).slice(0, 6)}${String(randomInt(1, 29)).padStart(2, '0')}`;
  const area = huzhouAreas[randomInt(0, huzhouAreas.length)];
  const idNumber = idNumberFor(birthDate, area);
  const name = options.name ?? '沈小禾';
  const response = await api.request('POST', '/dev/registry/residents', {
    body: { idNumber, name, hukouDistrict: options.hukouDistrict ?? 'wuxing' },
  });
  if (response.status !== 201) throw new Error(`resident not registered: ${response.status}`);
  return { idNumber, name };
}

/** An eligible claim form for a registered child at a registered provider. */
export function eligibleClaim(
  child: { idNumber: string; name: string },
  providerId: string,
  months = recentMonths(),
) {
  return {
    child,
    guardian: { name: '沈明', idNumber: idNumberFor('19900101'), phone: '13857200000' },
    providerId,
    months,
  };
}
