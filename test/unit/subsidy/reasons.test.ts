import { describe, expect, it } from 'vitest';
import { reason, reasonCodes } from '../../../shared/subsidy/reasons.ts';

const monthSpecific = [
  'MONTH_IN_FUTURE',
  'MONTH_TOO_OLD',
  'CHILD_NOT_BORN',
  'CHILD_TOO_OLD',
  'PROVIDER_NOT_REGISTERED',
] as const;

describe('reason', () => {
  it.each(reasonCodes)('%s has a Chinese and an English text', (code) => {
    // Prepare / Act
    const built = reason(code);

    // Assess
    expect(built.code).toBe(code);
    expect(built.months).toBeUndefined();
    expect(built.message['zh-CN']).toMatch(/\p{Script=Han}/u);
    expect(built.message.en).toMatch(/^[A-Z]/);
    expect(built.message.en).not.toMatch(/\p{Script=Han}{3}/u);
  });

  it('gives every code its own text', () => {
    // Prepare / Act
    const texts = reasonCodes.map((code) => reason(code, ['2026-05']).message['zh-CN']);

    // Assess
    expect(new Set(texts).size).toBe(reasonCodes.length);
  });

  it.each(monthSpecific)('%s names its months, sorted and once each', (code) => {
    // Prepare
    const months = ['2026-07', '2026-05', '2026-07'];

    // Act
    const built = reason(code, months);

    // Assess
    expect(built.months).toEqual(['2026-05', '2026-07']);
    expect(built.message['zh-CN']).toContain('2026-05、2026-07');
    expect(built.message['zh-CN']).toContain('这些月份');
    expect(built.message.en).toContain('2026-05 and 2026-07');
  });

  it('speaks of a single month as 该月', () => {
    // Prepare / Act
    const built = reason('CHILD_TOO_OLD', ['2027-04']);

    // Assess
    expect(built.message['zh-CN']).toBe('孩子在 2027-04 已满3周岁，不能申请该月的补助');
    expect(built.message.en).toBe(
      'The child is already 3 in 2027-04, so that month cannot be claimed',
    );
  });

  it('keeps months apart from the Chinese around them, and never after punctuation', () => {
    // Prepare
    const codes = ['MONTH_IN_FUTURE', 'MONTH_TOO_OLD', 'CHILD_NOT_BORN', 'CHILD_TOO_OLD'] as const;

    // Act
    const texts = codes.map((code) => reason(code, ['2026-05'], { claimWindowMonths: 6 }));

    // Assess
    for (const { message } of texts) {
      expect(message['zh-CN']).toMatch(/(^|\p{Script=Han} )2026-05 \p{Script=Han}/u);
      expect(message['zh-CN']).not.toMatch(/[，。；：（] /u);
    }
  });

  it('lists three or more months with commas in English', () => {
    // Prepare / Act
    const built = reason('MONTH_IN_FUTURE', ['2027-01', '2027-02', '2027-03']);

    // Assess
    expect(built.message.en).toContain('2027-01, 2027-02 and 2027-03 have not begun');
  });

  it.each([
    ['CHILD_TOO_OLD', { ageLimitMonths: 48 }, '已满4周岁', 'already 4'],
    ['CHILD_TOO_OLD', { ageLimitMonths: 30 }, '已满30个月', '30 months old'],
    ['MONTH_TOO_OLD', { claimWindowMonths: 6 }, '最近 6 个月的补助，含本月', 'last 6 months'],
    ['TOO_MANY_MONTHS', { maxMonthsPerClaim: 12 }, '最多申请 12 个月', 'at most 12 months'],
  ] as const)('%s quotes the policy figure %o', (code, facts, zh, en) => {
    // Prepare / Act
    const built = reason(code, ['2026-01'], facts);

    // Assess
    expect(built.message['zh-CN']).toContain(zh);
    expect(built.message.en).toContain(en);
  });

  it('tells an unknown provider apart from one not registered for some months', () => {
    // Prepare / Act
    const unknown = reason('PROVIDER_NOT_REGISTERED');
    const lapsed = reason('PROVIDER_NOT_REGISTERED', ['2026-03']);

    // Assess
    expect(unknown.message['zh-CN']).toContain('不在湖州市备案');
    expect(lapsed.message['zh-CN']).toContain('2026-03 未处于备案有效期内');
  });
});
