import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  InvalidWaiverPolicyError,
  loadWaiverPolicies,
  NoWaiverPolicyInForceError,
  UnknownWaiverPolicyVersionError,
  waiverPolicies,
  waiverPolicyByVersion,
  waiverPolicyFor,
  waiverPolicySchema,
} from '../../../shared/waivers/policy/policy.ts';

const policyDir = new URL('../../../shared/waivers/policy/', import.meta.url);
const versionsDir = new URL('versions/', policyDir);

function versionFiles(): { name: string; data: unknown }[] {
  return readdirSync(versionsDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, data: JSON.parse(readFileSync(new URL(name, versionsDir), 'utf8')) }));
}

const validPolicy = {
  version: '2030-01',
  effectiveFrom: '2030-01-01',
  percentByCategory: { tekun: 100, orphan: 100, dibao: 90, dibian: 40, disabled: 60 },
  maxWaiverYuanPerMonth: 1999.99,
  milkSubsidyYuanPerMonth: 80,
  ageLimitMonths: 36,
  maxTermMonths: 12,
  maxMonthsAhead: 3,
  placeholders: false,
  source: 'test',
};

describe('the policy files', () => {
  it('are each valid and named after their version', () => {
    // Prepare
    const files = versionFiles();

    // Act
    const results = files.map(({ name, data }) => ({
      name,
      parsed: waiverPolicySchema.safeParse(data),
    }));

    // Assess
    expect(files.length).toBeGreaterThanOrEqual(1);
    for (const { name, parsed } of results) {
      expect(parsed.success, name).toBe(true);
      expect(parsed.data?.version, name).toBe(name.replace(/\.json$/, ''));
    }
  });

  it('are all loaded, oldest first', () => {
    // Prepare
    const onDisk = versionFiles()
      .map(({ data }) => waiverPolicySchema.parse(data))
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));

    // Act
    const loaded = waiverPolicies;

    // Assess
    expect(loaded).toEqual(onDisk);
  });

  it('say that their figures are placeholders, in the data and in the README', () => {
    // Prepare
    const readme = readFileSync(new URL('README.md', policyDir), 'utf8');

    // Act
    const unofficial = waiverPolicies.filter((policy) => policy.placeholders);

    // Assess
    expect(unofficial).toEqual(waiverPolicies);
    for (const policy of unofficial) expect(policy.notes).toContain('PLACEHOLDER');
    expect(readme).toContain('PLACEHOLDER');
    expect(readme).toContain('实施困难儿童托育帮扶行动');
  });

  it('hold the issue’s default percentages in the first version', () => {
    // Prepare / Act
    const first = waiverPolicyByVersion('2025-01');

    // Assess
    expect(first.percentByCategory).toEqual({
      tekun: 100,
      orphan: 100,
      dibao: 100,
      dibian: 50,
      disabled: 50,
    });
    expect(first.ageLimitMonths).toBe(36);
    expect(first.maxTermMonths).toBe(12);
  });
});

describe('loadWaiverPolicies', () => {
  it.each([
    [
      'a category without a percentage',
      { percentByCategory: { tekun: 100, orphan: 100, dibao: 100, dibian: 50 } },
    ],
    ['an unknown category', { percentByCategory: { ...validPolicy.percentByCategory, poor: 10 } }],
    ['a 0 % waiver', { percentByCategory: { ...validPolicy.percentByCategory, dibian: 0 } }],
    [
      'a percentage over 100',
      { percentByCategory: { ...validPolicy.percentByCategory, dibao: 101 } },
    ],
    [
      'a fractional percentage',
      { percentByCategory: { ...validPolicy.percentByCategory, dibao: 99.5 } },
    ],
    ['a maximum with three decimals', { maxWaiverYuanPerMonth: 1999.999 }],
    ['no milk amount', { milkSubsidyYuanPerMonth: undefined }],
    ['a term longer than the form allows', { maxTermMonths: 13 }],
    ['a date that does not exist', { effectiveFrom: '2030-02-30' }],
    ['an unknown field', { discount: 5 }],
  ])('refuses %s, naming the version', (_label, change) => {
    // Prepare
    const raw = { ...validPolicy, ...change };

    // Act
    const load = () => loadWaiverPolicies([raw]);

    // Assess
    expect(load).toThrow(InvalidWaiverPolicyError);
    expect(load).toThrow(/2030-01/);
  });

  it('refuses two versions that take effect on the same day', () => {
    // Prepare
    const raw = [validPolicy, { ...validPolicy, version: '2030-02' }];

    // Act
    const load = () => loadWaiverPolicies(raw);

    // Assess
    expect(load).toThrow(/2030-01 and 2030-02 both take effect on 2030-01-01/);
  });

  it('refuses two files with the same version', () => {
    // Prepare
    const raw = [validPolicy, { ...validPolicy, effectiveFrom: '2030-06-01' }];

    // Act
    const load = () => loadWaiverPolicies(raw);

    // Assess
    expect(load).toThrow(InvalidWaiverPolicyError);
  });
});

describe('waiverPolicyFor and waiverPolicyByVersion', () => {
  const policies = loadWaiverPolicies([
    {
      ...validPolicy,
      version: '2031-07',
      effectiveFrom: '2031-07-01',
      maxWaiverYuanPerMonth: 2500,
    },
    validPolicy,
  ]);

  it.each([
    ['2030-01-01T00:00:00+08:00', '2030-01'],
    ['2031-06-30T23:59:59+08:00', '2030-01'],
    // 00:00 on 1 July in Huzhou is still 30 June in UTC.
    ['2031-06-30T16:00:00Z', '2031-07'],
    ['2040-01-01T00:00:00Z', '2031-07'],
  ])('at %s selects %s', (instant, version) => {
    // Prepare / Act
    const policy = waiverPolicyFor(new Date(instant), policies);

    // Assess
    expect(policy.version).toBe(version);
  });

  it('refuses a day before the first version', () => {
    // Prepare
    const before = new Date('2029-12-31T15:59:59Z');

    // Act
    const select = () => waiverPolicyFor(before, policies);

    // Assess
    expect(select).toThrow(NoWaiverPolicyInForceError);
    expect(select).toThrow(/2029-12-31/);
  });

  it('finds a version by name, and refuses an unknown one', () => {
    // Prepare / Act
    const found = waiverPolicyByVersion('2031-07', policies);
    const unknown = () => waiverPolicyByVersion('2099-01', policies);

    // Assess
    expect(found.maxWaiverYuanPerMonth).toBe(2500);
    expect(unknown).toThrow(UnknownWaiverPolicyVersionError);
  });

  it('selects from the published versions by default', () => {
    // Prepare / Act
    const policy = waiverPolicyFor(new Date('2026-10-15T02:00:00Z'));

    // Assess
    expect(policy.version).toBe(
      waiverPolicies.filter((candidate) => candidate.effectiveFrom <= '2026-10-15').at(-1)?.version,
    );
  });
});
