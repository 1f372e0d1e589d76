import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../../shared/documents/document-record.ts';
import {
  DocumentReadIncompleteError,
  DocumentRefTakenError,
  DocumentStore,
} from '../../../shared/documents/document-store.ts';

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

interface Command {
  readonly constructor: { readonly name: string };
  readonly input: Record<string, unknown>;
}

/**
 * The table as the document store uses it: conditional puts, gets, and batch gets that leave
 * keys unprocessed as DynamoDB does under throttling: the n-th call leaves `unprocessed[n]`
 * (then `unprocessedAfter`) keys.
 */
class FakeTable {
  readonly items = new Map<string, Item>();
  readonly batchSizes: number[] = [];
  unprocessed: number[] = [];
  unprocessedAfter = 0;

  async send(command: Command): Promise<Record<string, unknown>> {
    const id = (key: Key) => `${key.pk}|${key.sk}`;
    switch (command.constructor.name) {
      case 'PutCommand': {
        const item = command.input.Item as Item & Key;
        if (command.input.ConditionExpression && this.items.has(id(item))) {
          throw new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
        }
        this.items.set(id(item), structuredClone(item));
        return {};
      }
      case 'GetCommand':
        return { Item: this.items.get(id(command.input.Key as Key)) };
      case 'BatchGetCommand': {
        const [[table, request]] = Object.entries(
          command.input.RequestItems as Record<string, { Keys: Key[] }>,
        ) as [[string, { Keys: Key[] }]];
        const leave = this.unprocessed[this.batchSizes.length] ?? this.unprocessedAfter;
        this.batchSizes.push(request.Keys.length);
        const served = request.Keys.slice(leave);
        const left = request.Keys.slice(0, leave);
        return {
          Responses: { [table]: served.flatMap((key) => this.items.get(id(key)) ?? []) },
          ...(left.length > 0 ? { UnprocessedKeys: { [table]: { Keys: left } } } : {}),
        };
      }
      default:
        throw new Error(`The fake cannot run ${command.constructor.name}`);
    }
  }
}

const refOf = (n: number) => `doc_${String(n).padStart(26, '0')}`;

function recordOf(n: number): DocumentRecord {
  return {
    ref: refOf(n),
    ownerSub: 'owner',
    ownerProviderId: 'P-WX-0001',
    kind: 'premises-proof',
    fileName: `lease-${n}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: 2048,
    createdAt: '2026-11-28T10:00:00.000Z',
    objectKey: `documents/${refOf(n)}`,
  };
}

function storeOn(table: FakeTable) {
  return new DocumentStore({ documents: table, tableName: 'T', backoff: async () => {} });
}

describe('DocumentStore', () => {
  it('writes a record under DOC#<ref> and reads it back', async () => {
    // Prepare
    const table = new FakeTable();
    const store = storeOn(table);

    // Act
    await store.put(recordOf(1));
    const read = await store.get(refOf(1));

    // Assess
    expect(read).toEqual(recordOf(1));
    expect(table.items.get(`DOC#${refOf(1)}|DOC`)).toMatchObject({ entity: 'document' });
  });

  it('never replaces a record: a reference is issued once', async () => {
    // Prepare
    const store = storeOn(new FakeTable());
    await store.put(recordOf(1));

    // Act
    const again = store.put({ ...recordOf(1), ownerSub: 'intruder' });

    // Assess
    await expect(again).rejects.toBeInstanceOf(DocumentRefTakenError);
    expect((await store.get(refOf(1)))?.ownerSub).toBe('owner');
  });

  it('reads nothing for references it would never issue', async () => {
    // Prepare
    const table = new FakeTable();
    const store = storeOn(table);
    const send = table.send.bind(table);
    let calls = 0;
    table.send = (command) => {
      calls++;
      return send(command);
    };

    // Act
    const got = await store.get('DOC#x');
    const found = await store.findDocuments(['nope', 'doc_short']);

    // Assess
    expect(got).toBeUndefined();
    expect(found.size).toBe(0);
    expect(calls).toBe(0);
  });

  it('finds many records in batches of 100, by ref, retrying what DynamoDB left unprocessed', async () => {
    // Prepare
    const table = new FakeTable();
    const store = storeOn(table);
    for (let n = 0; n < 150; n++) await store.put(recordOf(n));
    table.unprocessed = [3];
    const wanted = [...Array.from({ length: 150 }, (_, n) => refOf(n)), refOf(999), refOf(7)];

    // Act
    const found = await store.findDocuments(wanted);

    // Assess
    expect(found.size).toBe(150);
    expect(found.get(refOf(42))).toEqual(recordOf(42));
    expect(found.has(refOf(999))).toBe(false);
    expect(table.batchSizes.slice(0, 2)).toEqual([100, 3]);
  });

  it('gives up on keys that stay unprocessed', async () => {
    // Prepare
    const table = new FakeTable();
    const store = storeOn(table);
    await store.put(recordOf(1));
    table.unprocessedAfter = 100;

    // Act
    const finding = store.findDocuments([refOf(1)]);

    // Assess
    await expect(finding).rejects.toBeInstanceOf(DocumentReadIncompleteError);
  });
});
