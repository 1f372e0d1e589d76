import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { outboxPut } from '../../../shared/notifications/outbox.ts';
import { dynamoOutboxStore } from '../../../shared/notifications/outbox-store.ts';

type AnyCommand = QueryCommand | UpdateCommand;

/** Records each command; answers with the next queued reply (an output, or an error to throw). */
function recordingClient(...replies: (Record<string, unknown> | Error)[]) {
  const commands: AnyCommand[] = [];
  return {
    commands,
    inputs: () => commands.map((c) => c.input as Record<string, unknown>),
    send: async (command: AnyCommand) => {
      commands.push(command);
      const reply = replies.shift() ?? {};
      if (reply instanceof Error) throw reply;
      return { $metadata: {}, ...reply };
    },
  };
}

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/**
 * DynamoDB rejects an expression that uses an undefined placeholder, and a request that defines
 * one no expression uses: both ways must hold for every update.
 */
function expectPlaceholdersMatch(input: Record<string, unknown>) {
  const text = ['UpdateExpression', 'ConditionExpression', 'KeyConditionExpression']
    .map((k) => String(input[k] ?? ''))
    .join(' ');
  const used = (prefix: string) =>
    [...new Set(text.match(new RegExp(`${prefix}[A-Za-z0-9_]+`, 'g')) ?? [])].sort();
  expect(used('#')).toEqual(
    Object.keys((input.ExpressionAttributeNames as object | undefined) ?? {}).sort(),
  );
  expect(used(':')).toEqual(
    Object.keys((input.ExpressionAttributeValues as object | undefined) ?? {}).sort(),
  );
}

const filed = outboxPut(
  {
    template: 'case-approved',
    recipient: { kind: 'applicant', sub: 'family-1' },
    caseId: 'SC-0123456789AB',
    params: { caseType: 'subsidy-claim' },
  },
  new Date('2026-03-01T02:00:00.000Z'),
  'table',
).Put.Item;
const key = { pk: filed.pk, sk: filed.sk };
const now = new Date('2026-03-01T02:01:00.000Z');

describe('dynamoOutboxStore', () => {
  it('queries the pending index for what is due, soonest first, never scanning', async () => {
    // Prepare
    const client = recordingClient({
      Items: [filed, { pk: 'OUTBOX#2026-03-01', sk: 'junk', gsi4sk: 'x#junk' }],
    });
    const store = dynamoOutboxStore(client, 'table');

    // Act
    const due = await store.due(now, 25);

    // Assess
    const [input] = client.inputs();
    expect(input).toMatchObject({
      TableName: 'table',
      IndexName: 'gsi4',
      ScanIndexForward: true,
      Limit: 25,
      ExpressionAttributeValues: {
        ':pending': 'OUTBOX#PENDING',
        ':bound': '2026-03-01T02:01:00.000Z~',
      },
    });
    expect(input?.KeyConditionExpression).toBe('#gsi4pk = :pending AND #gsi4sk < :bound');
    expectPlaceholdersMatch(input ?? {});
    expect(due).toEqual([
      { key, seen: expect.objectContaining({ notificationId: filed.notificationId }) },
      { key: { pk: 'OUTBOX#2026-03-01', sk: 'junk' }, seen: undefined, gsi4sk: 'x#junk' },
    ]);
  });

  it('puts `now` between items due at that millisecond and items due later', () => {
    // Prepare
    const bound = `${now.toISOString()}~`;

    // Act
    const order = [
      `${now.toISOString()}#N-zzzzzzzzzzzzzzzzzzzzzz` < bound,
      `${new Date(now.getTime() + 1).toISOString()}#N-A` < bound,
    ];

    // Assess
    expect(order).toEqual([true, false]);
  });

  it('claims only an item still as it was seen, moving it to the claim’s expiry', async () => {
    // Prepare
    const claimed = { ...filed, status: 'sending', claimToken: 'tok', claimedUntil: 'u' };
    const client = recordingClient({ Attributes: claimed });
    const store = dynamoOutboxStore(client, 'table');
    const until = '2026-03-01T02:06:00.000Z';

    // Act
    const result = await store.claim(
      key,
      { status: 'pending', notificationId: filed.notificationId, gsi4sk: filed.gsi4sk },
      { token: 'tok', until },
    );

    // Assess
    const [input] = client.inputs();
    expect(input).toMatchObject({
      Key: key,
      ConditionExpression: '#status = :seenStatus AND #gsi4sk = :seenSk',
      ReturnValues: 'ALL_NEW',
    });
    expect(input?.ExpressionAttributeValues).toMatchObject({
      ':seenStatus': 'pending',
      ':seenSk': filed.gsi4sk,
      ':claimedSk': `${until}#${filed.notificationId}`,
      ':lapsed': 0,
    });
    expectPlaceholdersMatch(input ?? {});
    const { pk: _pk, sk: _sk, gsi4pk: _index, entity: _entity, ...record } = claimed;
    expect(result).toEqual({ key, token: 'tok', record });
  });

  it('counts a lapsed claim as an attempt when taking it over', async () => {
    // Prepare
    const client = recordingClient({ Attributes: { ...filed, status: 'sending' } });
    const store = dynamoOutboxStore(client, 'table');

    // Act
    await store.claim(
      key,
      { status: 'sending', notificationId: filed.notificationId, gsi4sk: 'x' },
      { token: 't', until: 'u' },
    );

    // Assess
    expect(client.inputs()[0]?.ExpressionAttributeValues).toMatchObject({ ':lapsed': 1 });
  });

  it('answers undefined when another run claimed first', async () => {
    // Prepare
    const store = dynamoOutboxStore(recordingClient(conditionFailed()), 'table');

    // Act
    const result = await store.claim(
      key,
      { status: 'pending', notificationId: filed.notificationId, gsi4sk: filed.gsi4sk },
      { token: 't', until: 'u' },
    );

    // Assess
    expect(result).toBeUndefined();
  });

  it('rethrows errors other than a failed condition', async () => {
    // Prepare
    const store = dynamoOutboxStore(recordingClient(new Error('network down')), 'table');

    // Act
    const claiming = store.claim(
      key,
      { status: 'pending', notificationId: filed.notificationId, gsi4sk: filed.gsi4sk },
      { token: 't', until: 'u' },
    );

    // Assess
    await expect(claiming).rejects.toThrow('network down');
  });

  it('marks sent only under its own claim and leaves the pending index', async () => {
    // Prepare
    const client = recordingClient({ Attributes: {} }, conditionFailed());
    const store = dynamoOutboxStore(client, 'table');
    const claimed = { key, token: 'tok', record: { ...filed, status: 'sending' as const } };
    const receipt = { sentAt: 's', channel: 'sns-sms', messageId: 'm', sentTo: '138****5678' };

    // Act
    const results = [
      await store.markSent(claimed, receipt),
      await store.markSent(claimed, receipt),
    ];

    // Assess
    expect(results).toEqual([true, false]);
    const [input] = client.inputs();
    expect(input?.ConditionExpression).toBe('#status = :sending AND #claimToken = :token');
    expect(input?.UpdateExpression).toMatch(/REMOVE #gsi4pk, #gsi4sk, #claimToken/);
    expect(input?.ExpressionAttributeValues).toMatchObject({ ':sent': 'sent', ':token': 'tok' });
    expectPlaceholdersMatch(input ?? {});
  });

  it('re-files a failed item at its retry time, or takes it out of the index for good', async () => {
    // Prepare
    const client = recordingClient({ Attributes: {} }, { Attributes: {} });
    const store = dynamoOutboxStore(client, 'table');
    const claimed = { key, token: 'tok', record: { ...filed, status: 'sending' as const } };
    const retryAt = '2026-03-01T02:02:00.000Z';

    // Act
    await store.markFailed(claimed, { attempts: 1, error: 'e', at: 'a', retryAt });
    await store.markFailed(claimed, { attempts: 5, error: 'e', at: 'a' });

    // Assess
    const [retry, giveUp] = client.inputs();
    expect(retry?.ExpressionAttributeValues).toMatchObject({
      ':pending': 'pending',
      ':attempts': 1,
      ':retrySk': `${retryAt}#${filed.notificationId}`,
    });
    expect(retry?.UpdateExpression).not.toMatch(/REMOVE.*#gsi4pk/);
    expect(giveUp?.ExpressionAttributeValues).toMatchObject({
      ':failed': 'failed',
      ':attempts': 5,
    });
    expect(giveUp?.UpdateExpression).toMatch(/REMOVE #gsi4pk, #gsi4sk/);
    expectPlaceholdersMatch(retry ?? {});
    expectPlaceholdersMatch(giveUp ?? {});
  });

  it('discards an unreadable item only if it is still where it was seen', async () => {
    // Prepare
    const client = recordingClient({ Attributes: {} });
    const store = dynamoOutboxStore(client, 'table');

    // Act
    const done = await store.discard(key, 'seen-sk', 'Unreadable', 'a');

    // Assess
    expect(done).toBe(true);
    const [input] = client.inputs();
    expect(input?.ConditionExpression).toBe('#gsi4sk = :seenSk');
    expectPlaceholdersMatch(input ?? {});
  });

  it("reads only the applicant and the guardian's phone of a case, from its record and form", async () => {
    // Prepare
    const client = recordingClient(
      {
        Items: [
          { sk: 'CASE', applicantSub: 'family-1' },
          { sk: 'CASE#FORM', form: { guardian: { phone: '13812345678' } } },
        ],
      },
      { Items: [] },
      {
        Items: [
          { sk: 'CASE', applicantSub: 'family-2' },
          { sk: 'CASE#FORM', form: {} },
        ],
      },
    );
    const store = dynamoOutboxStore(client, 'table');

    // Act
    const found = await store.guardianContact('SC-1');
    const missing = await store.guardianContact('SC-2');
    const noPhone = await store.guardianContact('SC-3');

    // Assess
    expect(found).toEqual({ applicantSub: 'family-1', phone: '13812345678' });
    expect(missing).toBeUndefined();
    expect(noPhone).toEqual({ applicantSub: 'family-2', phone: undefined });
    const [input] = client.inputs();
    expect(input).toMatchObject({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeValues: { ':pk': 'CASE#SC-1', ':prefix': 'CASE' },
      ProjectionExpression:
        '#sk, #applicantSub, #form.#guardian.#phone, #form.#organisation.#legalRepresentative.#phone',
    });
    expectPlaceholdersMatch({
      ...input,
      KeyConditionExpression: `${input?.KeyConditionExpression} ${input?.ProjectionExpression}`,
    });
  });

  it('reads the phone from a record stored with its form in it, before the form had an item', async () => {
    // Prepare
    const client = recordingClient({
      Items: [
        { sk: 'CASE', applicantSub: 'family-1', form: { guardian: { phone: '13812345678' } } },
      ],
    });
    const store = dynamoOutboxStore(client, 'table');

    // Act
    const found = await store.guardianContact('SC-1');

    // Assess
    expect(found).toEqual({ applicantSub: 'family-1', phone: '13812345678' });
  });

  it("reaches a provider's filing through its legal representative's phone", async () => {
    // Prepare
    const client = recordingClient({
      Items: [
        { sk: 'CASE', applicantSub: 'provider-admin' },
        {
          sk: 'CASE#FORM',
          form: { organisation: { legalRepresentative: { phone: '13957211111' } } },
        },
      ],
    });
    const store = dynamoOutboxStore(client, 'table');

    // Act
    const found = await store.guardianContact('PR-1');

    // Assess
    expect(found).toEqual({ applicantSub: 'provider-admin', phone: '13957211111' });
  });
});
