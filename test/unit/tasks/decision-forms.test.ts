import { describe, expect, it } from 'vitest';
import { decisionBodySchema, decisionDataTravels } from '../../../shared/tasks/decision-forms.ts';
import { maskPersonName } from '../../../shared/tasks/summary.ts';

describe('decisionBodySchema', () => {
  it.each([
    [
      'confirm-enrollment',
      { outcome: 'approve', data: { enrolledSince: '2026-09', monthlyFeeYuan: 1800 } },
      true,
    ],
    ['confirm-enrollment', { outcome: 'reject', reason: '未在本园入托' }, true],
    ['confirm-enrollment', { outcome: 'reject' }, false],
    ['confirm-enrollment', { outcome: 'request-info', reason: '  ' }, false],
    ['confirm-enrollment', { outcome: 'approve', data: { colour: 'red' } }, false],
    ['confirm-enrollment', { outcome: 'approve', extra: 1 }, false],
    ['supply-info', { outcome: 'approve', data: { message: '已补充户口簿' } }, true],
    ['supply-info', { outcome: 'reject', reason: 'x' }, false],
    ['some-future-task', { outcome: 'approve', data: { anything: true } }, true],
  ])('%s accepts %j: %s', (taskType, body, valid) => {
    // Prepare / Act
    const result = decisionBodySchema(taskType).safeParse(body);

    // Assess
    expect(result.success).toBe(valid);
  });
});

describe('decisionBodySchema for provider registration tasks', () => {
  const inspection = {
    inspectedOn: '2026-12-01',
    findings: [
      { item: '消防通道', passed: true },
      { item: '午睡室面积', passed: false, note: '不足' },
    ],
  };

  it.each([
    ['a list of findings', { outcome: 'approve', data: inspection }, true],
    [
      'a rejection with its reason',
      { outcome: 'reject', reason: '无独立午睡室', data: inspection },
      true,
    ],
    [
      'a request for information',
      { outcome: 'request-info', reason: '补充平面图', data: inspection },
      true,
    ],
    ['no data', { outcome: 'approve' }, false],
    [
      'a request before any visit, without data',
      { outcome: 'request-info', reason: '补充平面图' },
      true,
    ],
    [
      'a rejection before any visit, without data',
      { outcome: 'reject', reason: '场地已拆除' },
      true,
    ],
    ['no date', { outcome: 'approve', data: { findings: inspection.findings } }, false],
    [
      'a date that is not one',
      { outcome: 'approve', data: { ...inspection, inspectedOn: '2026-13-01' } },
      false,
    ],
    ['no findings', { outcome: 'approve', data: { ...inspection, findings: [] } }, false],
    [
      'a finding without its verdict',
      { outcome: 'approve', data: { ...inspection, findings: [{ item: '消防通道' }] } },
      false,
    ],
    [
      'a finding with an unknown field',
      {
        outcome: 'approve',
        data: { ...inspection, findings: [{ item: '消防通道', passed: true, score: 5 }] },
      },
      false,
    ],
  ])('takes an on-site inspection with %s: %s', (_case, body, valid) => {
    // Prepare / Act
    const result = decisionBodySchema('on-site-inspection').safeParse(body);

    // Assess
    expect(result.success).toBe(valid);
  });

  it.each([
    [
      { outcome: 'approve', data: { changes: { monthlyFeeYuan: 2600 }, message: '已调整收费' } },
      true,
    ],
    [{ outcome: 'approve', data: { message: '材料已补正' } }, true],
    [{ outcome: 'approve' }, true],
    [{ outcome: 'approve', data: { changes: {} } }, false],
    [
      { outcome: 'approve', data: { changes: { organisation: { uscc: '91330502MA2019058X' } } } },
      false,
    ],
    [{ outcome: 'reject', reason: '不再办理' }, false],
  ])('takes an amend-registration decision %j: %s', (body, valid) => {
    // Prepare / Act
    const result = decisionBodySchema('amend-registration').safeParse(body);

    // Assess
    expect(result.success).toBe(valid);
  });

  it.each(['health-review', 'fire-review', 'market-review'])(
    "takes a %s with the department's findings, and a reason to reject or ask",
    (taskType) => {
      // Prepare
      const schema = decisionBodySchema(taskType);

      // Act
      const results = [
        { outcome: 'approve', data: { findings: ['卫生评价报告合格'] } },
        { outcome: 'approve' },
        { outcome: 'reject', reason: '消防验收未通过', data: { findings: ['疏散通道不足'] } },
        { outcome: 'request-info', reason: '补充消防验收意见书' },
        { outcome: 'reject', data: { findings: ['疏散通道不足'] } },
        { outcome: 'approve', data: { findings: [''] } },
        { outcome: 'approve', data: { findings: ['x'], score: 3 } },
      ].map((body) => schema.safeParse(body).success);

      // Assess
      expect(results).toEqual([true, true, true, true, false, false, false]);
    },
  );
});

describe('decisionBodySchema for tuition waiver tasks', () => {
  it.each([
    ['the tuition it charges', { outcome: 'approve', data: { monthlyTuitionYuan: 2200 } }, true],
    [
      'the tuition and the months attended',
      { outcome: 'approve', data: { monthlyTuitionYuan: 2200.5, months: ['2026-09', '2026-10'] } },
      true,
    ],
    ['no data', { outcome: 'approve' }, false],
    ['data without the tuition', { outcome: 'approve', data: { months: ['2026-09'] } }, false],
    ['a tuition of nothing', { outcome: 'approve', data: { monthlyTuitionYuan: 0 } }, false],
    ['a tuition in fen', { outcome: 'approve', data: { monthlyTuitionYuan: 2200.005 } }, false],
    [
      'a month that is not one',
      { outcome: 'approve', data: { monthlyTuitionYuan: 2200, months: ['2026-13'] } },
      false,
    ],
    [
      'an empty list of months',
      { outcome: 'approve', data: { monthlyTuitionYuan: 2200, months: [] } },
      false,
    ],
    [
      'an unknown field',
      { outcome: 'approve', data: { monthlyTuitionYuan: 2200, monthlyFeeYuan: 2200 } },
      false,
    ],
    [
      'a rejection with its reason, without data',
      { outcome: 'reject', reason: '未在本园入托' },
      true,
    ],
    ['a rejection without a reason', { outcome: 'reject' }, false],
    [
      'a request for information with its reason',
      { outcome: 'request-info', reason: '请家长提供缴费凭证' },
      true,
    ],
  ])('takes a confirm-tuition decision with %s: %s', (_case, body, valid) => {
    // Prepare / Act
    const result = decisionBodySchema('confirm-tuition').safeParse(body);

    // Assess
    expect(result.success).toBe(valid);
  });

  const verified = { category: 'dibao', validUntil: '2027-06-30' };

  it.each([
    ['the category and until when it holds', { outcome: 'approve', data: verified }, true],
    [
      'the certificate it checked',
      { outcome: 'approve', data: { ...verified, certificateChecked: '湖民低保〔2026〕0123' } },
      true,
    ],
    ['no data', { outcome: 'approve' }, false],
    ['no category', { outcome: 'approve', data: { validUntil: '2027-06-30' } }, false],
    ['no end date', { outcome: 'approve', data: { category: 'dibao' } }, false],
    ['an unknown category', { outcome: 'approve', data: { ...verified, category: 'poor' } }, false],
    [
      'a date that is not one',
      { outcome: 'approve', data: { ...verified, validUntil: '2027-02-30' } },
      false,
    ],
    ['an unknown field', { outcome: 'approve', data: { ...verified, percent: 100 } }, false],
    ['a rejection with its reason', { outcome: 'reject', reason: '证书已注销' }, true],
    ['a rejection without a reason', { outcome: 'reject' }, false],
    ['a request for information', { outcome: 'request-info', reason: '请补充证书' }, false],
  ])('takes a verify-hardship decision with %s: %s', (_case, body, valid) => {
    // Prepare / Act
    const result = decisionBodySchema('verify-hardship').safeParse(body);

    // Assess
    expect(result.success).toBe(valid);
  });

  it('names what is missing: the reason of a refusal, the data of an approval', () => {
    // Prepare
    const schema = decisionBodySchema('verify-hardship');

    // Act
    const refusal = schema.safeParse({ outcome: 'reject' });
    const approval = schema.safeParse({ outcome: 'approve' });

    // Assess
    expect(refusal.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['reason'], 'DECISION_REASON_REQUIRED'],
    ]);
    expect(approval.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['data'], 'DECISION_DATA_REQUIRED'],
    ]);
  });
});

describe('maskPersonName', () => {
  it.each([
    ['沈小禾', '沈*禾'],
    ['沈明', '沈*'],
    ['欧阳娜娜', '欧**娜'],
    ['迪丽热巴·迪力木拉提', '迪********提'],
    ['禾', '*'],
  ])('%s → %s', (name, masked) => {
    // Prepare / Act / Assess
    expect(maskPersonName(name)).toBe(masked);
  });
});

describe('decisionDataTravels', () => {
  it("keeps an amended filing's data (staff ID numbers) out of the workflow, and hands others on", () => {
    // Prepare / Act
    const travels = ['amend-registration', 'confirm-enrollment', 'unknown-type'].map(
      decisionDataTravels,
    );

    // Assess
    expect(travels).toEqual([false, true, true]);
  });
});
