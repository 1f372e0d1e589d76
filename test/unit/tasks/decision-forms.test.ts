import { describe, expect, it } from 'vitest';
import { decisionBodySchema } from '../../../shared/tasks/decision-forms.ts';
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
