import { districts } from '../validation/district.ts';
import { benefitLabels, type PaymentRecord, paymentStatusLabels } from './payment-record.ts';

/** Excel reads a CSV without a byte-order mark as the local ANSI code page and garbles Chinese. */
export const utf8Bom = '\uFEFF';

export const paymentCsvHeaders = [
  '案件编号',
  '月份',
  '区县',
  '托育机构',
  '儿童(脱敏)',
  '金额(元)',
  '补助类型',
  '政策版本',
  '状态',
  '生成时间',
  '发放时间',
] as const;

/** Integer fen as yuan with two decimals, by integer arithmetic (no floating-point rounding). */
export function formatFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`${fen} is not a whole number of fen`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Beijing time (UTC+8 all year, no daylight saving), as finance offices read it. */
export function beijingTime(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, with quotes
 * doubled. Text that a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading `'`:
 * the file is opened in Excel, and a stored value must never become a formula there.
 */
export function csvField(value: string, { text = true }: { text?: boolean } = {}): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const districtNames: ReadonlyMap<string, string> = new Map(
  districts.map((district) => [district.id, district.name['zh-CN']]),
);

function row(record: PaymentRecord): string {
  return [
    csvField(record.caseId),
    csvField(record.month),
    csvField(districtNames.get(record.district) ?? record.district),
    csvField(record.providerId),
    csvField(record.childName),
    csvField(formatFen(record.amountFen), { text: false }),
    csvField(benefitLabels[record.benefit] ?? record.benefit),
    csvField(record.policyVersion),
    csvField(paymentStatusLabels[record.status]),
    csvField(beijingTime(record.createdAt)),
    csvField(beijingTime(record.disbursedAt)),
  ].join(',');
}

/** The finance export: BOM, Chinese headers, one CRLF-terminated line per payment. */
export function renderPaymentsCsv(records: readonly PaymentRecord[]): string {
  const lines = [
    paymentCsvHeaders.map((header) => csvField(header)).join(','),
    ...records.map(row),
  ];
  return `${utf8Bom}${lines.map((line) => `${line}\r\n`).join('')}`;
}

/** The download's name; month and district are validated ids, so the name needs no escaping. */
export const paymentCsvFilename = (month: string, district: string) =>
  `payments-${month}-${district}.csv`;
