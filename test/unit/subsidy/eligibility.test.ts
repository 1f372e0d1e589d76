import { describe, expect, it } from 'vitest';
import {
  ageReachedOn,
  claimWindow,
  type EligibilityProvider,
  type EligibilityResident,
  evaluateClaim,
  preSubmissionChecks,
  subsidyAmountYuan,
} from '../../../shared/subsidy/eligibility.ts';
import { subsidyPolicySchema } from '../../../shared/subsidy/policy/policy.ts';
import { type ReasonCode, reason } from '../../../shared/subsidy/reasons.ts';
import { claimFor, huzhouChild, inclusiveProvider, testPolicy } from './fixtures.ts';

// 10:00 on 2026-10-15 in Huzhou: the claim window (6 months) runs 2026-05 … 2026-10.
const TODAY = new Date('2026-10-15T02:00:00Z');
// Born 2024-05-20: under three for every month of the window.
const TODDLER = '2024-05-20';

function codesOf(reasons: readonly { code: ReasonCode }[]): ReasonCode[] {
  return reasons.map((found) => found.code);
}

describe('ageReachedOn', () => {
  it.each([
    ['2023-09-01', 36, '2026-09-01'],
    ['2023-08-31', 36, '2026-08-31'],
    // No 29 February in 2027: the third birthday is 1 March.
    ['2024-02-29', 36, '2027-03-01'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2024-02-29', 12, '2025-03-01'],
    ['2023-12-31', 2, '2024-03-01'], // 31 February does not exist either
  ])('born %s, %i months old on %s', (birthDate, months, expected) => {
    // Prepare / Act
    const reached = ageReachedOn(birthDate, months);

    // Assess
    expect(reached).toBe(expected);
  });
});

describe('claimWindow', () => {
  it.each([
    ['2026-10-15T02:00:00Z', 6, '2026-05', '2026-10'],
    ['2026-09-30T16:00:00Z', 6, '2026-05', '2026-10'], // 00:00 on 1 October in Huzhou
    ['2026-09-30T15:59:59Z', 6, '2026-04', '2026-09'],
    ['2026-02-10T00:00:00Z', 3, '2025-12', '2026-02'],
    ['2026-02-10T00:00:00Z', 1, '2026-02', '2026-02'],
  ])('at %s with %i months: %s … %s', (instant, claimWindowMonths, from, to) => {
    // Prepare
    const policy = { ...testPolicy, claimWindowMonths };

    // Act
    const window = claimWindow(new Date(instant), policy);

    // Assess
    expect(window).toEqual({ from, to });
  });
});

describe('preSubmissionChecks', () => {
  it.each([
    // label, birth date, months, today, expected reasons (code and months)
    ['an eligible claim', TODDLER, ['2026-09', '2026-10'], TODAY, []],
    ['the current month', TODDLER, ['2026-10'], TODAY, []],
    ['the next month', TODDLER, ['2026-11'], TODAY, [['MONTH_IN_FUTURE', ['2026-11']]]],
    [
      'the current month in Huzhou while UTC is still in the previous one',
      TODDLER,
      ['2026-10'],
      new Date('2026-09-30T16:00:00Z'),
      [],
    ],
    [
      'a month that starts at midnight in Huzhou',
      TODDLER,
      ['2026-10'],
      new Date('2026-09-30T15:59:59Z'),
      [['MONTH_IN_FUTURE', ['2026-10']]],
    ],
    ['the window’s oldest month', TODDLER, ['2026-05'], TODAY, []],
    ['the month before the window', TODDLER, ['2026-04'], TODAY, [['MONTH_TOO_OLD', ['2026-04']]]],
    ['as many months as allowed', TODDLER, ['2026-08', '2026-09', '2026-10'], TODAY, []],
    [
      'one month more than allowed',
      TODDLER,
      ['2026-07', '2026-08', '2026-09', '2026-10'],
      TODAY,
      [['TOO_MANY_MONTHS', undefined]],
    ],
    // Third birthday on the 1st: three for the whole month, so not that month.
    [
      '3rd birthday on the 1st',
      '2023-09-01',
      ['2026-08', '2026-09'],
      TODAY,
      [['CHILD_TOO_OLD', ['2026-09']]],
    ],
    // Third birthday on the 2nd: still two on the 1st, so that month counts.
    [
      '3rd birthday on the 2nd',
      '2023-09-02',
      ['2026-09', '2026-10'],
      TODAY,
      [['CHILD_TOO_OLD', ['2026-10']]],
    ],
    ['born on the 1st', '2026-06-01', ['2026-06'], TODAY, []],
    [
      'born on the 2nd',
      '2026-06-02',
      ['2026-06', '2026-07'],
      TODAY,
      [['CHILD_NOT_BORN', ['2026-06']]],
    ],
    [
      'born on 29 February, in March of the third year',
      '2024-02-29',
      ['2027-02', '2027-03'],
      new Date('2027-03-10T02:00:00Z'),
      [['CHILD_TOO_OLD', ['2027-03']]],
    ],
  ] as const)('%s', (_label, birthDate, months, today, expected) => {
    // Prepare
    const form = claimFor(birthDate, [...months]);

    // Act
    const reasons = preSubmissionChecks(form, today, testPolicy);

    // Assess
    expect(reasons.map(({ code, months: about }) => [code, about])).toEqual(expected);
  });

  it('reports every problem at once, each with its months', () => {
    // Prepare: 2026-03 is too old and the child was not born yet; 2026-11 and 2026-12 have not
    // begun; 2026-10 is fine; five months is two too many.
    const form = claimFor('2026-03-15', ['2026-12', '2026-03', '2026-10', '2026-11', '2026-04']);

    // Act
    const reasons = preSubmissionChecks(form, TODAY, testPolicy);

    // Assess
    expect(reasons).toEqual([
      reason('MONTH_IN_FUTURE', ['2026-11', '2026-12'], testPolicy),
      reason('MONTH_TOO_OLD', ['2026-03', '2026-04'], testPolicy),
      reason('TOO_MANY_MONTHS', [], testPolicy),
      reason('CHILD_NOT_BORN', ['2026-03'], testPolicy),
    ]);
  });

  it('quotes the policy in its texts', () => {
    // Prepare
    const form = claimFor(TODDLER, ['2026-01']);

    // Act
    const [tooOld] = preSubmissionChecks(form, TODAY, testPolicy);

    // Assess
    expect(tooOld?.message['zh-CN']).toContain('最近 6 个月');
  });

  it('follows the policy’s age limit', () => {
    // Prepare
    const policy = { ...testPolicy, ageLimitMonths: 24 };
    const form = claimFor('2024-09-01', ['2026-08', '2026-09']);

    // Act
    const reasons = preSubmissionChecks(form, TODAY, policy);

    // Assess
    expect(reasons).toEqual([reason('CHILD_TOO_OLD', ['2026-09'], policy)]);
    expect(reasons[0]?.message['zh-CN']).toContain('已满2周岁');
  });
});

describe('evaluateClaim', () => {
  const months = ['2026-09', '2026-10'];

  it.each([
    ['no registry record', { resident: undefined }, [['CHILD_NOT_IN_REGISTRY', undefined]]],
    [
      'a different name in the registry',
      { resident: { ...huzhouChild, name: '沈小河' } },
      [['CHILD_NAME_MISMATCH', undefined]],
    ],
    ['the same name with spaces around it', { resident: { ...huzhouChild, name: ' 沈小禾 ' } }, []],
    [
      '户籍 outside Huzhou',
      { resident: { ...huzhouChild, hukouDistrict: 'other' } },
      [['NOT_HUZHOU_HUKOU', undefined]],
    ],
    ['户籍 in 南太湖新区', { resident: { ...huzhouChild, hukouDistrict: 'nantaihu' } }, []],
    ['an unknown provider', { provider: undefined }, [['PROVIDER_NOT_REGISTERED', undefined]]],
    [
      'a provider registered from the 1st of the next month',
      { provider: { ...inclusiveProvider, registeredFrom: '2026-10-01' } },
      [['PROVIDER_NOT_REGISTERED', ['2026-09']]],
    ],
    [
      'a provider registered on the last day of a month',
      { provider: { ...inclusiveProvider, registeredFrom: '2026-09-30' } },
      [],
    ],
    [
      'a registration ending the day before the month',
      { provider: { ...inclusiveProvider, registeredUntil: '2026-09-30' } },
      [['PROVIDER_NOT_REGISTERED', ['2026-10']]],
    ],
    [
      'a registration ending on the month’s first day',
      { provider: { ...inclusiveProvider, registeredUntil: '2026-10-01' } },
      [],
    ],
    [
      'a revoked provider',
      { provider: { ...inclusiveProvider, status: 'revoked' } },
      [['PROVIDER_NOT_REGISTERED', ['2026-09', '2026-10']]],
    ],
    [
      'a provider that is not inclusive',
      { provider: { ...inclusiveProvider, inclusive: false } },
      [['PROVIDER_NOT_INCLUSIVE', undefined]],
    ],
    [
      'a suspended provider',
      { provider: { ...inclusiveProvider, status: 'suspended' } },
      [['PROVIDER_SUSPENDED', undefined]],
    ],
  ] as const)('%s', (_label, overrides, expected) => {
    // Prepare
    const input = {
      form: claimFor(TODDLER, months),
      resident: huzhouChild as EligibilityResident | undefined,
      provider: inclusiveProvider as EligibilityProvider | undefined,
      today: TODAY,
      policy: testPolicy,
      ...overrides,
    };

    // Act
    const evaluation = evaluateClaim(input);

    // Assess
    expect(evaluation.reasons.map(({ code, months: about }) => [code, about])).toEqual(expected);
    expect(evaluation.eligible).toBe(expected.length === 0);
    expect(evaluation.policyVersion).toBe(testPolicy.version);
    expect(evaluation.months).toEqual(months);
  });

  it('reports the form’s, the registry’s and the provider’s reasons together', () => {
    // Prepare
    const input = {
      form: claimFor('2023-09-01', ['2026-11', '2026-09', '2026-08']),
      resident: { name: '沈小河', hukouDistrict: 'other' } as const,
      provider: { inclusive: false, status: 'suspended', registeredFrom: '2026-09-01' } as const,
      today: TODAY,
      policy: testPolicy,
    };

    // Act
    const evaluation = evaluateClaim(input);

    // Assess
    expect(evaluation.eligible).toBe(false);
    expect(evaluation.months).toEqual(['2026-08', '2026-09', '2026-11']);
    expect(codesOf(evaluation.reasons)).toEqual([
      'MONTH_IN_FUTURE',
      'CHILD_TOO_OLD',
      'CHILD_NAME_MISMATCH',
      'NOT_HUZHOU_HUKOU',
      'PROVIDER_NOT_REGISTERED',
      'PROVIDER_NOT_INCLUSIVE',
      'PROVIDER_SUSPENDED',
    ]);
    expect(evaluation.reasons.find((found) => found.code === 'CHILD_TOO_OLD')?.months).toEqual([
      '2026-09',
      '2026-11',
    ]);
    expect(
      evaluation.reasons.find((found) => found.code === 'PROVIDER_NOT_REGISTERED')?.months,
    ).toEqual(['2026-08']);
  });

  it('does not check the name or 户籍 of a child the registry does not know', () => {
    // Prepare
    const input = {
      form: claimFor(TODDLER, months),
      resident: undefined,
      provider: inclusiveProvider,
      today: TODAY,
      policy: testPolicy,
    };

    // Act
    const evaluation = evaluateClaim(input);

    // Assess
    expect(codesOf(evaluation.reasons)).toEqual(['CHILD_NOT_IN_REGISTRY']);
  });

  it('includes everything preSubmissionChecks finds', () => {
    // Prepare
    const form = claimFor('2026-06-02', ['2026-04', '2026-06', '2026-07', '2026-12']);

    // Act
    const early = preSubmissionChecks(form, TODAY, testPolicy);
    const full = evaluateClaim({
      form,
      resident: huzhouChild,
      provider: inclusiveProvider,
      today: TODAY,
      policy: testPolicy,
    });

    // Assess
    expect(early.length).toBeGreaterThan(0);
    expect(full.reasons).toEqual(early);
  });
});

describe('subsidyAmountYuan', () => {
  it.each([
    [200, ['2026-09'], 200],
    [200, ['2026-09', '2026-10', '2026-08'], 600],
    [200, ['2026-09', '2026-09'], 200], // a month counts once
    [123.45, ['2026-01', '2026-02', '2026-03'], 370.35],
    [300, [], 0],
  ])('%d yuan a month for %j → %d', (monthlyAmountYuan, months, expected) => {
    // Prepare
    const policy = subsidyPolicySchema.parse({ ...testPolicy, monthlyAmountYuan });

    // Act
    const amount = subsidyAmountYuan(policy, months);

    // Assess
    expect(amount).toBe(expected);
  });
});
