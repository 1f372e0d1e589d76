import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../../shared/auth/principal.ts';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import {
  type CaseChange,
  ChangeRefusedError,
  changeCase,
} from '../../../shared/cases/case-store.ts';
import { ConflictError, ValidationError } from '../../../shared/errors/http-errors.ts';
import { claimTask, unclaimTask } from '../../../shared/tasks/task-actions.ts';
import type { TaskRecord } from '../../../shared/tasks/task-record.ts';
import { getTask, getTaskOfCase, type StoredTask } from '../../../shared/tasks/task-store.ts';

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

// 10:00 on 28 November 2026 in Huzhou.
const now = new Date('2026-11-28T02:00:00.000Z');
const inspector: Principal = { sub: 'wx-cw-1', roles: ['caseworker'], district: 'wuxing' };

function openTask(taskType: string): TaskRecord {
  return {
    taskId: 'T-1',
    caseId: 'PR-7K3M9Q2X4B8N',
    caseType: 'provider-registration',
    taskType,
    role: 'caseworker',
    district: 'wuxing',
    status: 'open',
    createdAt: '2026-11-27T02:00:00.000Z',
    dueAt: '2026-12-11T02:00:00.000Z',
    followUpAt: '2026-12-10T02:00:00.000Z',
    summary: '湖州吴兴禾苗托育服务有限公司',
  };
}

/** The task as stored, and the changes claimTask asks the case store to make. */
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
  return { changes };
}

/** The attributes the change sets on the task item. */
function taskUpdateOf(change: CaseChange | undefined): Record<string, unknown> {
  const update = change?.items?.[0]?.Update;
  if (!update) throw new Error('The change updates no task');
  const names = update.ExpressionAttributeNames ?? {};
  const values = update.ExpressionAttributeValues ?? {};
  const set: Record<string, unknown> = {};
  for (const [, name, value] of (update.UpdateExpression ?? '').matchAll(/(#s\d+) = (:s\d+)/g)) {
    set[names[name as string] as string] = values[value as string];
  }
  return set;
}

async function refusal(claim: Promise<unknown>) {
  const error = await claim.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).details.map((detail) => [detail.path, detail.code]);
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

describe('claimTask for an on-site inspection', () => {
  it('records the day of the visit on the task and in the audit event', async () => {
    // Prepare
    const { changes } = given(openTask('on-site-inspection'));

    // Act
    await claimTask(inspector, 'T-1', { scheduledFor: '2026-12-03' });

    // Assess
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      type: 'task.claimed',
      taskId: 'T-1',
      data: { scheduledFor: '2026-12-03' },
    });
    expect(taskUpdateOf(changes[0])).toMatchObject({
      status: 'claimed',
      claimedBy: 'wx-cw-1',
      scheduledFor: '2026-12-03',
    });
  });

  it("accepts today, by Huzhou's calendar", async () => {
    // Prepare: 01:30 on 29 November in Huzhou is still 28 November in UTC.
    vi.setSystemTime(new Date('2026-11-28T17:30:00.000Z'));
    const { changes } = given(openTask('on-site-inspection'));

    // Act
    await claimTask(inspector, 'T-1', { scheduledFor: '2026-11-29' });

    // Assess
    expect(taskUpdateOf(changes[0]).scheduledFor).toBe('2026-11-29');
  });

  it('refuses a claim without the day of the visit, changing nothing', async () => {
    // Prepare
    const { changes } = given(openTask('on-site-inspection'));

    // Act
    const refused = await refusal(claimTask(inspector, 'T-1'));

    // Assess
    expect(refused).toEqual([['scheduledFor', 'SCHEDULED_DATE_REQUIRED']]);
    expect(changes).toEqual([]);
  });

  it('refuses a day before today, changing nothing', async () => {
    // Prepare
    const { changes } = given(openTask('on-site-inspection'));

    // Act
    const refused = await refusal(claimTask(inspector, 'T-1', { scheduledFor: '2026-11-27' }));

    // Assess
    expect(refused).toEqual([['scheduledFor', 'SCHEDULED_DATE_IN_PAST']]);
    expect(changes).toEqual([]);
  });
});

describe('claimTask for other tasks', () => {
  it('claims without a date, and ignores one given', async () => {
    // Prepare
    const { changes } = given(openTask('health-review'));

    // Act
    await claimTask(inspector, 'T-1');
    await claimTask(inspector, 'T-1', { scheduledFor: '2020-01-01' });

    // Assess
    expect(changes).toHaveLength(2);
    for (const change of changes) {
      expect(change.data).toBeUndefined();
      expect(taskUpdateOf(change)).not.toHaveProperty('scheduledFor');
      expect(taskUpdateOf(change)).toMatchObject({ status: 'claimed', claimedBy: 'wx-cw-1' });
    }
  });
});

describe('claimTask and unclaimTask when one person clicks twice at once', () => {
  /** The task read before the change, the change refused (the other click won), then the task found. */
  function lostTo(before: TaskRecord, after: TaskRecord) {
    vi.mocked(getTask).mockResolvedValue({ task: before, taskToken: 'token-1' });
    vi.mocked(changeCase).mockRejectedValue(new ChangeRefusedError(before.caseId, 0));
    vi.mocked(getTaskOfCase).mockResolvedValue({ task: after, taskToken: 'token-1' });
  }

  const claimedBy = (sub: string): TaskRecord => ({
    ...openTask('health-review'),
    status: 'claimed',
    claimedBy: sub,
    claimedAt: now.toISOString(),
  });

  it("answers a claim with the task when the claimant's other click claimed it first", async () => {
    // Prepare
    lostTo(openTask('health-review'), claimedBy('wx-cw-1'));

    // Act
    const task = await claimTask(inspector, 'T-1');

    // Assess
    expect(task).toMatchObject({ status: 'claimed', claimedBy: 'wx-cw-1' });
  });

  it('still refuses a claim someone else won, with TASK_ALREADY_CLAIMED', async () => {
    // Prepare
    lostTo(openTask('health-review'), claimedBy('wx-cw-2'));

    // Act
    const error = await claimTask(inspector, 'T-1').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('TASK_ALREADY_CLAIMED');
  });

  it("answers a give-back with the open task when the holder's other click gave it back first", async () => {
    // Prepare
    lostTo(claimedBy('wx-cw-1'), openTask('health-review'));

    // Act
    const task = await unclaimTask(inspector, 'T-1');

    // Assess
    expect(task.status).toBe('open');
    expect(task.claimedBy).toBeUndefined();
  });
});
