import { describe, expect, it } from 'vitest';
import {
  csvField,
  formatFen,
  paymentCsvHeaders,
  renderPaymentsCsv,
} from '../../../shared/payments/payment-csv.ts';
import type { PaymentRecord } from '../../../shared/payments/payment-record.ts';

const record: PaymentRecord = {
  paymentId: 'SC-0123456789AB-2026-03-enrollment-subsidy',
  caseId: 'SC-0123456789AB',
  month: '2026-03',
  district: 'wuxing',
  providerId: 'prov-42',
  childKey: 'k',
  childName: '王*明',
  amountFen: 30_000,
  policyVersion: '2025-01',
  benefit: 'enrollment-subsidy',
  status: 'disbursed',
  createdAt: '2026-03-05T02:00:00.000Z',
  disbursedAt: '2026-04-01T16:30:00.000Z',
  batchId: 'B-2026-03-wuxing',
};

/** A minimal RFC 4180 reader, to check the file reads back as the fields that went in. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('renderPaymentsCsv', () => {
  it('starts with a UTF-8 byte-order mark and the Chinese headers', () => {
    // Prepare / Act
    const csv = renderPaymentsCsv([]);

    // Assess
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(csv.slice(1))).toEqual([[...paymentCsvHeaders]]);
    expect(paymentCsvHeaders).toEqual([
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
    ]);
  });

  it('writes one row per payment: yuan with two decimals, labels, Beijing times', () => {
    // Prepare
    const pending: PaymentRecord = {
      ...record,
      amountFen: 29,
      status: 'pending-disbursement',
      disbursedAt: undefined,
      batchId: undefined,
    };

    // Act
    const rows = parseCsv(renderPaymentsCsv([record, pending]).slice(1));

    // Assess
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      'SC-0123456789AB',
      '2026-03',
      '吴兴区',
      'prov-42',
      '王*明',
      '300.00',
      '入托补助',
      '2025-01',
      '已发放',
      '2026-03-05 10:00:00',
      '2026-04-02 00:30:00',
    ]);
    expect(rows[2]?.[5]).toBe('0.29');
    expect(rows[2]?.[8]).toBe('待发放');
    expect(rows[2]?.[10]).toBe('');
  });

  it('quotes commas, quotes and line breaks so that the fields read back intact', () => {
    // Prepare
    const awkward: PaymentRecord = {
      ...record,
      providerId: 'prov,"42"',
      policyVersion: 'line one\nline two',
      benefit: 'milk-subsidy',
    };

    // Act
    const csv = renderPaymentsCsv([awkward]);

    // Assess
    expect(csv).toContain('"prov,""42"""');
    const [, row] = parseCsv(csv.slice(1));
    expect(row?.[3]).toBe('prov,"42"');
    expect(row?.[6]).toBe('爱心牛奶');
    expect(row?.[7]).toBe('line one\nline two');
    expect(row).toHaveLength(paymentCsvHeaders.length);
  });

  it('ends every line with CRLF', () => {
    // Prepare / Act
    const csv = renderPaymentsCsv([record, record]);

    // Assess
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(4);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    // Prepare / Act / Assess
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-5', { text: false })).toBe('-5');
  });
});

describe('formatFen', () => {
  it.each([
    [0, '0.00'],
    [7, '0.07'],
    [29, '0.29'],
    [100, '1.00'],
    [123_456, '1234.56'],
    [-150, '-1.50'],
  ])('renders %s fen as %s yuan', (fen, text) => {
    // Prepare / Act / Assess
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses a fraction of a fen', () => {
    // Prepare / Act / Assess
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });
});
