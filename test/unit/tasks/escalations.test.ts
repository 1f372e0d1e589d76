import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../../shared/db/client.ts';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { encodeCursor } from '../../../shared/http/cursor.ts';
import {
  escalatedTo,
  escalationDelete,
  escalationItem,
  listEscalated,
} from '../../../shared/tasks/escalations.ts';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { newTaskItem } from '../../../shared/tasks/task-store.ts';
import { escalatedTaskRecord } from './fixtures.ts';

// The table stays out of it: the index query and the batch read go to this stand-in.
vi.mock('../../../shared/db/client.ts', () => ({
  documentClient: { send: vi.fn() },
  tableName: () => 'shanyu-test',
}));

const send = vi.mocked(documentClient.send) as unknown as ReturnType<typeof vi.fn>;

/** An escalation entry as the index returns it. */
function entryOf(record: TaskRecord) {
  return escalationItem(record, '2026-12-04T09:45:00.000Z');
}

/**
 * One index page of the given entries, then the stored tasks; `lastKey` makes the page one of
 * several.
 */
function given(
  entries: Record<string, unknown>[],
  stored: TaskRecord[],
  options: { lastKey?: Record<string, string>; unprocessed?: TaskRecord[] } = {},
) {
  let batches = 0;
  send.mockImplementation(async (command: unknown) => {
    if (command instanceof QueryCommand) {
      return {
        Items: entries,
        ConsumedCapacity: { CapacityUnits: 0.5 },
        ...(options.lastKey ? { LastEvaluatedKey: options.lastKey } : {}),
      };
    }
    if (command instanceof BatchGetCommand) {
      batches += 1;
      // The first batch leaves some keys unread when asked to; the retry reads them.
      const held = batches === 1 ? (options.unprocessed ?? []) : [];
      const heldIds = new Set(held.map((record) => record.taskId));
      const requested = (command.input.RequestItems?.['shanyu-test']?.Keys ?? []) as {
        sk: string;
      }[];
      const responses = stored
        .filter((record) => requested.some((key) => key.sk === `TASK#${record.taskId}`))
        .filter((record) => !heldIds.has(record.taskId))
        .map((record) => newTaskItem(record, 'token-1'));
      return {
        Responses: { 'shanyu-test': responses },
        ConsumedCapacity: [{ CapacityUnits: 1 }],
        ...(held.length > 0
          ? {
              UnprocessedKeys: {
                'shanyu-test': {
                  Keys: held.map((record) => ({
                    pk: `CASE#${record.caseId}`,
                    sk: `TASK#${record.taskId}`,
                  })),
                },
              },
            }
          : {}),
      };
    }
    throw new Error('unexpected command');
  });
}

function commands<C>(type: new (...args: never[]) => C): C[] {
  return send.mock.calls.map(([command]) => command).filter((command) => command instanceof type);
}

beforeEach(() => {
  send.mockReset();
});

describe('escalationItem', () => {
  it("lists a district's task for its district's supervisors (gsi2) and the city's (gsi3)", () => {
    // Prepare
    const record = escalatedTaskRecord();

    // Act
    const item = escalationItem(record, '2026-12-04T09:45:00.000Z');

    // Assess
    expect(item).toEqual({
      pk: 'CASE#SC-7K3M9Q2X4B8N',
      sk: 'ESCALATION#T-review',
      entity: 'Escalation',
      caseId: 'SC-7K3M9Q2X4B8N',
      taskId: 'T-review',
      district: 'anji',
      dueAt: '2026-12-04T09:30:00.000Z',
      escalatedAt: '2026-12-04T09:45:00.000Z',
      gsi2pk: 'INBOX#supervisor#D:anji#escalated',
      gsi2sk: '2026-12-04T09:30:00.000Z#T-review',
      gsi3pk: 'INBOX#supervisor#D:city#escalated',
      gsi3sk: '2026-12-04T09:30:00.000Z#T-review',
    });
  });

  it.each([
    ['a city task', 'city'],
    ['a task without a district', undefined],
  ])("lists %s only for the city's supervisors", (_name, district) => {
    // Prepare
    const record = escalatedTaskRecord({ district });

    // Act
    const item = escalationItem(record, '2026-12-04T09:45:00.000Z');

    // Assess
    expect(item).toMatchObject({
      district: 'city',
      gsi3pk: 'INBOX#supervisor#D:city#escalated',
      gsi3sk: '2026-12-04T09:30:00.000Z#T-review',
    });
    expect(item).not.toHaveProperty('gsi2pk');
    expect(item).not.toHaveProperty('gsi2sk');
  });
});

describe('escalatedTo', () => {
  it.each([
    ['anji', ['anji', 'city']],
    ['city', ['city']],
    [undefined, ['city']],
  ])('tells the supervisors of district %j: %j', (district, expected) => {
    // Prepare
    const record = { district };

    // Act
    const districts = escalatedTo(record);

    // Assess
    expect(districts).toEqual(expected);
  });
});

describe('escalationDelete', () => {
  it("deletes an escalated task's entry beside it in its case", () => {
    // Prepare
    const record = escalatedTaskRecord();

    // Act
    const items = escalationDelete(record);

    // Assess
    expect(items).toEqual([
      {
        Delete: {
          TableName: 'shanyu-test',
          Key: { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-review' },
        },
      },
    ]);
  });

  it('deletes the entry of a task read as not escalated too: the sweeper may escalate it meanwhile', () => {
    // Prepare
    const record = escalatedTaskRecord({ escalatedAt: undefined });

    // Act
    const items = escalationDelete(record);

    // Assess
    expect(items).toEqual([
      {
        Delete: {
          TableName: 'shanyu-test',
          Key: { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-review' },
        },
      },
    ]);
  });
});

describe('listEscalated', () => {
  it("reads a district's list from gsi2 and returns its tasks as stored, soonest due first", async () => {
    // Prepare
    const first = escalatedTaskRecord({ taskId: 'T-1', dueAt: '2026-12-01T09:30:00.000Z' });
    const second = escalatedTaskRecord({
      taskId: 'T-2',
      caseId: 'SC-SECOND000001',
      status: 'open',
    });
    const claimedSince = { ...second, status: 'claimed' as const, claimedBy: 'anji-cw-2' };
    given([entryOf(first), entryOf(second)], [claimedSince, first]);

    // Act
    const page = await listEscalated('anji', { limit: 20 });

    // Assess
    const [query] = commands(QueryCommand);
    expect(query?.input).toMatchObject({
      TableName: 'shanyu-test',
      IndexName: 'gsi2',
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'gsi2pk' },
      ExpressionAttributeValues: { ':pk': 'INBOX#supervisor#D:anji#escalated' },
      Limit: 20,
    });
    expect(query?.input.ExclusiveStartKey).toBeUndefined();
    const [batch] = commands(BatchGetCommand);
    expect(batch?.input.RequestItems?.['shanyu-test']?.Keys).toEqual([
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'TASK#T-1' },
      { pk: 'CASE#SC-SECOND000001', sk: 'TASK#T-2' },
    ]);
    expect(page.items.map((item) => [item.taskId, item.status, item.claimedBy])).toEqual([
      ['T-1', 'claimed', 'anji-cw-7'],
      ['T-2', 'claimed', 'anji-cw-2'],
    ]);
    expect(page.items[0]).not.toHaveProperty('taskToken');
    expect(page.cursor).toBeUndefined();
    expect(page.consumedReadUnits).toBe(1.5);
  });

  it("reads the city's list from gsi3", async () => {
    // Prepare
    const record = escalatedTaskRecord({ district: 'city' });
    given([entryOf(record)], [record]);

    // Act
    const page = await listEscalated('city', { limit: 5 });

    // Assess
    const [query] = commands(QueryCommand);
    expect(query?.input).toMatchObject({
      IndexName: 'gsi3',
      ExpressionAttributeNames: { '#pk': 'gsi3pk' },
      ExpressionAttributeValues: { ':pk': 'INBOX#supervisor#D:city#escalated' },
      Limit: 5,
    });
    expect(page.items.map((item) => item.taskId)).toEqual(['T-review']);
  });

  it('reads no tasks for an empty list', async () => {
    // Prepare
    given([], []);

    // Act
    const page = await listEscalated('anji', { limit: 20 });

    // Assess
    expect(page.items).toEqual([]);
    expect(commands(BatchGetCommand)).toHaveLength(0);
  });

  it('leaves out tasks decided, expired or cancelled since the index was written', async () => {
    // Prepare
    const open = escalatedTaskRecord({ taskId: 'T-open', status: 'open', claimedBy: undefined });
    const done = escalatedTaskRecord({ taskId: 'T-done', status: 'done' });
    const expired = escalatedTaskRecord({ taskId: 'T-expired', status: 'expired' });
    const cancelled = escalatedTaskRecord({ taskId: 'T-cancelled', status: 'cancelled' });
    const gone = escalatedTaskRecord({ taskId: 'T-gone' });
    given([open, done, expired, cancelled, gone].map(entryOf), [open, done, expired, cancelled]);

    // Act
    const page = await listEscalated('anji', { limit: 20 });

    // Assess
    expect(page.items.map((item) => item.taskId)).toEqual(['T-open']);
  });

  it('reads again the tasks a batch left unprocessed', async () => {
    // Prepare
    const first = escalatedTaskRecord({ taskId: 'T-1' });
    const second = escalatedTaskRecord({ taskId: 'T-2' });
    given([entryOf(first), entryOf(second)], [first, second], { unprocessed: [second] });

    // Act
    const page = await listEscalated('anji', { limit: 20 });

    // Assess
    const batches = commands(BatchGetCommand);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.input.RequestItems?.['shanyu-test']?.Keys).toEqual([
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'TASK#T-2' },
    ]);
    expect(page.items.map((item) => item.taskId)).toEqual(['T-1', 'T-2']);
    expect(page.consumedReadUnits).toBe(2.5);
  });

  it('continues from its own cursor', async () => {
    // Prepare
    const lastKey = {
      pk: 'CASE#SC-7K3M9Q2X4B8N',
      sk: 'ESCALATION#T-1',
      gsi2pk: 'INBOX#supervisor#D:anji#escalated',
      gsi2sk: '2026-12-01T09:30:00.000Z#T-1',
    };
    const record = escalatedTaskRecord({ taskId: 'T-1' });
    given([entryOf(record)], [record], { lastKey });
    const first = await listEscalated('anji', { limit: 1 });
    given([], []);

    // Act
    await listEscalated('anji', { limit: 1, cursor: String(first.cursor) });

    // Assess
    expect(first.cursor).toEqual(expect.any(String));
    const queries = commands(QueryCommand);
    expect(queries).toHaveLength(2);
    expect(queries[1]?.input.ExclusiveStartKey).toEqual(lastKey);
  });

  it("refuses another district's cursor, reading nothing", async () => {
    // Prepare
    const lastKey = {
      pk: 'CASE#SC-7K3M9Q2X4B8N',
      sk: 'ESCALATION#T-1',
      gsi2pk: 'INBOX#supervisor#D:anji#escalated',
      gsi2sk: '2026-12-01T09:30:00.000Z#T-1',
    };
    const record = escalatedTaskRecord({ taskId: 'T-1' });
    given([entryOf(record)], [record], { lastKey });
    const anjiPage = await listEscalated('anji', { limit: 1 });
    send.mockClear();

    // Act
    const reading = listEscalated('wuxing', { limit: 1, cursor: String(anjiPage.cursor) });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ValidationError);
    expect(send).not.toHaveBeenCalled();
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a cursor without its district', encodeCursor({ start: { pk: 'x' } })],
  ])('refuses %s', async (_name, cursor) => {
    // Prepare
    given([], []);

    // Act
    const reading = listEscalated('anji', { limit: 1, cursor });

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ValidationError);
    expect(send).not.toHaveBeenCalled();
  });
});
