import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../shared/cases/case-record.ts';
import { ServiceBusyError } from '../../../shared/errors/http-errors.ts';
import {
  ProviderNotFoundError,
  ProviderStatusFinalError,
} from '../../../shared/providers/provider-errors.ts';
import type { ProviderRecord } from '../../../shared/providers/provider-record.ts';
import { ProviderStore, providerItem } from '../../../shared/providers/provider-store.ts';
import { fullProvider, seededProvider } from './fixtures.ts';
import { providerTable } from './provider-table.ts';

const at = new Date('2026-11-28T03:00:00.000Z');
const supervisor: Actor = { kind: 'person', sub: 'wx-sup-1', roles: ['supervisor'] };

function storeWith(...records: ProviderRecord[]) {
  const table = providerTable();
  for (const record of records) {
    const item = providerItem(record);
    table.items.set(`${item.pk}|${item.sk}`, item);
  }
  const store = new ProviderStore({ documents: table.documents, tableName: 't', now: () => at });
  const stored = (providerId: string) => table.items.get(`PROVIDER#${providerId}|PROFILE`);
  return { table, store, stored };
}

describe('ProviderStore.setStatus', () => {
  it('suspends: provider, audit event and the provider notice in one guarded transaction', async () => {
    // Prepare
    const { table, store, stored } = storeWith({ ...fullProvider, version: 2 });

    // Act
    const record = await store.setStatus(
      'P-WX-0042',
      { status: 'suspended', reason: '消防检查未通过' },
      supervisor,
    );

    // Assess
    expect(record).toMatchObject({
      status: 'suspended',
      statusReason: '消防检查未通过',
      version: 3,
    });
    const [provider, event, notice] = table.transactions[0]?.input.TransactItems ?? [];
    expect(provider?.Put).toMatchObject({
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 2 },
    });
    expect(event?.Put?.Item).toEqual({
      pk: 'PROVIDER#P-WX-0042',
      sk: 'EVENT#00000003',
      entity: 'ProviderEvent',
      providerId: 'P-WX-0042',
      version: 3,
      at: at.toISOString(),
      type: 'provider.status-changed',
      actor: supervisor,
      fromStatus: 'registered',
      toStatus: 'suspended',
      note: '消防检查未通过',
    });
    expect(notice?.Put?.Item).toMatchObject({
      template: 'provider-status-changed',
      recipient: { kind: 'queue', role: 'provider', scope: 'P:P-WX-0042' },
      caseId: 'P-WX-0042',
      params: { providerStatus: 'suspended', dedupeKey: 3 },
      status: 'pending',
    });
    // Off both public lists: the Put replaced the item without its index keys.
    expect(stored('P-WX-0042')).not.toHaveProperty('gsi3pk');
    expect(stored('P-WX-0042')).not.toHaveProperty('gsi2pk');
    expect(stored('P-WX-0042')).toMatchObject({ status: 'suspended', version: 3 });
  });

  it('reinstates: back on the lists, the reason cleared from the provider but kept in the event', async () => {
    // Prepare
    const { table, store, stored } = storeWith({
      ...fullProvider,
      status: 'suspended',
      statusReason: '消防检查未通过',
      version: 3,
    });

    // Act
    const record = await store.setStatus(
      'P-WX-0042',
      { status: 'registered', reason: '整改完成' },
      supervisor,
    );

    // Assess
    expect(record.status).toBe('registered');
    expect(record).not.toHaveProperty('statusReason');
    expect(stored('P-WX-0042')).toMatchObject({
      gsi3pk: 'REGISTRY#PROVIDERS',
      gsi2pk: 'REGISTRY#PROVIDERS#INCLUSIVE',
      version: 4,
    });
    expect(table.transactions[0]?.input.TransactItems?.[1]?.Put?.Item).toMatchObject({
      fromStatus: 'suspended',
      toStatus: 'registered',
      note: '整改完成',
    });
  });

  it('changes a seeded provider that has no version yet (version 0)', async () => {
    // Prepare
    const { table, store } = storeWith(seededProvider);

    // Act
    const record = await store.setStatus(
      'P-AJ-0001',
      { status: 'revoked', reason: '机构已注销' },
      supervisor,
    );

    // Assess
    expect(record).toMatchObject({ status: 'revoked', version: 1 });
    expect(table.transactions[0]?.input.TransactItems?.[0]?.Put?.ConditionExpression).toBe(
      'attribute_not_exists(version)',
    );
  });

  it('answers the current status without writing anything', async () => {
    // Prepare
    const { table, store } = storeWith({ ...fullProvider, status: 'suspended', version: 3 });

    // Act
    const record = await store.setStatus(
      'P-WX-0042',
      { status: 'suspended', reason: '再次暂停' },
      supervisor,
    );

    // Assess
    expect(record).toMatchObject({ status: 'suspended', version: 3 });
    expect(table.transactions).toHaveLength(0);
  });

  it('refuses to change a revoked provider', async () => {
    // Prepare
    const { table, store } = storeWith({ ...fullProvider, status: 'revoked', version: 5 });

    // Act
    const error = await store
      .setStatus('P-WX-0042', { status: 'registered', reason: '恢复' }, supervisor)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProviderStatusFinalError);
    expect(table.transactions).toHaveLength(0);
  });

  it.each(['P-WX-9999', 'P-WX-0001#PROFILE'])('answers PROVIDER_NOT_FOUND for %s', async (id) => {
    // Prepare
    const { store } = storeWith(fullProvider);

    // Act
    const error = await store
      .setStatus(id, { status: 'suspended', reason: '检查' }, supervisor)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProviderNotFoundError);
    expect(error).toMatchObject({ code: 'PROVIDER_NOT_FOUND', statusCode: 404 });
  });

  it('reads again and decides again when another change got there first', async () => {
    // Prepare: a concurrent suspension lands between our read and our write
    const { table, store, stored } = storeWith({ ...fullProvider, version: 2 });
    const send = table.documents.send.bind(table.documents);
    let raced = false;
    table.documents.send = (async (command: unknown) => {
      if (!raced && command?.constructor?.name === 'TransactWriteCommand') {
        raced = true;
        const item = providerItem({
          ...fullProvider,
          status: 'suspended',
          statusReason: '另一位主管已暂停',
          version: 3,
        });
        table.items.set(`${item.pk}|${item.sk}`, item);
      }
      return send(command as never);
    }) as typeof table.documents.send;

    // Act
    const record = await store.setStatus(
      'P-WX-0042',
      { status: 'revoked', reason: '严重违规' },
      supervisor,
    );

    // Assess
    expect(table.transactions).toHaveLength(2);
    expect(record).toMatchObject({ status: 'revoked', version: 4 });
    expect(table.transactions[1]?.input.TransactItems?.[1]?.Put?.Item).toMatchObject({
      fromStatus: 'suspended',
      toStatus: 'revoked',
    });
    expect(stored('P-WX-0042')).toMatchObject({ status: 'revoked', version: 4 });
  });

  it('retries a transaction conflict, and gives up busy after a few', async () => {
    // Prepare
    const { table, store } = storeWith({ ...fullProvider, version: 2 });
    table.state.conflicts = 100;

    // Act
    const error = await store
      .setStatus('P-WX-0042', { status: 'suspended', reason: '检查' }, supervisor)
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ServiceBusyError);
    expect(table.transactions).toHaveLength(5);
  });
});
