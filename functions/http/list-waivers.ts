import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.ts';
import type { Role } from '../../shared/auth/roles.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { monthSchema, providerIdSchema } from '../../shared/forms/fields.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { getProvider, ProviderNotFoundError } from '../../shared/providers/index.ts';
import { fenToYuan, listWaivers, type WaiverRecord } from '../../shared/waivers/waiver-records.ts';

const querySchema = z
  .object({
    providerId: providerIdSchema,
    month: monthSchema,
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

/** Staff who may see a provider's waivers: those of its district, or of the city. */
// Finance settles the waived fees with providers; civil affairs has no business with tuition.
const staffRoles: readonly Role[] = ['caseworker', 'supervisor', 'finance'];

/**
 * A provider sees its own waivers only; staff those of providers in their district (city staff
 * every district's); admins all. Roles add up. Only staff need the provider's district, so only
 * they cost a read.
 */
async function mayList(principal: Principal, providerId: string): Promise<boolean> {
  if (principal.roles.includes('admin')) return true;
  if (principal.roles.includes('provider') && principal.providerId === providerId) return true;
  const staffDistrict = principal.roles.some((role) => staffRoles.includes(role))
    ? principal.district
    : undefined;
  if (staffDistrict === undefined) return false;
  if (staffDistrict === 'city') return true;
  const provider = await getProvider(providerId);
  if (!provider) throw new ProviderNotFoundError(providerId);
  return provider.district === staffDistrict;
}

/** What a waiver shows: amounts in yuan (two decimals at most), the child masked, no ID number. */
function waiverView(record: WaiverRecord) {
  return {
    caseId: record.caseId,
    month: record.month,
    childName: record.childName,
    category: record.category,
    percent: record.percent,
    tuitionYuan: fenToYuan(record.tuitionFen),
    waivedYuan: fenToYuan(record.waivedFen),
    remainderYuan: fenToYuan(record.remainderFen),
    status: record.status,
  };
}

/**
 * GET /v1/waivers?providerId=…&month=… — a provider's 学费减免 of a month, so that it bills each
 * family the remainder; stopped months stay listed (with `status: "stopped"`): the full fee is due.
 */
export const handler = apiHandler(
  {
    name: 'ListWaivers',
    roles: ['provider', ...staffRoles, 'admin'],
    query: querySchema,
  },
  async ({ principal, query }) => {
    if (!(await mayList(principal, query.providerId))) throw new ForbiddenError();
    const page = await listWaivers({
      providerId: query.providerId,
      month: query.month,
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return jsonResponse(200, {
      items: page.items.map(waiverView),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
