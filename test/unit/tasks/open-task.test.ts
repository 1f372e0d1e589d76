import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';
import { type CaseChange, changeCase } from '../../../shared/cases/case-store.ts';
import { documentClient } from '../../../shared/db/client.ts';
import { deliverDecision, openTask } from '../../../shared/tasks/task-actions.ts';
import type { CreateTaskInput, TaskRecord } from '../../../shared/tasks/task-record.ts';
import {
  getTaskOfCase,
  listCaseTasks,
  type StoredTask,
  taskIdFor,
} from '../../../shared/tasks/task-store.ts';
import { sfnClient } from '../../../shared/workflows/sfn-client.ts';
import { taskRecord } from './fixtures.ts';

// The table stays out of it: tasks are read from, and writes go to, these stand-ins.
vi.mock('../../../shared/tasks/task-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/tasks/task-store.ts')>()),
  getTaskOfCase: vi.fn(),
  listCaseTasks: vi.fn(),
}));
vi.mock('../../../shared/cases/case-store.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../shared/cases/case-store.ts')>()),
  changeCase: vi.fn(),
  getCase: vi.fn(),
}));
vi.mock('../../../shared/db/client.ts', () => ({
  documentClient: { send: vi.fn() },
  tableName: () => 'shanyu-test',
}));
vi.mock('../../../shared/workflows/sfn-client.ts', () => ({ sfnClient: { send: vi.fn() } }));

const caseId = 'SC-7K3M9Q2X4B8N';

/** The district review step's second attempt: its first timed out, perhaps after opening the task. */
const secondAttempt: CreateTaskInput = {
  taskToken: 'token-2',
  caseId,
  taskType: 'district-review',
  role: 'caseworker',
  dueInWorkingDays: 10,
  step: 'DistrictReview',
};

function stored(task: Partial<TaskRecord>, taskToken = 'token-1'): StoredTask {
  return { task: taskRecord({ status: 'open', claimedBy: undefined, ...task }), taskToken };
}

/** The case as changeCase hands it to the change, and the changes asked for. */
function caseChanges(): CaseChange[] {
  const changes: CaseChange[] = [];
  vi.mocked(changeCase).mockImplementation(async (_caseId, decide) => {
    const current = {
      caseId,
      caseType: 'subsidy-claim',
      applicantSub: 'family-1',
      district: 'anji',
      status: 'in-review',
      form: { child: { name: '沈小禾' }, months: ['2026-11'] },
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:00:00.000Z',
      version: 3,
    } as unknown as CaseRecord;
    const change = decide(current);
    if (change) changes.push(change);
    return current;
  });
  return changes;
}

const sent = () => vi.mocked(documentClient.send).mock.calls.map(([command]) => command.input);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T02:00:00.000Z'));
});

afterEach(() => {
  vi.useRealTimers();
  vi.resetAllMocks();
});

describe('openTask, for a new attempt of a step', () => {
  it('hands the task the timed-out attempt opened to the new token, and opens no second task', async () => {
    // Prepare
    vi.mocked(listCaseTasks).mockResolvedValue([stored({ step: 'DistrictReview' })]);
    vi.mocked(documentClient.send).mockResolvedValue({} as never);
    const changes = caseChanges();

    // Act
    const task = await openTask(secondAttempt);

    // Assess
    expect(task.taskId).toBe('T-review');
    expect(changes).toEqual([]);
    expect(sent()).toEqual([
      expect.objectContaining({
        Key: { pk: `CASE#${caseId}`, sk: 'TASK#T-review' },
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'taskToken = :earlier AND #status IN (:open, :claimed)',
        ExpressionAttributeValues: expect.objectContaining({
          ':token': 'token-2',
          ':earlier': 'token-1',
        }),
      }),
    ]);
  });

  it('opens a task of its own, naming its step, when the earlier one was decided meanwhile', async () => {
    // Prepare
    vi.mocked(listCaseTasks).mockResolvedValue([stored({ step: 'DistrictReview' })]);
    vi.mocked(documentClient.send).mockRejectedValue(
      new ConditionalCheckFailedException({ message: 'decided', $metadata: {} }) as never,
    );
    const changes = caseChanges();

    // Act
    const task = await openTask(secondAttempt);

    // Assess
    expect(task.taskId).toBe(taskIdFor('token-2'));
    expect(task.step).toBe('DistrictReview');
    expect(changes.map((change) => change.type)).toEqual(['task.created']);
  });

  it("leaves alone an open task of another step with the same type (a parallel branch's question)", async () => {
    // Prepare
    vi.mocked(listCaseTasks).mockResolvedValue([
      stored({ taskType: 'supply-info', step: 'HealthAsksProvider' }),
    ]);
    const changes = caseChanges();

    // Act
    const task = await openTask({
      ...secondAttempt,
      taskType: 'supply-info',
      role: 'provider',
      step: 'FireAsksProvider',
    });

    // Assess
    expect(sent()).toEqual([]);
    expect(task.taskId).toBe(taskIdFor('token-2'));
    expect(changes.map((change) => change.type)).toEqual(['task.created']);
  });

  it('returns the task its own token opened, without a write', async () => {
    // Prepare
    const own = stored({ taskId: taskIdFor('token-2'), step: 'DistrictReview' }, 'token-2');
    vi.mocked(listCaseTasks).mockResolvedValue([own]);
    const changes = caseChanges();

    // Act
    const task = await openTask(secondAttempt);

    // Assess
    expect(task).toEqual(own.task);
    expect(sent()).toEqual([]);
    expect(changes).toEqual([]);
  });
});

describe('deliverDecision, after the step took its task over', () => {
  it('hands the decision to the new token when the one it read is dead', async () => {
    // Prepare
    const decided: Partial<TaskRecord> = {
      status: 'done',
      delivery: 'pending',
      decision: {
        outcome: 'approve',
        decidedBy: 'anji-cw-7',
        decidedAt: '2026-12-01T01:59:00.000Z',
      },
    };
    vi.mocked(sfnClient.send)
      .mockRejectedValueOnce(new TaskTimedOut({ message: 'gone', $metadata: {} }) as never)
      .mockResolvedValueOnce({} as never);
    vi.mocked(getTaskOfCase).mockResolvedValue(stored(decided, 'token-2'));
    vi.mocked(documentClient.send).mockResolvedValue({} as never);

    // Act
    const delivered = await deliverDecision(stored(decided, 'token-1'));

    // Assess
    expect(delivered).toBe(true);
    const tokens = vi
      .mocked(sfnClient.send)
      .mock.calls.map(([command]) => (command as SendTaskSuccessCommand).input.taskToken);
    expect(tokens).toEqual(['token-1', 'token-2']);
    expect(sent()).toEqual([
      expect.objectContaining({ ConditionExpression: 'delivery = :pending' }),
    ]);
  });
});
