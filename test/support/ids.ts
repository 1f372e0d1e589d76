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
    child: { name: '沈小禾', idNumber: idNumberFor('20250315') },
    guardian: { name: '沈明', idNumber: idNumberFor('19900101'), phone: '13857200000' },
    providerId: 'P-WX-0001',
    months: ['2026-10', '2026-11'],
    ...overrides,
  };
}
