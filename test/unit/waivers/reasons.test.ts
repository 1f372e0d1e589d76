import { describe, expect, it } from 'vitest';
import {
  waiverCut,
  waiverCutCodes,
  waiverReason,
  waiverReasonCodes,
} from '../../../shared/waivers/reasons.ts';

describe('waiverReason', () => {
  it.each(waiverReasonCodes)('%s has a Chinese and an English text', (code) => {
    // Prepare / Act
    const built = waiverReason(code);

    // Assess
    expect(built.code).toBe(code);
    expect(built.months).toBeUndefined();
    expect(built.message['zh-CN']).toMatch(/\p{Script=Han}/u);
    expect(built.message.en).toMatch(/^[A-Z]/);
    expect(built.message.en).not.toMatch(/\p{Script=Han}{3}/u);
  });

  it('gives every code its own text', () => {
    // Prepare / Act
    const texts = waiverReasonCodes.map((code) => waiverReason(code, ['2026-05']).message);

    // Assess
    expect(new Set(texts.map((text) => text['zh-CN'])).size).toBe(waiverReasonCodes.length);
    expect(new Set(texts.map((text) => text.en)).size).toBe(waiverReasonCodes.length);
  });

  it.each(waiverCutCodes)('%s names its months, sorted and once each', (code) => {
    // Prepare
    const months = ['2026-07', '2026-05', '2026-07'];

    // Act
    const built = waiverCut(code, months);

    // Assess
    expect(built.months).toEqual(['2026-05', '2026-07']);
    expect(built.message['zh-CN']).toContain(' 2026-05、2026-07 ');
    expect(built.message['zh-CN']).toContain('这些月份');
    expect(built.message['zh-CN']).not.toMatch(/[，。；：（] /u);
    expect(built.message.en).toContain('2026-05 and 2026-07');
    expect(built.message.en).toContain('those months');
  });

  it('speaks of a single month cut as 该月', () => {
    // Prepare / Act
    const built = waiverCut('MONTHS_AFTER_THIRD_BIRTHDAY', ['2027-04']);

    // Assess
    expect(built.message['zh-CN']).toBe('孩子在 2027-04 已满3周岁，该月的学费不予减免');
    expect(built.message.en).toBe(
      'The child is already 3 in 2027-04, so there is no waiver for that month',
    );
  });

  it('lists three or more months with commas in English', () => {
    // Prepare / Act
    const built = waiverCut('MONTHS_PROVIDER_NOT_REGISTERED', ['2027-01', '2027-02', '2027-03']);

    // Assess
    expect(built.message.en).toContain('during 2027-01, 2027-02 and 2027-03, so');
  });

  it.each([
    ['CHILD_TOO_OLD', { ageLimitMonths: 48 }, '均已满4周岁', 'already 4 in every month'],
    ['MONTHS_AFTER_THIRD_BIRTHDAY', { ageLimitMonths: 30 }, '已满30个月', '30 months old'],
    ['TERM_TOO_LONG', { maxTermMonths: 6 }, '最长 6 个月', 'at most 6 months'],
    ['TERM_TOO_FAR_AHEAD', { maxMonthsAhead: 3 }, '第 3 个月', 'at most 3 months after'],
    [
      'MONTHS_AFTER_HARDSHIP_EXPIRY',
      { hardshipValidUntil: '2026-11-30' },
      '（有效期至 2026-11-30）',
      '(valid until 2026-11-30)',
    ],
    [
      'HARDSHIP_NOT_VERIFIED',
      { hardshipValidUntil: '2026-09-30' },
      '（有效期至 2026-09-30）',
      '(valid until 2026-09-30)',
    ],
  ] as const)('%s quotes the figure %o', (code, facts, zh, en) => {
    // Prepare / Act
    const built = waiverReason(code, ['2026-12'], facts);

    // Assess
    expect(built.message['zh-CN']).toContain(zh);
    expect(built.message.en).toContain(en);
  });
});
