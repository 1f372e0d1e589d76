import { SendTaskFailureCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import {
  type CaseChange,
  CaseNotFoundError,
  ChangeRefusedError,
  changeCase,
} from '../../../shared/cases/case-store.ts';
import { documentClient } from '../../../shared/db/client.ts';
import {
  DeadlineSweepIncompleteError,
  sweepDeadlines,
} from '../../../shared/tasks/deadline-sweep.ts';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { newTaskItem } from '../../../shared/tasks/task-store.ts';
import { sfnClient } from '../../../shared/workflows/sfn-client.ts';
import { taskRecord } from './fixtures.ts';

// The table and the workflow service stay out of it: reads, changes and task failures go to these.
vi.mock('../../../shared/db/client.ts', () => ({
  documentClient: { send: vi.fn() },
  tableName: () => 'shanyu-test',
}));
vi.mock('../../../shared/workflows/sfn-client.ts', () => ({ sfnClient: { send: vi.fn() } }));
vi.mock('../../../shared/cases/case-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/cases/case-store.ts')>()),
  changeCase: vi.fn(),
}));

const send = vi.mocked(documentClient.send) as unknown as ReturnType<typeof vi.fn>;
const sfnSend = vi.mocked(sfnClient.send) as unknown as ReturnType<typeof vi.fn>;

// 10:00 on Thursday 3 December 2026 in Huzhou.
const at = new Date('2026-12-03T02:00:00.000Z');

/** The index entry as the sweeper reads it: the stored task at its current deadline. */
function entry(record: TaskRecord, deadline: 'follow-up' | 'due' = 'follow-up') {
  const item = newTaskItem(record, 'token-1');
  const sweepAt = deadline === 'follow-up' ? record.followUpAt : record.dueAt;
  return { ...item, deadline, gsi4sk: `${sweepAt}#${record.taskId}` };
}

/** One page of due entries, then the writes succeed. */
function given(...items: Record<string, unknown>[]) {
  send.mockImplementation(async (command: unknown) => {
    if (command instanceof QueryCommand) {
      return { Items: items, ScannedCount: items.length, ConsumedCapacity: { CapacityUnits: 1.5 } };
    }
    return {};
  });
}

/** The changes the sweeper asked for, against a case in review (or as given). */
function casesAre(status: CaseRecord['status'] = 'in-review') {
  const changes: CaseChange[] = [];
  vi.mocked(changeCase).mockImplementation(async (caseId, decide) => {
    const current = { caseId, status } as CaseRecord;
    const change = decide(current);
    if (change) changes.push(change);
    return current;
  });
  return changes;
}

function updateOf(change: CaseChange | undefined) {
  const update = change?.items?.[0]?.Update;
  if (!update) throw new Error('The change updates no task');
  return update;
}

function putItems(change: CaseChange | undefined) {
  return (change?.items ?? []).flatMap((item) =>
    item.Put ? [item.Put.Item as Record<string, unknown>] : [],
  );
}

beforeEach(() => {
  send.mockReset();
  sfnSend.mockReset();
  vi.mocked(changeCase).mockReset();
});

describe('sweepDeadlines', () => {
  it('reads only the due entries: the index up to the run’s time, summing what it cost', async () => {
    // Prepare
    given();
    casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    const query = send.mock.calls[0]?.[0] as QueryCommand;
    expect(query).toBeInstanceOf(QueryCommand);
    expect(query.input.IndexName).toBe('gsi4');
    expect(query.input.KeyConditionExpression).toBe('gsi4pk = :pk AND gsi4sk <= :bound');
    expect(query.input.ExpressionAttributeValues).toEqual({
      ':pk': 'DUE#TASKS',
      ':bound': '2026-12-03T02:00:00.000Z#~',
    });
    expect(query.input.ReturnConsumedCapacity).toBe('TOTAL');
    expect(result).toMatchObject({ due: 0, consumedReadUnits: 1.5, itemsRead: 0 });
  });

  it('reminds the queue and the holder at follow-up, and moves the entry to the due time', async () => {
    // Prepare
    const record = taskRecord({ followUpAt: '2026-12-03T01:00:00.000Z' });
    given(entry(record));
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ due: 1, reminded: 1, escalated: 0, failed: 0 });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      type: 'task.reminded',
      actor: { kind: 'system', component: 'deadline-sweeper' },
      taskId: 'T-review',
    });
    const update = updateOf(changes[0]);
    expect(update.ConditionExpression).toContain('gsi4sk = :readSort');
    expect(update.ExpressionAttributeValues?.[':readSort']).toBe(
      '2026-12-03T01:00:00.000Z#T-review',
    );
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toEqual(
      expect.arrayContaining(['due', '2026-12-04T09:30:00.000Z#T-review']),
    );
    const [reminder] = putItems(changes[0]);
    expect(reminder).toMatchObject({
      template: 'task-reminder',
      recipient: { kind: 'queue', role: 'caseworker', scope: 'D:anji', holder: 'anji-cw-7' },
      taskId: 'T-review',
    });
  });

  it('escalates an overdue staff task to its district’s and the city’s supervisors, once', async () => {
    // Prepare
    const record = taskRecord({
      dueAt: '2026-12-02T09:30:00.000Z',
      followUpAt: '2026-12-01T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ due: 1, escalated: 1, reminded: 0 });
    expect(changes[0]?.type).toBe('task.escalated');
    expect(updateOf(changes[0]).UpdateExpression).toMatch(/REMOVE #r0, #r1, #r2$/);
    const puts = putItems(changes[0]);
    const escalation = puts.find((item) => item.entity === 'Escalation');
    expect(escalation).toMatchObject({
      pk: 'CASE#SC-7K3M9Q2X4B8N',
      sk: 'ESCALATION#T-review',
      gsi2pk: 'INBOX#supervisor#D:anji#escalated',
      gsi3pk: 'INBOX#supervisor#D:city#escalated',
      gsi2sk: '2026-12-02T09:30:00.000Z#T-review',
    });
    const notices = puts
      .filter((item) => item.entity !== 'Escalation')
      .map((item) => [item.template, (item.recipient as { scope: string }).scope]);
    expect(notices).toEqual([
      ['task-overdue', 'D:anji'],
      ['task-escalated', 'D:anji'],
      ['task-escalated', 'D:city'],
    ]);
  });

  it('skips the reminder of a follow-up found only after the due time, escalating straight away', async () => {
    // Prepare
    const record = taskRecord({
      dueAt: '2026-12-02T09:30:00.000Z',
      followUpAt: '2026-12-01T09:30:00.000Z',
    });
    given(entry(record, 'follow-up'));
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ reminded: 0, escalated: 1 });
    expect(putItems(changes[0]).map((item) => item.template)).not.toContain('task-reminder');
  });

  it('escalates a city task to the city’s supervisors only', async () => {
    // Prepare
    const record = taskRecord({
      district: 'city',
      role: 'supervisor',
      dueAt: '2026-12-02T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    const changes = casesAre();

    // Act
    await sweepDeadlines({ now: at });

    // Assess
    const puts = putItems(changes[0]);
    const escalation = puts.find((item) => item.entity === 'Escalation');
    expect(escalation?.gsi2pk).toBeUndefined();
    expect(escalation?.gsi3pk).toBe('INBOX#supervisor#D:city#escalated');
    expect(puts.filter((item) => item.template === 'task-escalated')).toHaveLength(1);
  });

  it("fails the applicant's overdue step with DeadlinePassed instead of escalating", async () => {
    // Prepare
    const record = taskRecord({
      taskType: 'supply-info',
      role: 'citizen',
      applicantSub: 'family-1',
      claimedBy: undefined,
      status: 'open',
      dueAt: '2026-12-02T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    sfnSend.mockResolvedValue({});
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    const failure = sfnSend.mock.calls[0]?.[0] as SendTaskFailureCommand;
    expect(failure).toBeInstanceOf(SendTaskFailureCommand);
    expect(failure.input).toMatchObject({ taskToken: 'token-1', error: 'DeadlinePassed' });
    expect(result).toMatchObject({ expired: 1, escalated: 0 });
    expect(changes.map((change) => change.type)).toEqual(['task.overdue']);
    expect(putItems(changes[0])).toEqual([]);
  });

  it('still marks the task when its step is already gone', async () => {
    // Prepare
    const record = taskRecord({
      role: 'citizen',
      applicantSub: 'family-1',
      dueAt: '2026-12-02T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    sfnSend.mockRejectedValue(new TaskTimedOut({ message: 'gone', $metadata: {} }));
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ expired: 1, failed: 0 });
    expect(changes.map((change) => change.type)).toEqual(['task.overdue']);
  });

  it('marks the task first, keeps its entry and fails the run when the workflow service cannot be reached', async () => {
    // Prepare
    const record = taskRecord({
      role: 'citizen',
      applicantSub: 'family-1',
      dueAt: '2026-12-02T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    sfnSend.mockRejectedValue(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));
    const changes = casesAre();

    // Act
    const failure = await sweepDeadlines({ now: at }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(DeadlineSweepIncompleteError);
    expect((failure as DeadlineSweepIncompleteError).result).toMatchObject({
      failed: 1,
      expired: 0,
    });
    // From now on the family's answer is refused; the entry waits at `expire` for the next run.
    expect(changes.map((change) => change.type)).toEqual(['task.overdue']);
    const update = updateOf(changes[0]);
    expect(Object.values(update.ExpressionAttributeValues ?? {})).toContain('expire');
    expect(update.UpdateExpression).not.toContain('REMOVE');
    const drops = send.mock.calls.filter(([command]) => command instanceof UpdateCommand);
    expect(drops).toEqual([]);
  });

  it('tells the step again, without a second mark, when a run stopped after marking the task', async () => {
    // Prepare
    const record = taskRecord({
      role: 'citizen',
      applicantSub: 'family-1',
      status: 'open',
      claimedBy: undefined,
      dueAt: '2026-12-02T09:30:00.000Z',
      overdueAt: '2026-12-02T10:00:00.000Z',
    });
    given({ ...entry(record, 'due'), deadline: 'expire' });
    sfnSend.mockResolvedValue({});
    const changes = casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ expired: 1, failed: 0 });
    expect(changes).toEqual([]);
    expect(sfnSend).toHaveBeenCalledTimes(1);
    const drops = send.mock.calls
      .map(([command]) => command)
      .filter((command): command is UpdateCommand => command instanceof UpdateCommand);
    expect(drops.map((command) => command.input.UpdateExpression)).toEqual([
      'REMOVE gsi4pk, gsi4sk, deadline',
    ]);
  });

  it('does not tell the step when the family answered before the task could be marked', async () => {
    // Prepare
    const record = taskRecord({
      role: 'citizen',
      applicantSub: 'family-1',
      dueAt: '2026-12-02T09:30:00.000Z',
    });
    given(entry(record, 'due'));
    vi.mocked(changeCase).mockRejectedValue(new ChangeRefusedError('SC-7K3M9Q2X4B8N', 0));

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(sfnSend).not.toHaveBeenCalled();
    expect(result).toMatchObject({ skipped: 1, expired: 0 });
  });

  it('counts a change another run made first as skipped, not as a second reminder', async () => {
    // Prepare
    given(entry(taskRecord({ followUpAt: '2026-12-03T01:00:00.000Z' })));
    vi.mocked(changeCase).mockRejectedValue(new ChangeRefusedError('SC-7K3M9Q2X4B8N', 0));

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(result).toMatchObject({ due: 1, reminded: 0, skipped: 1, failed: 0 });
  });

  it('drops the entry of a task whose case has closed or gone, telling nobody', async () => {
    // Prepare
    const closed = taskRecord({ taskId: 'T-closed', followUpAt: '2026-12-03T01:00:00.000Z' });
    const orphan = taskRecord({
      taskId: 'T-orphan',
      caseId: 'SC-GONE',
      followUpAt: '2026-12-03T01:00:00.000Z',
    });
    given(entry(closed), entry(orphan));
    vi.mocked(changeCase).mockImplementation(async (caseId, decide) => {
      if (caseId === 'SC-GONE') throw new CaseNotFoundError(caseId);
      const current = { caseId, status: 'withdrawn' } as CaseRecord;
      expect(decide(current)).toBeUndefined();
      return current;
    });

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    const drops = send.mock.calls
      .map(([command]) => command)
      .filter((command): command is UpdateCommand => command instanceof UpdateCommand);
    expect(drops.map((command) => command.input.Key?.sk)).toEqual([
      'TASK#T-closed',
      'TASK#T-orphan',
    ]);
    expect(drops[0]?.input.UpdateExpression).toBe('REMOVE gsi4pk, gsi4sk, deadline');
    expect(result).toMatchObject({ due: 2, skipped: 2, reminded: 0 });
  });

  it('drops a decided task’s stale entry without touching its case', async () => {
    // Prepare
    given(entry(taskRecord({ status: 'done', followUpAt: '2026-12-03T01:00:00.000Z' })));
    casesAre();

    // Act
    const result = await sweepDeadlines({ now: at });

    // Assess
    expect(changeCase).not.toHaveBeenCalled();
    expect(result).toMatchObject({ skipped: 1 });
  });

  it('reads page after page, and stops taking pages when the invocation runs short', async () => {
    // Prepare
    let pages = 0;
    send.mockImplementation(async (command: unknown) => {
      if (!(command instanceof QueryCommand)) return {};
      pages += 1;
      return {
        Items: [],
        ScannedCount: 0,
        LastEvaluatedKey: { pk: `p${pages}` },
        ConsumedCapacity: { CapacityUnits: 0.5 },
      };
    });
    let remaining = 60_000;

    // Act
    const result = await sweepDeadlines({
      now: at,
      remainingMs: () => {
        remaining -= 20_000;
        return remaining;
      },
    });

    // Assess: 40 s and 20 s left after the first two pages, then below the 10 s margin.
    expect(pages).toBe(3);
    expect(result.consumedReadUnits).toBe(1.5);
  });
});
