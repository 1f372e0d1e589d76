import { describe, expect, it } from 'vitest';
import {
  type ProviderEvent,
  type ProviderRecord,
  providerRecordSchema,
  registryIndexKeys,
} from '../../../shared/providers/provider-record.ts';
import {
  providerEventItem,
  providerItem,
  providerWriteItems,
} from '../../../shared/providers/provider-store.ts';
import { fullProvider, seededProvider } from './fixtures.ts';

const indexKeys = ['gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'];

describe('registry index keys', () => {
  it.each<[string, Partial<ProviderRecord>, Record<string, string>]>([
    [
      'registered and inclusive: both lists',
      { status: 'registered', inclusive: true },
      {
        gsi3pk: 'REGISTRY#PROVIDERS',
        gsi3sk: 'wuxing#P-WX-0042',
        gsi2pk: 'REGISTRY#PROVIDERS#INCLUSIVE',
        gsi2sk: 'wuxing#P-WX-0042',
      },
    ],
    [
      'registered, not inclusive: the full list only',
      { status: 'registered', inclusive: false },
      { gsi3pk: 'REGISTRY#PROVIDERS', gsi3sk: 'wuxing#P-WX-0042' },
    ],
    ['suspended: no list', { status: 'suspended', inclusive: true }, {}],
    ['revoked: no list', { status: 'revoked', inclusive: true }, {}],
  ])('%s', (_case, change, expected) => {
    // Prepare
    const record = { ...fullProvider, ...change };

    // Act
    const item = providerItem(record);

    // Assess
    expect(registryIndexKeys(record)).toEqual(expected);
    const present = Object.fromEntries(
      Object.entries(item).filter(([name]) => indexKeys.includes(name)),
    );
    expect(present).toEqual(expected);
    expect(item).toMatchObject({ pk: 'PROVIDER#P-WX-0042', sk: 'PROFILE', ...record });
  });
});

describe('providerRecordSchema, the registration fields', () => {
  it('accepts a record with every field, and an old seed with none of them', () => {
    // Act
    const full = providerRecordSchema.safeParse(fullProvider);
    const seeded = providerRecordSchema.safeParse(seededProvider);

    // Assess
    expect(full.success).toBe(true);
    expect(seeded.success).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'a class type missing',
      { capacityByClass: { infant: 1, toddler: 2, preschool: 3 } },
      'capacityByClass',
    ],
    [
      'an unknown class type',
      { capacityByClass: { infant: 1, toddler: 2, preschool: 3, mixed: 0, nursery: 1 } },
      'capacityByClass',
    ],
    [
      'negative places',
      { capacityByClass: { infant: -1, toddler: 2, preschool: 3, mixed: 0 } },
      'capacityByClass',
    ],
    [
      'more certified caregivers than caregivers',
      {
        staffSummary: {
          staffCount: 5,
          caregiverCount: 2,
          certifiedCaregiverCount: 3,
          certificationRate: 1,
        },
      },
      'staffSummary',
    ],
    [
      'a rate above 1',
      { staffSummary: { ...fullProvider.staffSummary, certificationRate: 1.5 } },
      'staffSummary',
    ],
    ['version 0', { version: 0 }, 'version'],
    ['a fee below 0', { monthlyFeeYuan: -1 }, 'monthlyFeeYuan'],
    ['a registeredAt that is no time', { registeredAt: '2026-11-28' }, 'registeredAt'],
  ])('refuses %s', (_case, change, path) => {
    // Act
    const result = providerRecordSchema.safeParse({ ...fullProvider, ...change });

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path[0])).toContain(path);
  });
});

const event = (version: number): ProviderEvent => ({
  providerId: 'P-WX-0042',
  version,
  at: '2026-11-28T02:00:00.000Z',
  type: 'provider.registered',
  actor: { kind: 'system', component: 'workflow' },
  toStatus: 'registered',
  data: { caseId: 'PR-0123456789AB' },
});

describe('providerWriteItems', () => {
  it.each<[string, number | undefined, Record<string, unknown>]>([
    [
      'creates when no version is expected',
      undefined,
      { ConditionExpression: 'attribute_not_exists(version)' },
    ],
    [
      'creates, or replaces a versionless seed, at version 0',
      0,
      { ConditionExpression: 'attribute_not_exists(version)' },
    ],
    [
      'replaces exactly the version it read',
      3,
      { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': 3 } },
    ],
  ])('%s', (_case, expected, guard) => {
    // Prepare
    const version = (expected ?? 0) + 1;

    // Act
    const [provider, audit] = providerWriteItems(
      { ...fullProvider, version },
      event(version),
      expected,
      'table',
    );

    // Assess
    expect(provider.Put).toEqual({
      TableName: 'table',
      Item: providerItem({ ...fullProvider, version }, new Date(event(version).at)),
      ...guard,
    });
    expect(audit.Put).toEqual({
      TableName: 'table',
      Item: providerEventItem(event(version)),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(audit.Put?.Item).toMatchObject({
      pk: 'PROVIDER#P-WX-0042',
      sk: `EVENT#0000000${version}`,
      entity: 'ProviderEvent',
      version,
    });
  });

  it.each([
    ['the record', { ...fullProvider, version: 3 }, event(4)],
    ['the event', { ...fullProvider, version: 4 }, event(3)],
  ])('refuses a version out of step in %s', (_case, record, audit) => {
    // Act
    const build = () => providerWriteItems(record, audit, 3, 'table');

    // Assess
    expect(build).toThrow(RangeError);
  });

  it('refuses an event of another provider', () => {
    // Act
    const build = () =>
      providerWriteItems(fullProvider, { ...event(1), providerId: 'P-WX-0001' }, undefined, 't');

    // Assess
    expect(build).toThrow(RangeError);
  });

  it('refuses an invalid record before anything is written', () => {
    // Act
    const build = () =>
      providerWriteItems({ ...fullProvider, capacity: -1 }, event(1), undefined, 't');

    // Assess
    expect(build).toThrow();
  });
});
