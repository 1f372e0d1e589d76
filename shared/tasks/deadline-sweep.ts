import {
  InvalidToken,
  SendTaskFailureCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, type CaseRecord, isFinal } from '../cases/case-record.ts';
import {
  type CaseChange,
  CaseNotFoundError,
  ChangeRefusedError,
  changeCase,
} from '../cases/case-store.ts';
import { now as clockNow } from '../clock/index.ts';
import { eachLimited } from '../concurrency/each-limited.ts';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { type NotificationInput, outboxPut } from '../notifications/outbox.ts';
import { logger } from '../observability/index.ts';
import { sfnClient } from '../workflows/sfn-client.ts';
import { deadlinePassedError } from '../workflows/step-errors.ts';
import { escalatedTo, escalationItem } from './escalations.ts';
import { scopeOf } from './queues.ts';
import { type TaskRecord, taskRecordSchema, waitsOnApplicant } from './task-record.ts';
import { taskUpdateItem } from './task-update.ts';

/*
 * The deadline sweeper (job DeadlineSweeper, every 15 minutes). Every undecided task has one entry
 * in the due index (pattern 30: gsi4 `DUE#TASKS`, sorted by the time its next deadline passes), so
 * a run reads only what is due now, however many tasks the table holds:
 *
 *   follow-up passed → a reminder to whoever must act; the entry moves to the due time.
 *   due passed, staff or provider task → marked overdue and escalated (督办) to the supervisors of
 *     its district and of the city; the entry is removed.
 *   due passed, the applicant's own task → its waiting step is failed with DeadlinePassed, which
 *     the workflow records as the case's expiry (closing the task).
 *
 * Each step is one transaction conditioned on the entry as read, so of two overlapping runs (or a
 * retry) exactly one sends a reminder or escalates; the other finds its condition failed.
 */

const sweeperActor: Actor = { kind: 'system', component: 'deadline-sweeper' };
const pageSize = 100;
const concurrency = 8;

export interface SweepResult {
  /** Entries found due. */
  readonly due: number;
  readonly reminded: number;
  readonly escalated: number;
  /** Applicant tasks whose step was told the deadline passed. */
  readonly expired: number;
  /** Entries another run (or a decision) took first, or that no longer need anything. */
  readonly skipped: number;
  /** Entries that failed this time and stay for the next run. */
  readonly failed: number;
  /** Read capacity of the index queries (ReturnConsumedCapacity), for tests and benchmarks. */
  readonly consumedReadUnits: number;
  /** Index entries read (ScannedCount). */
  readonly itemsRead: number;
}

/** Some due entries could not be handled this run; the rest were. */
export class DeadlineSweepIncompleteError extends Error {
  constructor(readonly result: SweepResult) {
    super(
      `${result.failed} of ${result.due} due task deadline(s) not handled; the next run retries`,
    );
    this.name = 'DeadlineSweepIncompleteError';
  }
}

export interface SweepOptions {
  /** The run's time. @default shared/clock now() */
  readonly now?: Date;
  /** Time left in the invocation; the run stops taking new pages below a margin. */
  readonly remainingMs?: () => number;
}

/** Stop reading more once less than this is left: finishing what was read takes a few seconds. */
const stopMarginMs = 10_000;

type Outcome = 'reminded' | 'escalated' | 'expired' | 'skipped' | 'failed';

interface DueEntry {
  readonly task: TaskRecord;
  readonly taskToken: string;
  /** The entry's sort key as read: every write is conditioned on it. */
  readonly sort: string;
  readonly deadline: TaskRecord['deadline'];
}

function toEntry(item: Record<string, unknown>): DueEntry | undefined {
  const parsed = taskRecordSchema.safeParse(item);
  if (!parsed.success) return undefined;
  return {
    task: parsed.data,
    taskToken: String(item.taskToken ?? ''),
    sort: String(item.gsi4sk),
    deadline: parsed.data.deadline,
  };
}

/** The bound that takes in every entry due at `at`: task ids sort below `~`. */
function dueBound(at: Date): string {
  return `${at.toISOString()}#~`;
}

/**
 * A task update for a case change's transaction, conditioned on the task's entry being as read
 * and the task still undecided: of two runs (or a run and a decision) exactly one gets through.
 */
function taskItem(entry: DueEntry, set: Record<string, unknown>, remove: readonly string[] = []) {
  return taskUpdateItem(entry.task, {
    set,
    remove,
    condition: {
      expression: 'gsi4pk = :duePartition AND gsi4sk = :readSort AND #status IN (:open, :claimed)',
      names: { '#status': 'status' },
      values: {
        ':duePartition': keys.dueTasksPartition,
        ':readSort': entry.sort,
        ':open': 'open',
        ':claimed': 'claimed',
      },
    },
  });
}

/** Who is told a task is due soon, or overdue: the family, the provider, or the queue (and holder). */
function actorsOf(task: TaskRecord): NotificationInput['recipient'] {
  if (task.role === 'citizen') return { kind: 'applicant', sub: task.applicantSub ?? '' };
  return {
    kind: 'queue',
    role: task.role,
    scope: scopeOf(task),
    ...(task.claimedBy ? { holder: task.claimedBy } : {}),
  };
}

function taskParams(task: TaskRecord, threshold: string) {
  return {
    caseId: task.caseId,
    taskType: task.taskType,
    dueAt: task.dueAt,
    // Reminder and overdue notice are separate events of one task, each sent once.
    dedupeKey: threshold,
  };
}

/** Drops an entry that needs nothing more (task decided, closed, or its case gone). */
async function dropEntry(entry: DueEntry): Promise<Outcome> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.caseTask(entry.task.caseId, entry.task.taskId),
        UpdateExpression: 'REMOVE gsi4pk, gsi4sk, deadline',
        ConditionExpression: 'gsi4pk = :duePartition AND gsi4sk = :readSort',
        ExpressionAttributeValues: {
          ':duePartition': keys.dueTasksPartition,
          ':readSort': entry.sort,
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  return 'skipped';
}

/**
 * Applies one change to the task's case; `skipped` when the case is closed (the entry is dropped)
 * or when the condition on the entry failed (someone got there first).
 */
async function applyChange(
  entry: DueEntry,
  build: (current: CaseRecord) => CaseChange,
  done: Outcome,
): Promise<Outcome> {
  let closed = false;
  try {
    await changeCase(entry.task.caseId, (current) => {
      if (isFinal(current.status)) {
        closed = true;
        return undefined;
      }
      return build(current);
    });
  } catch (error) {
    if (error instanceof ChangeRefusedError) return 'skipped';
    if (error instanceof CaseNotFoundError) return dropEntry(entry);
    throw error;
  }
  return closed ? dropEntry(entry) : done;
}

async function remind(entry: DueEntry, at: Date): Promise<Outcome> {
  const { task } = entry;
  const atIso = at.toISOString();
  return applyChange(
    entry,
    () => ({
      type: 'task.reminded',
      actor: sweeperActor,
      taskId: task.taskId,
      data: { dueAt: task.dueAt },
      items: [
        taskItem(entry, {
          deadline: 'due',
          gsi4sk: keys.dueTaskSort(task.dueAt, task.taskId),
          remindedAt: atIso,
        }),
        outboxPut(
          {
            template: 'task-reminder',
            recipient: actorsOf(task),
            caseId: task.caseId,
            taskId: task.taskId,
            params: taskParams(task, 'follow-up'),
          },
          at,
          tableName(),
        ),
      ],
    }),
    'reminded',
  );
}

async function escalate(entry: DueEntry, at: Date): Promise<Outcome> {
  const { task } = entry;
  const atIso = at.toISOString();
  const supervisors = escalatedTo(task);
  return applyChange(
    entry,
    () => ({
      type: 'task.escalated',
      actor: sweeperActor,
      taskId: task.taskId,
      data: { dueAt: task.dueAt, escalatedTo: supervisors.map((d) => `supervisor#D:${d}`) },
      items: [
        taskItem(entry, { overdueAt: atIso, escalatedAt: atIso }, ['gsi4pk', 'gsi4sk', 'deadline']),
        {
          Put: {
            TableName: tableName(),
            Item: escalationItem(task, atIso),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        outboxPut(
          {
            template: 'task-overdue',
            recipient: actorsOf(task),
            caseId: task.caseId,
            taskId: task.taskId,
            params: taskParams(task, 'due'),
          },
          at,
          tableName(),
        ),
        ...supervisors.map((district) =>
          outboxPut(
            {
              template: 'task-escalated',
              recipient: { kind: 'queue', role: 'supervisor', scope: `D:${district}` },
              caseId: task.caseId,
              taskId: task.taskId,
              params: { ...taskParams(task, 'due'), queue: `${task.role}#${scopeOf(task)}` },
            },
            at,
            tableName(),
          ),
        ),
      ],
    }),
    'escalated',
  );
}

/**
 * The applicant's time is up. First the task is marked overdue (its entry kept, as `expire`): from
 * then on the family's answer is refused, so a late answer cannot slip in while the case expires.
 * Then the waiting step is failed with DeadlinePassed (the workflow records the case `expired`,
 * closing the task), then the entry goes. A run that stops half-way leaves the entry at `expire`,
 * and the next run tells the step again; a step already gone (timed out, ended) needs no word.
 */
async function expire(entry: DueEntry, at: Date): Promise<Outcome> {
  const { task } = entry;
  if (entry.deadline !== 'expire') {
    const marked = await applyChange(
      entry,
      () => ({
        type: 'task.overdue',
        actor: sweeperActor,
        taskId: task.taskId,
        data: { dueAt: task.dueAt },
        items: [taskItem(entry, { overdueAt: at.toISOString(), deadline: 'expire' })],
      }),
      'expired',
    );
    // Answered in time, taken by another run, or its case closed meanwhile.
    if (marked !== 'expired') return marked;
  }
  try {
    await sfnClient.send(
      new SendTaskFailureCommand({
        taskToken: entry.taskToken,
        error: deadlinePassedError,
        cause: JSON.stringify({ taskId: task.taskId, taskType: task.taskType, dueAt: task.dueAt }),
      }),
    );
  } catch (error) {
    if (
      !(error instanceof TaskTimedOut) &&
      !(error instanceof TaskDoesNotExist) &&
      !(error instanceof InvalidToken)
    ) {
      throw error;
    }
  }
  await dropEntry(entry);
  return 'expired';
}

async function sweepEntry(entry: DueEntry, at: Date): Promise<Outcome> {
  const { task } = entry;
  if ((task.status !== 'open' && task.status !== 'claimed') || entry.deadline === undefined) {
    return dropEntry(entry);
  }
  if (entry.deadline === 'expire') return expire(entry, at);
  const pastDue = task.dueAt <= at.toISOString();
  // A follow-up found only after the due time (the sweeper was down) goes straight to the due step.
  if (!pastDue) return remind(entry, at);
  return waitsOnApplicant(task) ? expire(entry, at) : escalate(entry, at);
}

/** One page of due entries (pattern 30): only entries whose time has come are read. */
async function dueEntries(at: Date, startKey?: Record<string, unknown>) {
  const page = await documentClient.send(
    new QueryCommand({
      TableName: tableName(),
      IndexName: indexNames.gsi4,
      KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk <= :bound',
      ExpressionAttributeValues: { ':pk': keys.dueTasksPartition, ':bound': dueBound(at) },
      Limit: pageSize,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  return {
    items: page.Items ?? [],
    next: page.LastEvaluatedKey,
    consumedReadUnits: page.ConsumedCapacity?.CapacityUnits ?? 0,
    itemsRead: page.ScannedCount ?? 0,
  };
}

/** One sweeper run over everything due at the run's time. */
export async function sweepDeadlines(options: SweepOptions = {}): Promise<SweepResult> {
  const at = options.now ?? clockNow();
  const counts: Record<Outcome, number> = {
    reminded: 0,
    escalated: 0,
    expired: 0,
    skipped: 0,
    failed: 0,
  };
  let due = 0;
  let consumedReadUnits = 0;
  let itemsRead = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dueEntries(at, startKey);
    consumedReadUnits += page.consumedReadUnits;
    itemsRead += page.itemsRead;
    due += page.items.length;
    const outcomes = await eachLimited(page.items, concurrency, async (item) => {
      const entry = toEntry(item);
      if (!entry) {
        logger.error('Unreadable task in the due index', { sk: String(item.sk) });
        return 'failed' as const;
      }
      try {
        return await sweepEntry(entry, at);
      } catch (error) {
        // Left in the index: the next run tries again.
        logger.warn('Deadline not handled; next run retries', {
          taskId: entry.task.taskId,
          caseId: entry.task.caseId,
          error: (error as Error).name,
        });
        return 'failed' as const;
      }
    });
    for (const outcome of outcomes) counts[outcome] += 1;
    startKey = page.next;
  } while (startKey && (options.remainingMs?.() ?? Number.POSITIVE_INFINITY) > stopMarginMs);
  const result = { due, ...counts, consumedReadUnits, itemsRead };
  // Failed entries stay for the next run; failing the run also brings in the schedule's retries,
  // and an entry that fails every time ends in the dead-letter queue, where an operator sees it.
  if (counts.failed > 0) throw new DeadlineSweepIncompleteError(result);
  return result;
}
