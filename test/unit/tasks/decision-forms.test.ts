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
