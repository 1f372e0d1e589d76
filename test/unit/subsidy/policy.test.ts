import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InvalidSubsidyPolicyError,
  loadSubsidyPolicies,
  NoSubsidyPolicyInForceError,
  policyByVersion,
  policyFor,
  subsidyPolicies,
  subsidyPolicySchema,
  UnknownSubsidyPolicyVersionError,
} from '../../../shared/subsidy/policy/policy.ts';

const versionsDir = new URL('../../../shared/subsidy/policy/versions/', import.meta.url);

function versionFiles(): { name: string; data: unknown }[] {
  return readdirSync(versionsDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, data: JSON.parse(readFileSync(new URL(name, versionsDir), 'utf8')) }));
}

const validPolicy = {
  version: '2030-01',
  effectiveFrom: '2030-01-01',
  monthlyAmountYuan: 199.99,
  claimWindowMonths: 6,
  maxMonthsPerClaim: 12,
  ageLimitMonths: 36,
  amountIsPlaceholder: false,
  source: 'test',
};

describe('the policy files', () => {
  it('are each valid and named after their version', () => {
    // Prepare
    const files = versionFiles();

    // Act
    const results = files.map(({ name, data }) => ({
      name,
      parsed: subsidyPolicySchema.safeParse(data),
    }));

    // Assess
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const { name, parsed } of results) {
      expect(parsed.success, name).toBe(true);
      expect(parsed.data?.version, name).toBe(name.replace(/\.json$/, ''));
    }
  });

  it('are all loaded, oldest first', () => {
    // Prepare
    const onDisk = versionFiles()
      .map(({ data }) => subsidyPolicySchema.parse(data))
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

    // Act
    const loaded = subsidyPolicies;

    // Assess
    expect(loaded.map((policy) => policy.version)).toEqual(onDisk.map((policy) => policy.version));
    expect(loaded).toEqual(onDisk);
  });

  it('say so when the amount is a placeholder', () => {
    // Prepare
    const placeholders = subsidyPolicies.filter((policy) => policy.amountIsPlaceholder);

    // Act
    const unexplained = placeholders.filter((policy) => !policy.notes?.includes('PLACEHOLDER'));

    // Assess
    expect(unexplained.map((policy) => policy.version)).toEqual([]);
  });
});

describe('policyFor', () => {
  it.each([
    // instant (UTC)                 version in force in Huzhou
    ['2025-01-01T00:00:00Z', '2025-01'],
    ['2024-12-31T16:00:00Z', '2025-01'], // 2025-01-01 00:00 in Huzhou
    ['2026-06-30T15:59:59Z', '2025-01'], // 23:59:59 on the day before 2026-07
    ['2026-06-30T16:00:00Z', '2026-07'], // 2026-07-01 00:00 in Huzhou
    ['2030-05-05T00:00:00Z', '2026-07'],
  ])('at %s → %s', (instant, version) => {
    // Prepare
    const at = new Date(instant);

    // Act
    const policy = policyFor(at);

    // Assess
    expect(policy.version).toBe(version);
  });

  it('finds no policy before the first one took effect', () => {
    // Prepare
    const before = new Date('2024-12-31T15:59:59Z'); // 23:59:59 on 2024-12-31 in Huzhou

    // Act / Assess
    expect(() => policyFor(before)).toThrow(NoSubsidyPolicyInForceError);
  });

  it('picks from the list it is given', () => {
    // Prepare
    const policies = loadSubsidyPolicies([
      { ...validPolicy, version: '2031-03', effectiveFrom: '2031-03-15' },
      validPolicy,
    ]);

    // Act
    const early = policyFor(new Date('2031-03-14T12:00:00Z'), policies);
    const late = policyFor(new Date('2031-03-14T16:00:00Z'), policies);

    // Assess
    expect(early.version).toBe('2030-01');
    expect(late.version).toBe('2031-03');
  });
});

describe('policyByVersion', () => {
  it.each(['2025-01', '2026-07'])('finds %s', (version) => {
    // Prepare / Act
    const policy = policyByVersion(version);

    // Assess
    expect(policy.version).toBe(version);
    expect(policy.effectiveFrom.startsWith(version)).toBe(true);
  });

  it('refuses a version never published', () => {
    // Prepare / Act / Assess
    expect(() => policyByVersion('1999-01')).toThrow(UnknownSubsidyPolicyVersionError);
  });
});

describe('loadSubsidyPolicies', () => {
  it.each([
    ['a missing amount', { ...validPolicy, monthlyAmountYuan: undefined }, 'monthlyAmountYuan'],
    ['a negative amount', { ...validPolicy, monthlyAmountYuan: -1 }, 'monthlyAmountYuan'],
    ['a fraction of a fen', { ...validPolicy, monthlyAmountYuan: 200.001 }, 'monthlyAmountYuan'],
    ['an amount as text', { ...validPolicy, monthlyAmountYuan: '200' }, 'monthlyAmountYuan'],
    ['an impossible date', { ...validPolicy, effectiveFrom: '2030-02-30' }, 'effectiveFrom'],
    ['a zero window', { ...validPolicy, claimWindowMonths: 0 }, 'claimWindowMonths'],
    ['a fractional maximum', { ...validPolicy, maxMonthsPerClaim: 1.5 }, 'maxMonthsPerClaim'],
    ['a malformed version', { ...validPolicy, version: '2030-1' }, 'version'],
    ['an unknown field', { ...validPolicy, monthlyAmount: 200 }, 'monthlyAmount'],
  ])('refuses %s', (_label, candidate, field) => {
    // Prepare
    const raw = [candidate];

    // Act
    const load = () => loadSubsidyPolicies(raw);

    // Assess
    expect(load).toThrow(InvalidSubsidyPolicyError);
    expect(load).toThrow(field);
  });

  it('refuses two versions taking effect on the same day', () => {
    // Prepare
    const raw = [validPolicy, { ...validPolicy, version: '2030-02' }];

    // Act / Assess
    expect(() => loadSubsidyPolicies(raw)).toThrow(/both take effect on 2030-01-01/);
  });

  it('refuses two files with the same version', () => {
    // Prepare
    const raw = [validPolicy, { ...validPolicy, effectiveFrom: '2030-02-01' }];

    // Act / Assess
    expect(() => loadSubsidyPolicies(raw)).toThrow(InvalidSubsidyPolicyError);
  });

  it('accepts amounts in fen and freezes what it returns', () => {
    // Prepare / Act
    const [policy] = loadSubsidyPolicies([validPolicy]);

    // Assess
    expect(policy?.monthlyAmountYuan).toBe(199.99);
    expect(Object.isFrozen(policy)).toBe(true);
  });
});
