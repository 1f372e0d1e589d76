import {
  DynamoDBDocumentClient,
  ExecuteStatementCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  addCapacityTotals,
  CapacityLedger,
  capacityTraceEnabled,
  capacityTraceMiddlewareName,
  processCapacityLedger,
  traceConsumedCapacity,
} from '../../../shared/db/consumed-capacity.ts';
import { fakeDynamoDb } from './fake-dynamodb.ts';

const TableName = 'table';

/** DynamoDB's answer: the item asked for, and the capacity only when it was asked for. */
function answerWith(units: number | number[]) {
  return ({ body }: { body: Record<string, unknown> }) => {
    const consumed = Array.isArray(units)
      ? units.map((CapacityUnits) => ({ TableName, CapacityUnits }))
      : { TableName, CapacityUnits: units };
    return {
      Item: { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } },
      Items: [],
      Count: 0,
      ...(body.ReturnConsumedCapacity && body.ReturnConsumedCapacity !== 'NONE'
        ? { ConsumedCapacity: consumed }
        : {}),
    };
  };
}

function tracedClient(units: number | number[]) {
  const fake = fakeDynamoDb(answerWith(units));
  const ledger = new CapacityLedger();
  traceConsumedCapacity(fake.client, ledger);
  return { ...fake, ledger, documents: DynamoDBDocumentClient.from(fake.client) };
}

describe('traceConsumedCapacity', () => {
  it('asks for the total on a call that did not, records it, and hands back what was asked', async () => {
    // Prepare
    const { documents, sent, ledger } = tracedClient(0.5);

    // Act
    const result = await documents.send(
      new GetCommand({ TableName, Key: { pk: 'CASE#1', sk: 'CASE' } }),
    );

    // Assess
    expect(sent[0]?.body.ReturnConsumedCapacity).toBe('TOTAL');
    expect(result.Item).toEqual({ pk: 'CASE#1', sk: 'CASE' });
    expect(result.ConsumedCapacity).toBeUndefined();
    expect(ledger.take()).toEqual({
      readUnits: 0.5,
      writeUnits: 0,
      calls: 1,
      byOperation: { GetItem: { calls: 1, units: 0.5 } },
    });
  });

  it('keeps what a caller asked for itself, and its answer', async () => {
    // Prepare
    const { documents, sent, ledger } = tracedClient(2);

    // Act
    const result = await documents.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'CASE#1' },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );

    // Assess
    expect(sent[0]?.body.ReturnConsumedCapacity).toBe('INDEXES');
    expect(result.ConsumedCapacity).toEqual({ TableName, CapacityUnits: 2 });
    expect(ledger.take()).toMatchObject({ readUnits: 2, writeUnits: 0 });
  });

  it('adds up a transaction’s per-table capacity as writes', async () => {
    // Prepare
    const { documents, ledger } = tracedClient([4, 2]);

    // Act
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName, Item: { pk: 'CASE#1', sk: 'CASE' } } }],
      }),
    );

    // Assess
    expect(ledger.take()).toEqual({
      readUnits: 0,
      writeUnits: 6,
      calls: 1,
      byOperation: { TransactWriteItems: { calls: 1, units: 6 } },
    });
  });

  it('counts a PartiQL SELECT as a read and any other statement as a write', async () => {
    // Prepare
    const { documents, ledger } = tracedClient(1);

    // Act
    await documents.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "table"' }));
    const afterSelect = ledger.take();
    await documents.send(new ExecuteStatementCommand({ Statement: 'DELETE FROM "table"' }));
    const afterDelete = ledger.take();

    // Assess
    expect(afterSelect).toMatchObject({ readUnits: 1, writeUnits: 0 });
    expect(afterDelete).toMatchObject({ readUnits: 0, writeUnits: 1 });
  });

  it('is added once however often it is asked for', () => {
    // Prepare
    const { client } = fakeDynamoDb(answerWith(1));

    // Act
    traceConsumedCapacity(client, new CapacityLedger());
    traceConsumedCapacity(client, new CapacityLedger());

    // Assess
    const names = client.middlewareStack
      .identify()
      .filter((entry) => entry.includes(capacityTraceMiddlewareName));
    expect(names).toHaveLength(1);
  });

  it('leaves a client it was not added to unchanged', async () => {
    // Prepare
    const { client, sent } = fakeDynamoDb(answerWith(1));
    const documents = DynamoDBDocumentClient.from(client);

    // Act
    const result = await documents.send(
      new GetCommand({ TableName, Key: { pk: 'CASE#1', sk: 'CASE' } }),
    );

    // Assess
    expect(sent[0]?.body).not.toHaveProperty('ReturnConsumedCapacity');
    expect(result.ConsumedCapacity).toBeUndefined();
  });
});

describe('the capacity ledger', () => {
  it('hands its totals over once and starts again from zero', () => {
    // Prepare
    const ledger = new CapacityLedger();
    ledger.record('Query', 'read', 1.5);
    ledger.record('Query', 'read', 0.5);
    ledger.record('PutItem', 'write', 3);

    // Act
    const first = ledger.take();
    const second = ledger.take();

    // Assess
    expect(first).toEqual({
      readUnits: 2,
      writeUnits: 3,
      calls: 3,
      byOperation: { Query: { calls: 2, units: 2 }, PutItem: { calls: 1, units: 3 } },
    });
    expect(second).toEqual({ readUnits: 0, writeUnits: 0, calls: 0, byOperation: {} });
  });

  it('is one per process, found through a registered symbol', () => {
    // Prepare / Act
    const ledger = processCapacityLedger();

    // Assess
    expect(processCapacityLedger()).toBe(ledger);
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('shanyu.consumedCapacity')]).toBe(
      ledger,
    );
  });

  it('adds totals operation by operation', () => {
    // Prepare
    const a = {
      readUnits: 1,
      writeUnits: 2,
      calls: 2,
      byOperation: { GetItem: { calls: 1, units: 1 }, PutItem: { calls: 1, units: 2 } },
    };
    const b = {
      readUnits: 0.5,
      writeUnits: 0,
      calls: 1,
      byOperation: { GetItem: { calls: 1, units: 0.5 } },
    };

    // Act
    const sum = addCapacityTotals(a, b);

    // Assess
    expect(sum).toEqual({
      readUnits: 1.5,
      writeUnits: 2,
      calls: 3,
      byOperation: { GetItem: { calls: 2, units: 1.5 }, PutItem: { calls: 1, units: 2 } },
    });
  });
});

describe('capacityTraceEnabled', () => {
  it('is on only for SHANYU_CAPACITY_TRACE=1', () => {
    // Prepare / Act / Assess
    expect(capacityTraceEnabled({ SHANYU_CAPACITY_TRACE: '1' })).toBe(true);
    expect(capacityTraceEnabled({ SHANYU_CAPACITY_TRACE: '0' })).toBe(false);
    expect(capacityTraceEnabled({})).toBe(false);
  });
});
