import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../shared/auth/principal.ts';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import { type CaseChange, changeCase } from '../../../shared/cases/case-store.ts';
import { closeTaskItems, decideTask } from '../../../shared/tasks/task-actions.ts';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { getTask, getTaskOfCase, type StoredTask } from '../../../shared/tasks/task-store.ts';
import { taskRecord } from './fixtures.ts';

// The table stays out of it: the task is read from, and the change written to, these stand-ins.
vi.mock('../../../shared/tasks/task-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/tasks/task-store.ts')>()),
  getTask: vi.fn(),
  getTaskOfCase: vi.fn(),
}));
vi.mock('../../../shared/cases/case-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/cases/case-store.ts')>()),
  changeCase: vi.fn(),
}));
// Nothing reaches a workflow: a decision's delivery would go here.
vi.mock('../../../shared/workflows/sfn-client.ts', () => ({ sfnClient: { send: vi.fn() } }));

// 10:00 on Friday 4 December 2026 in Huzhou, the morning after the task fell due.
const now = new Date('2026-12-04T02:00:00.000Z');
const reviewer: Principal = { sub: 'anji-cw-7', roles: ['caseworker'], district: 'anji' };

/** The review one day earlier than the fixture's: it fell due yesterday at 17:30. */
function claimedTask(overrides: Partial<TaskRecord> = {}): TaskRecord {
  return taskRecord({
    dueAt: '2026-12-03T09:30:00.000Z',
    followUpAt: '2026-12-02T09:30:00.000Z',
    ...overrides,
  });
}

const escalatedAt = {
  overdueAt: '2026-12-03T09:45:00.000Z',
  escalatedAt: '2026-12-03T09:45:00.000Z',
};

/** The task as stored, and the changes decideTask asks the case store to make. */
function given(task: TaskRecord) {
  const stored: StoredTask = { task, taskToken: 'token-1' };
  const changes: CaseChange[] = [];
  vi.mocked(getTask).mockResolvedValue(stored);
  vi.mocked(getTaskOfCase).mockResolvedValue(stored);
  vi.mocked(changeCase).mockImplementation(async (_caseId, decide) => {
    const current = { caseId: task.caseId, status: 'in-review' } as CaseRecord;
    const change = decide(current);
    if (change) changes.push(change);
    return current;
  });
  return { stored, changes };
}

function deletesOf(items: CaseChange['items']) {
  return (items ?? []).flatMap((item) => (item.Delete ? [item.Delete] : []));
}

function updatesOf(items: CaseChange['items']) {
  return (items ?? []).flatMap((item) => (item.Update ? [item.Update] : []));
}

/** The attribute names an update removes. */
function removedBy(update: ReturnType<typeof updatesOf>[number] | undefined): string[] {
  const names = update?.ExpressionAttributeNames ?? {};
  const removal = (update?.UpdateExpression ?? '').split(' REMOVE ')[1] ?? '';
  return removal
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => names[name] ?? name);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  vi.stubEnv('TABLE_NAME', 'shanyu-test');
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.resetAllMocks();
});

describe('decideTask', () => {
  it("takes an escalated task off the supervisors' list in the same change", async () => {
    // Prepare
    const { stored, changes } = given(claimedTask(escalatedAt));

    // Act
    await decideTask(reviewer, stored, { outcome: 'approve' });

    // Assess
    expect(changes).toHaveLength(1);
    const items = changes[0]?.items;
    expect(updatesOf(items)).toHaveLength(1);
    expect(updatesOf(items)[0]?.Key).toEqual({ pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'TASK#T-review' });
    expect(deletesOf(items)).toEqual([
      {
        TableName: 'shanyu-test',
        Key: { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-review' },
      },
    ]);
    expect(changes[0]).toMatchObject({ type: 'task.decided', taskId: 'T-review' });
  });

  it('removes the entry of a task read as not escalated too, in case the sweeper escalated it since', async () => {
    // Prepare
    const { stored, changes } = given(claimedTask());

    // Act
    await decideTask(reviewer, stored, { outcome: 'approve' });

    // Assess
    expect(changes).toHaveLength(1);
    expect(changes[0]?.items).toHaveLength(2);
    expect(deletesOf(changes[0]?.items)).toEqual([
      {
        TableName: 'shanyu-test',
        Key: { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-review' },
      },
    ]);
  });

  it('keeps the decision as the first item, so a refused condition still names the task', async () => {
    // Prepare
    const { stored, changes } = given(claimedTask(escalatedAt));

    // Act
    await decideTask(reviewer, stored, { outcome: 'reject', reason: '材料不全' });

    // Assess
    expect(changes[0]?.items?.[0]?.Update).toBeDefined();
    expect(changes[0]?.items?.[1]?.Delete).toBeDefined();
  });
});

describe('decideTask racing another decision that ended the case', () => {
  /** The case ended (the other decision was delivered) after this decider read the task. */
  function caseEndedAfterRead(taskNow: TaskRecord) {
    const stored: StoredTask = { task: claimedTask(), taskToken: 'token-1' };
    vi.mocked(getTaskOfCase).mockResolvedValue({ task: taskNow, taskToken: 'token-1' });
    vi.mocked(changeCase).mockImplementation(async (_caseId, decide) => {
      const current = { caseId: stored.task.caseId, status: 'approved' } as CaseRecord;
      decide(current);
      return current;
    });
    return stored;
  }

  it('hears TASK_ALREADY_DECIDED, as the task now is, not that it was cancelled', async () => {
    // Prepare
    const stored = caseEndedAfterRead(claimedTask({ status: 'done' }));

    // Act
    const refused = await decideTask(reviewer, stored, {
      outcome: 'reject',
      reason: '材料不全',
    }).catch((error: unknown) => error);

    // Assess
    expect(refused).toMatchObject({ statusCode: 409, code: 'TASK_ALREADY_DECIDED' });
  });

  it('hears TASK_CLOSED when the task was cancelled with the case', async () => {
    // Prepare
    const stored = caseEndedAfterRead(claimedTask({ status: 'cancelled' }));

    // Act
    const refused = await decideTask(reviewer, stored, { outcome: 'approve' }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(refused).toMatchObject({ statusCode: 409, code: 'TASK_CLOSED' });
  });
});

describe('decideTask on the family’s own task', () => {
  const family: Principal = { sub: 'family-1', roles: ['citizen'] };
  const asked = (overrides: Partial<TaskRecord> = {}) =>
    claimedTask({
      taskType: 'supply-info',
      role: 'citizen',
      applicantSub: 'family-1',
      status: 'open',
      claimedBy: undefined,
      ...overrides,
    });

  it('takes a late answer only while the sweeper has not found the task overdue', async () => {
    // Prepare
    const { stored, changes } = given(asked());

    // Act
    await decideTask(family, stored, { outcome: 'approve', data: { message: '已补充' } });

    // Assess
    const [update] = updatesOf(changes[0]?.items);
    expect(update?.ConditionExpression).toContain('attribute_not_exists(overdueAt)');
    expect(removedBy(update)).toEqual(['deadline']);
  });

  it('refuses the answer once the sweeper marked the task overdue: the case is expiring', async () => {
    // Prepare
    const { stored, changes } = given(asked({ overdueAt: '2026-12-03T09:45:00.000Z' }));

    // Act
    const refused = await decideTask(family, stored, { outcome: 'approve' }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(refused).toMatchObject({ statusCode: 409, code: 'TASK_CLOSED' });
    expect(changes).toEqual([]);
  });

  it('puts no overdue condition on a staff decision: a late review still counts', async () => {
    // Prepare
    const { stored, changes } = given(claimedTask(escalatedAt));

    // Act
    await decideTask(reviewer, stored, { outcome: 'approve' });

    // Assess
    const [update] = updatesOf(changes[0]?.items);
    expect(update?.ConditionExpression).not.toContain('overdueAt');
  });
});

describe('closeTaskItems', () => {
  it("takes undecided tasks out of the due index and off the supervisors' list, decided ones left alone", () => {
    // Prepare
    const tasks = [
      claimedTask({ taskId: 'T-escalated', ...escalatedAt }),
      claimedTask({ taskId: 'T-open', status: 'open', claimedBy: undefined }),
      claimedTask({ taskId: 'T-done', status: 'done', ...escalatedAt }),
    ];

    // Act
    const items = closeTaskItems(tasks, 'expired');

    // Assess
    const updates = updatesOf(items);
    expect(updates.map((update) => update.Key)).toEqual([
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'TASK#T-escalated' },
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'TASK#T-open' },
    ]);
    for (const update of updates) {
      expect(removedBy(update).sort()).toEqual(['deadline', 'gsi4pk', 'gsi4sk']);
      expect(update.ExpressionAttributeValues).toMatchObject({ ':s0': 'expired' });
    }
    expect(deletesOf(items).map((remove) => remove.Key)).toEqual([
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-escalated' },
      { pk: 'CASE#SC-7K3M9Q2X4B8N', sk: 'ESCALATION#T-open' },
    ]);
    expect(items).toHaveLength(4);
  });
});
