import { randomInt } from 'node:crypto';

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkCharacters = '10X98765432';

/** A well-formed 身份证 number for a child born on `birthDate` (YYYYMMDD) in 吴兴区. */
export function idNumberFor(birthDate: string, area = '330502'): string {
  const body = `${area}${birthDate}${String(randomInt(0, 1000)).padStart(3, '0')}`;
  const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (weights[i] ?? 0), 0);
  return `${body}${checkCharacters[sum % 11]}`;
}

/** A subsidy claim form that passes validation. */
export function validClaimForm(overrides: Record<string, unknown> = {}) {
  return {
    child: { name: '沈小禾', idNumber: idNumberFor(bornMonthsAgo(14)) },
    guardian: { name: '沈明', idNumber: idNumberFor('19900101'), phone: '13857200000' },
    providerId: 'P-WX-0001',
    months: recentMonths(),
    ...overrides,
  };
}

/** `YYYY-MM` of `monthsAgo` months before now, in Huzhou (UTC+8). */
export function monthAgo(monthsAgo: number): string {
  const huzhou = new Date(Date.now() + 8 * 3600_000);
  const d = new Date(Date.UTC(huzhou.getUTCFullYear(), huzhou.getUTCMonth() - monthsAgo, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The previous and the current month: always claimable under the default policy. */
export const recentMonths = () => [monthAgo(1), monthAgo(0)];

/** `YYYYMMDD` of the 15th, `monthsAgo` months back: a child that age. */
export function bornMonthsAgo(monthsAgo: number): string {
  return `${monthAgo(monthsAgo).replace('-', '')}15`;
}
