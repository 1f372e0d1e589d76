import { describe, expect, it } from 'vitest';
import type { HardshipRecord } from '../../../shared/registries/registry-records.ts';
import {
  type EvaluateWaiverInput,
  evaluateWaiver,
  InvalidWaiverAmountError,
  milkAmountYuan,
  preSubmissionWaiverChecks,
  type WaiverEvaluation,
  waiverAmounts,
} from '../../../shared/waivers/evaluation.ts';
import type { WaiverReasonCode } from '../../../shared/waivers/reasons.ts';
import { huzhouChild, registeredProvider, testPolicy, waiverFor } from './fixtures.ts';

// 10:00 on 2026-10-15 in Huzhou.
const TODAY = new Date('2026-10-15T02:00:00Z');
// Born 2024-05-20: under three until May 2027.
const TODDLER = '2024-05-20';
const TERM = { from: '2026-10', to: '2027-03' };
const TERM_MONTHS = ['2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03'];
const dibao: HardshipRecord = { category: 'dibao', validUntil: '2027-12-31' };

function input(overrides: Partial<EvaluateWaiverInput> = {}): EvaluateWaiverInput {
  return {
    form: waiverFor(TODDLER, TERM),
    resident: huzhouChild,
    hardship: { record: dibao, verifiedFor: 'guardian' },
    provider: registeredProvider,
    today: TODAY,
    policy: testPolicy,
    ...overrides,
  };
}

function eligible(result: WaiverEvaluation) {
  if (result.outcome !== 'eligible') throw new Error(`expected eligible, got ${result.outcome}`);
  return result;
}

function rejectionCodes(result: WaiverEvaluation): WaiverReasonCode[] {
  if (result.outcome !== 'rejected') throw new Error(`expected rejected, got ${result.outcome}`);
  return result.reasons.map((reason) => reason.code);
}

describe('preSubmissionWaiverChecks', () => {
  it.each([
    ['a term running now', TODDLER, TERM, TODAY, []],
    [
      'a term whose past months have gone by',
      TODDLER,
      { from: '2026-01', to: '2026-10' },
      TODAY,
      [],
    ],
    [
      'a term ending last month',
      TODDLER,
      { from: '2026-01', to: '2026-09' },
      TODAY,
      ['TERM_ENDED'],
    ],
    [
      'a term ending this month in Huzhou while UTC is still in the previous month',
      TODDLER,
      { from: '2026-01', to: '2026-10' },
      new Date('2026-09-30T16:00:00Z'),
      [],
    ],
    [
      'a term ending last month in Huzhou at its first minute',
      TODDLER,
      { from: '2026-01', to: '2026-09' },
      new Date('2026-09-30T16:00:00Z'),
      ['TERM_ENDED'],
    ],
    ['a term starting 3 months ahead', TODDLER, { from: '2027-01', to: '2027-03' }, TODAY, []],
    [
      'a term starting 4 months ahead',
      TODDLER,
      { from: '2027-02', to: '2027-03' },
      TODAY,
      ['TERM_TOO_FAR_AHEAD'],
    ],
    // Third birthday 2026-10-01: past the limit from October on.
    ['a child three for every month', '2023-10-01', TERM, TODAY, ['CHILD_TOO_OLD']],
    // Third birthday 2026-10-02: October still counts; later months are cut later, not refused.
    ['a child under three on the 1st of the first month', '2023-10-02', TERM, TODAY, []],
    [
      'every term rule at once',
      '2020-01-01',
      { from: '2025-01', to: '2025-12' },
      TODAY,
      ['TERM_ENDED', 'CHILD_TOO_OLD'],
    ],
  ] as const)('%s', (_label, birthDate, term, today, expected) => {
    // Prepare
    const form = waiverFor(birthDate, term);

    // Act
    const reasons = preSubmissionWaiverChecks(form, today, testPolicy);

    // Assess
    expect(reasons.map((reason) => reason.code)).toEqual(expected);
  });

  it('refuses a term longer than the policy allows, quoting the policy', () => {
    // Prepare
    const policy = { ...testPolicy, maxTermMonths: 6 };
    const seven = waiverFor(TODDLER, { from: '2026-10', to: '2027-04' });
    const six = waiverFor(TODDLER, TERM);

    // Act
    const tooLong = preSubmissionWaiverChecks(seven, TODAY, policy);
    const fits = preSubmissionWaiverChecks(six, TODAY, policy);

    // Assess
    expect(tooLong.map((reason) => reason.code)).toEqual(['TERM_TOO_LONG']);
    expect(tooLong[0]?.message['zh-CN']).toContain('最长 6 个月');
    expect(fits).toEqual([]);
  });
});

describe('evaluateWaiver', () => {
  it('grants every month of an eligible term at the category’s percentage', () => {
    // Prepare / Act
    const result = eligible(evaluateWaiver(input()));

    // Assess
    expect(result).toEqual({
      outcome: 'eligible',
      category: 'dibao',
      claimedCategory: 'dibao',
      verifiedFor: 'guardian',
      percent: 100,
      months: TERM_MONTHS,
      cuts: [],
    });
  });

  it('does not judge the term’s timing again: processing time never makes an application late', () => {
    // Prepare
    const muchLater = new Date('2027-06-15T02:00:00Z');

    // Act
    const result = evaluateWaiver(input({ today: muchLater }));

    // Assess
    expect(eligible(result).months).toEqual(TERM_MONTHS);
  });

  describe('cuts months past the age limit', () => {
    it.each([
      // Third birthday on the 1st of December: December is cut.
      ['2023-12-01', ['2026-10', '2026-11'], ['2026-12', '2027-01', '2027-02', '2027-03']],
      // Third birthday on the 2nd: the child is under three on the 1st, so December counts.
      ['2023-12-02', ['2026-10', '2026-11', '2026-12'], ['2027-01', '2027-02', '2027-03']],
    ])('born %s', (birthDate, granted, cut) => {
      // Prepare
      const form = waiverFor(birthDate, TERM);

      // Act
      const result = eligible(evaluateWaiver(input({ form })));

      // Assess
      expect(result.months).toEqual(granted);
      expect(result.cuts).toHaveLength(1);
      expect(result.cuts[0]?.code).toBe('MONTHS_AFTER_THIRD_BIRTHDAY');
      expect(result.cuts[0]?.months).toEqual(cut);
      expect(result.cuts[0]?.message['zh-CN']).toContain(`孩子在 ${cut.join('、')} 已满3周岁`);
    });
  });

  describe('cuts months after the hardship status expires', () => {
    it.each([
      // Valid on 1 December: the whole of December counts.
      ['2026-12-01', ['2026-10', '2026-11', '2026-12'], ['2027-01', '2027-02', '2027-03']],
      // Valid until the last day of November: December is cut.
      ['2026-11-30', ['2026-10', '2026-11'], ['2026-12', '2027-01', '2027-02', '2027-03']],
    ])('valid until %s', (validUntil, granted, cut) => {
      // Prepare
      const hardship = {
        record: { category: 'dibao', validUntil },
        verifiedFor: 'guardian',
      } as const;

      // Act
      const result = eligible(evaluateWaiver(input({ hardship })));

      // Assess
      expect(result.months).toEqual(granted);
      expect(result.cuts.map((cutFound) => [cutFound.code, cutFound.months])).toEqual([
        ['MONTHS_AFTER_HARDSHIP_EXPIRY', cut],
      ]);
      expect(result.cuts[0]?.message['zh-CN']).toContain(`（有效期至 ${validUntil}）`);
    });

    it('refuses the application when the status holds in no month of the term', () => {
      // Prepare
      const hardship = {
        record: { category: 'dibao', validUntil: '2026-09-30' },
        verifiedFor: 'child',
      } as const;

      // Act
      const result = evaluateWaiver(input({ hardship }));

      // Assess
      expect(rejectionCodes(result)).toEqual(['HARDSHIP_NOT_VERIFIED']);
    });
  });

  describe('cuts months the provider was not registered', () => {
    it.each([
      [
        'registered from the last day of November',
        { registeredFrom: '2026-11-30' },
        ['2026-11', '2026-12', '2027-01', '2027-02', '2027-03'],
        ['2026-10'],
      ],
      [
        'registered until 1 December',
        { registeredFrom: '2024-01-01', registeredUntil: '2026-12-01' },
        ['2026-10', '2026-11', '2026-12'],
        ['2027-01', '2027-02', '2027-03'],
      ],
      [
        'registered until the last day of November',
        { registeredFrom: '2024-01-01', registeredUntil: '2026-11-30' },
        ['2026-10', '2026-11'],
        ['2026-12', '2027-01', '2027-02', '2027-03'],
      ],
    ])('%s', (_label, dates, granted, cut) => {
      // Prepare
      const provider = { status: 'registered', ...dates } as const;

      // Act
      const result = eligible(evaluateWaiver(input({ provider })));

      // Assess
      expect(result.months).toEqual(granted);
      expect(result.cuts.map((found) => [found.code, found.months])).toEqual([
        ['MONTHS_PROVIDER_NOT_REGISTERED', cut],
      ]);
    });

    it('grants months at a provider that is not inclusive (普惠)', () => {
      // Prepare
      const provider = { ...registeredProvider, inclusive: false };

      // Act
      const result = evaluateWaiver(input({ provider }));

      // Assess
      expect(eligible(result).months).toEqual(TERM_MONTHS);
    });
  });

  it('reports several cuts together, in code order, and grants what is left', () => {
    // Prepare
    const form = waiverFor('2024-03-01', { from: '2026-10', to: '2027-05' });
    const hardship = {
      record: { category: 'dibian', validUntil: '2027-02-28' },
      verifiedFor: 'guardian',
    } as const;
    const provider = { status: 'registered', registeredFrom: '2026-11-05' } as const;

    // Act
    const result = eligible(evaluateWaiver(input({ form, hardship, provider })));

    // Assess
    expect(result.months).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(result.cuts.map((cut) => [cut.code, cut.months])).toEqual([
      ['MONTHS_AFTER_THIRD_BIRTHDAY', ['2027-03', '2027-04', '2027-05']],
      ['MONTHS_AFTER_HARDSHIP_EXPIRY', ['2027-03', '2027-04', '2027-05']],
      ['MONTHS_PROVIDER_NOT_REGISTERED', ['2026-10']],
    ]);
    expect(result.percent).toBe(50);
  });

  it('refuses with NO_MONTH_LEFT and the cuts when together they leave no month', () => {
    // Prepare: the provider registers in January, the month the child turns three.
    const form = waiverFor('2024-01-01', TERM);
    const provider = { status: 'registered', registeredFrom: '2027-01-01' } as const;

    // Act
    const result = evaluateWaiver(input({ form, provider }));

    // Assess
    expect(result.outcome).toBe('rejected');
    if (result.outcome !== 'rejected') return;
    expect(result.reasons.map((reason) => [reason.code, reason.months])).toEqual([
      ['NO_MONTH_LEFT', undefined],
      ['MONTHS_AFTER_THIRD_BIRTHDAY', ['2027-01', '2027-02', '2027-03']],
      ['MONTHS_PROVIDER_NOT_REGISTERED', ['2026-10', '2026-11', '2026-12']],
    ]);
  });

  it('takes the registry’s category over the claimed one, and keeps both', () => {
    // Prepare
    const form = waiverFor(TODDLER, TERM, 'dibao');
    const hardship = {
      record: { category: 'dibian', validUntil: '2027-12-31' },
      verifiedFor: 'child',
    } as const;

    // Act
    const result = eligible(evaluateWaiver(input({ form, hardship })));

    // Assess
    expect(result.category).toBe('dibian');
    expect(result.claimedCategory).toBe('dibao');
    expect(result.verifiedFor).toBe('child');
    expect(result.percent).toBe(50);
  });

  it.each([
    ['tekun', 100],
    ['orphan', 100],
    ['dibao', 100],
    ['dibian', 50],
    ['disabled', 50],
  ] as const)('waives %s at %i %%', (category, percent) => {
    // Prepare
    const hardship = {
      record: { category, validUntil: '2027-12-31' },
      verifiedFor: 'guardian',
    } as const;

    // Act
    const result = eligible(evaluateWaiver(input({ hardship })));

    // Assess
    expect(result.percent).toBe(percent);
  });

  it('asks for civil-affairs verification when the registry has no record', () => {
    // Prepare / Act
    const result = evaluateWaiver(input({ hardship: undefined }));

    // Assess
    expect(result).toEqual({ outcome: 'needs-verification' });
  });

  it('refuses an application that fails anyway without troubling civil affairs', () => {
    // Prepare
    const resident = { ...huzhouChild, hukouDistrict: 'other' } as const;

    // Act
    const result = evaluateWaiver(input({ hardship: undefined, resident }));

    // Assess
    expect(rejectionCodes(result)).toEqual(['NOT_HUZHOU_HUKOU']);
  });

  it('takes the claimed category and cuts nothing for expiry when verified by hand', () => {
    // Prepare
    const form = waiverFor(TODDLER, TERM, 'disabled');

    // Act
    const result = eligible(evaluateWaiver(input({ form, hardship: 'manual' })));

    // Assess
    expect(result).toEqual({
      outcome: 'eligible',
      category: 'disabled',
      claimedCategory: 'disabled',
      verifiedFor: 'manual',
      percent: 50,
      months: TERM_MONTHS,
      cuts: [],
    });
  });

  it('still cuts months past the age limit when verified by hand', () => {
    // Prepare
    const form = waiverFor('2023-12-01', TERM);

    // Act
    const result = eligible(evaluateWaiver(input({ form, hardship: 'manual' })));

    // Assess
    expect(result.months).toEqual(['2026-10', '2026-11']);
  });

  it.each([
    ['a child unknown to the registry', { resident: undefined }, ['CHILD_NOT_IN_REGISTRY']],
    ['a different name', { resident: { ...huzhouChild, name: '沈小河' } }, ['CHILD_NAME_MISMATCH']],
    ['a name typed with spaces around it', { resident: { ...huzhouChild, name: ' 沈小禾 ' } }, []],
    [
      'a 户籍 outside Huzhou',
      { resident: { ...huzhouChild, hukouDistrict: 'other' } },
      ['NOT_HUZHOU_HUKOU'],
    ],
    ['an unknown provider', { provider: undefined }, ['PROVIDER_NOT_REGISTERED']],
    [
      'a revoked provider',
      { provider: { ...registeredProvider, status: 'revoked' } },
      ['PROVIDER_NOT_REGISTERED'],
    ],
    [
      'a provider registered only after the term',
      { provider: { status: 'registered', registeredFrom: '2027-04-01' } },
      ['PROVIDER_NOT_REGISTERED'],
    ],
    [
      'a suspended provider',
      { provider: { ...registeredProvider, status: 'suspended' } },
      ['PROVIDER_SUSPENDED'],
    ],
    [
      'a child three for the whole term',
      { form: waiverFor('2023-10-01', TERM) },
      ['CHILD_TOO_OLD'],
    ],
  ] as const)('judges %s', (_label, overrides, expected) => {
    // Prepare / Act
    const result = evaluateWaiver(input(overrides as Partial<EvaluateWaiverInput>));

    // Assess
    if (expected.length === 0) expect(result.outcome).toBe('eligible');
    else expect(rejectionCodes(result)).toEqual(expected);
  });

  it('reports every refusal at once, in code order', () => {
    // Prepare
    const hardship = {
      record: { category: 'dibao', validUntil: '2026-01-31' },
      verifiedFor: 'guardian',
    } as const;

    // Act
    const result = evaluateWaiver(
      input({
        form: waiverFor('2023-01-01', TERM),
        resident: undefined,
        provider: { ...registeredProvider, status: 'suspended', registeredUntil: '2025-12-31' },
        hardship,
      }),
    );

    // Assess
    expect(rejectionCodes(result)).toEqual([
      'CHILD_TOO_OLD',
      'CHILD_NOT_IN_REGISTRY',
      'PROVIDER_NOT_REGISTERED',
      'PROVIDER_SUSPENDED',
      'HARDSHIP_NOT_VERIFIED',
    ]);
  });
});

describe('waiverAmounts', () => {
  it.each([
    ['100 % capped at the maximum', 2500, 100, 2000, 2000, 500],
    ['100 % under the maximum', 1800, 100, 2000, 1800, 0],
    ['100 % exactly at the maximum', 2000, 100, 2000, 2000, 0],
    // 61728.5 fen rounds half up to 61729.
    ['50 % of 1234.57', 1234.57, 50, 2000, 617.29, 617.28],
    ['50 % of 1234.56', 1234.56, 50, 2000, 617.28, 617.28],
    ['50 % of one fen', 0.01, 50, 2000, 0.01, 0],
    ['50 % capped', 5000, 50, 2000, 2000, 3000],
    ['0.29, which is not 29 fen in floating point', 0.29, 100, 2000, 0.29, 0],
    ['33 % of 100.01', 100.01, 33, 2000, 33, 67.01],
  ])('%s', (_label, tuitionYuan, percent, maxYuan, waivedYuan, remainderYuan) => {
    // Prepare / Act
    const amounts = waiverAmounts({ tuitionYuan, percent, maxYuan });

    // Assess
    expect(amounts).toEqual({ waivedYuan, remainderYuan });
  });

  it.each([
    ['a third decimal in the tuition', { tuitionYuan: 1.005, percent: 50, maxYuan: 2000 }],
    ['a negative tuition', { tuitionYuan: -1, percent: 50, maxYuan: 2000 }],
    ['a fractional percentage', { tuitionYuan: 100, percent: 50.5, maxYuan: 2000 }],
    ['a percentage over 100', { tuitionYuan: 100, percent: 101, maxYuan: 2000 }],
    ['a maximum that is not a number', { tuitionYuan: 100, percent: 50, maxYuan: Number.NaN }],
  ])('refuses %s', (_label, amounts) => {
    // Prepare / Act
    const compute = () => waiverAmounts(amounts);

    // Assess
    expect(compute).toThrow(InvalidWaiverAmountError);
  });
});

describe('milkAmountYuan', () => {
  it('is the policy’s monthly milk subsidy', () => {
    // Prepare
    const policy = { ...testPolicy, milkSubsidyYuanPerMonth: 123.45 };

    // Act
    const amount = milkAmountYuan(policy);

    // Assess
    expect(amount).toBe(123.45);
  });
});
