import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetExecutionHistoryCommand,
  InvalidToken,
  SendTaskSuccessCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../auth/principal.ts';
import { addWorkingDays } from '../calendar/working-days.ts';
import { type Actor, type CaseRecord, type CaseStatus, isFinal } from '../cases/case-record.ts';
import { type CaseChange, ChangeRefusedError, changeCase, getCase } from '../cases/case-store.ts';
import { now } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { keys } from '../db/keys.ts';
import {
  ConflictError,
  ForbiddenError,
  ServiceBusyError,
  ValidationError,
} from '../errors/http-errors.ts';
import { type NotificationInput, outboxPut } from '../notifications/outbox.ts';
import { logger } from '../observability/index.ts';
import { shanghaiDate } from '../subsidy/policy/shanghai-calendar.ts';
import { sfnClient } from '../workflows/sfn-client.ts';
import { type DecisionBody, decisionDataTravels } from './decision-forms.ts';
import { escalationDelete } from './escalations.ts';
import { canAct, canSeeTask, canSupervise, scopeOf } from './queues.ts';
import { caseSummary } from './summary.ts';
import {
  taskAlreadyClaimed,
  taskAlreadyDecided,
  taskClosed,
  taskNotClaimedByYou,
  taskNotFound,
} from './task-errors.ts';
import {
  type CreateTaskInput,
  type Decision,
  scheduledTaskTypes,
  type TaskRecord,
  type TaskStatus,
  waitsOnApplicant,
} from './task-record.ts';
import {
  getTask,
  getTaskOfCase,
  inboxKeys,
  listCaseTasks,
  newTaskItem,
  type StoredTask,
  taskIdFor,
} from './task-store.ts';
import { taskUpdateItem } from './task-update.ts';

const workflowActor: Actor = { kind: 'system', component: 'workflow' };

export function actorOf(principal: Principal): Actor {
  return { kind: 'person', sub: principal.sub, roles: [...principal.roles] };
}

/** The case a workflow asks a task for is gone or finished: a definition or timing bug. */
export class CaseClosedError extends Error {
  constructor(readonly caseId: string) {
    super(`Case ${caseId} is closed; no task can be opened on it`);
    this.name = 'CaseClosedError';
  }
}

interface TaskUpdate {
  readonly set: Record<string, unknown>;
  readonly remove?: readonly string[];
  /** Condition on the task as it was read: status (and holder) unchanged. */
  readonly expect: {
    status: TaskStatus;
    claimedBy?: string | undefined;
    /** Not yet found overdue by the sweeper (an applicant's answer must beat its expiry). */
    notOverdue?: boolean;
  };
  /**
   * Whether a task found after a refused change is already as this change would leave it: the
   * same person's other click (a double click) got there first, and its result is the answer.
   */
  readonly alreadyDone?: (current: TaskRecord) => boolean;
}

/** A transaction item that updates a task only if nobody changed it since it was read. */
function expectedTaskItem(task: TaskRecord, update: TaskUpdate) {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':expectedStatus': update.expect.status };
  let expression = '#status = :expectedStatus';
  if (update.expect.claimedBy === undefined) {
    expression += ' AND attribute_not_exists(claimedBy)';
  } else {
    names['#claimedBy'] = 'claimedBy';
    values[':expectedHolder'] = update.expect.claimedBy;
    expression += ' AND #claimedBy = :expectedHolder';
  }
  if (update.expect.notOverdue) expression += ' AND attribute_not_exists(overdueAt)';
  return taskUpdateItem(task, {
    set: update.set,
    ...(update.remove ? { remove: update.remove } : {}),
    condition: { expression, names, values },
  });
}

/** Moving a task to another status moves it to that status's inbox partitions too. */
function statusChange(task: TaskRecord, to: TaskStatus): Record<string, unknown> {
  return { status: to, ...inboxKeys(task, to) };
}

/** Who hears that a task is waiting: the family for its own tasks, otherwise the queue. */
function taskCreatedNotification(task: TaskRecord): NotificationInput {
  const base = { caseId: task.caseId, taskId: task.taskId };
  if (task.role === 'citizen') {
    return {
      ...base,
      template: 'info-requested',
      recipient: { kind: 'applicant', sub: task.applicantSub ?? '' },
      params: {
        caseId: task.caseId,
        caseType: task.caseType,
        dueAt: task.dueAt,
        note: task.note ?? '',
      },
    };
  }
  return {
    ...base,
    template: 'task-assigned',
    recipient: { kind: 'queue', role: task.role, scope: scopeOf(task) },
    params: {
      caseId: task.caseId,
      caseType: task.caseType,
      taskType: task.taskType,
      dueAt: task.dueAt,
    },
  };
}

/**
 * Puts a new attempt's token on the task an earlier attempt of the same step opened (the earlier
 * attempt timed out after storing it, and its token died with it). Undefined when the task was
 * decided or closed meanwhile: the new attempt then opens a task of its own.
 */
async function reissueTask(stored: StoredTask, taskToken: string): Promise<TaskRecord | undefined> {
  const { task } = stored;
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.caseTask(task.caseId, task.taskId),
        UpdateExpression: 'SET taskToken = :token',
        ConditionExpression: 'taskToken = :earlier AND #status IN (:open, :claimed)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':token': taskToken,
          ':earlier': stored.taskToken,
          ':open': 'open',
          ':claimed': 'claimed',
        },
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
  if (taskToken !== stored.taskToken) {
    logger.warn('Task handed to a new attempt of its step', {
      taskId: task.taskId,
      step: task.step,
    });
  }
  return task;
}

/**
 * Opens a workflow's human task: the task (with its token), its audit event and the
 * notification to its queue, in one transaction. The same token again returns the same task;
 * a new attempt of the same step (a new token) gets the task the step opened before, if it is
 * still undecided, so that nobody sees the step twice.
 */
export async function openTask(input: CreateTaskInput): Promise<TaskRecord> {
  const taskId = taskIdFor(input.taskToken);
  const tasks = await listCaseTasks(input.caseId);
  const existing = tasks.find((stored) => stored.task.taskId === taskId);
  if (existing) return existing.task;
  const earlier = tasks.find(
    (stored) =>
      input.step !== undefined &&
      stored.task.step === input.step &&
      (stored.task.status === 'open' || stored.task.status === 'claimed'),
  );
  const reissued = earlier ? await reissueTask(earlier, input.taskToken) : undefined;
  if (reissued) return reissued;
  const createdAt = now();
  let task: TaskRecord | undefined;
  try {
    await changeCase(input.caseId, (record: CaseRecord) => {
      if (isFinal(record.status)) throw new CaseClosedError(record.caseId);
      const opened: TaskRecord = {
        taskId,
        caseId: record.caseId,
        caseType: record.caseType,
        taskType: input.taskType,
        role: input.role,
        ...(input.district
          ? { district: input.district }
          : record.district
            ? { district: record.district }
            : {}),
        ...(input.role === 'provider' && record.providerId
          ? { providerId: record.providerId }
          : {}),
        ...(input.role === 'citizen' ? { applicantSub: record.applicantSub } : {}),
        ...(input.step ? { step: input.step } : {}),
        status: 'open',
        createdAt: createdAt.toISOString(),
        dueAt: addWorkingDays(createdAt, input.dueInWorkingDays).toISOString(),
        // One working day before the deadline; a same-day task is followed up at once.
        followUpAt: addWorkingDays(
          createdAt,
          Math.max(0, input.dueInWorkingDays - 1),
        ).toISOString(),
        summary: caseSummary(record),
        ...(input.note ? { note: input.note } : {}),
      };
      task = opened;
      return {
        type: 'task.created',
        actor: workflowActor,
        taskId,
        // A task for the family (or the filing provider) means the case waits on them.
        ...(waitsOnApplicant(opened) ? { status: 'info-requested' as const } : {}),
        ...(input.note ? { note: input.note } : {}),
        data: { taskType: opened.taskType, role: opened.role, dueAt: opened.dueAt },
        items: [
          {
            Put: {
              TableName: tableName(),
              Item: newTaskItem(opened, input.taskToken),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          outboxPut(taskCreatedNotification(opened), createdAt, tableName()),
        ],
      };
    });
  } catch (error) {
    // A concurrent retry of the same step stored it first.
    if (!(error instanceof ChangeRefusedError)) throw error;
    const stored = await getTaskOfCase(input.caseId, taskId);
    if (!stored) throw error;
    return stored.task;
  }
  if (!task) throw new Error('task was not built');
  return task;
}

/** Reads a task the principal may see; anyone else learns nothing, not even that it exists. */
export async function visibleTask(principal: Principal, taskId: string): Promise<StoredTask> {
  const stored = await getTask(taskId);
  if (!stored || !canSeeTask(principal, stored.task)) throw taskNotFound(taskId);
  return stored;
}

/** Why a task cannot be taken or decided any more, as the API says it. */
function refusalFor(task: TaskRecord, principal: Principal) {
  // The applicant's time is up: the sweeper is ending the case (shared/tasks/deadline-sweep.ts).
  if (task.overdueAt !== undefined && waitsOnApplicant(task)) return taskClosed('expired');
  switch (task.status) {
    case 'done':
      return taskAlreadyDecided();
    case 'expired':
    case 'cancelled':
      return taskClosed(task.status);
    case 'claimed':
      return task.claimedBy === principal.sub ? undefined : taskAlreadyClaimed();
    default:
      return undefined;
  }
}

/**
 * Runs a task change as a case change; when the task's condition fails (someone got there
 * first), re-reads the task and reports why in the API's terms.
 */
async function changeTask(
  principal: Principal,
  stored: StoredTask,
  type: string,
  update: TaskUpdate,
  extra: {
    note?: string;
    data?: Record<string, unknown>;
    status?: CaseStatus;
    /** Further writes of the same change (an escalation entry removed). */
    items?: CaseChange['items'];
  } = {},
): Promise<TaskRecord> {
  const { task } = stored;
  const { items: extraItems = [], ...event } = extra;
  try {
    await changeCase(task.caseId, (current) => {
      // Belt and braces: closing a case closes its tasks in the same transaction.
      if (isFinal(current.status)) {
        throw taskClosed(current.status === 'expired' ? 'expired' : 'cancelled');
      }
      return {
        type,
        actor: actorOf(principal),
        taskId: task.taskId,
        ...event,
        items: [expectedTaskItem(task, update), ...extraItems],
      };
    });
  } catch (error) {
    // The case may have ended since the task was read: ending it closed the task in the same
    // transaction, so a racer that lost to a decision hears TASK_ALREADY_DECIDED, not "cancelled".
    const caseEnded = error instanceof ConflictError && error.code === 'TASK_CLOSED';
    if (!(error instanceof ChangeRefusedError) && !caseEnded) throw error;
    const current = await getTaskOfCase(task.caseId, task.taskId);
    const refusal = current && refusalFor(current.task, principal);
    if (!refusal && current && update.alreadyDone?.(current.task)) return current.task;
    throw refusal ?? (caseEnded ? error : taskAlreadyClaimed());
  }
  const updated = await getTaskOfCase(task.caseId, task.taskId);
  return updated?.task ?? task;
}

/** Takes a task from its queue. Claiming one's own claimed task again is a no-op. */
export async function claimTask(
  principal: Principal,
  taskId: string,
  options: { scheduledFor?: string } = {},
): Promise<TaskRecord> {
  const stored = await visibleTask(principal, taskId);
  const { task } = stored;
  if (!canAct(principal, task)) throw new ForbiddenError();
  const refusal = refusalFor(task, principal);
  if (refusal) throw refusal;
  if (task.status === 'claimed') return task;
  const schedule = scheduledTaskTypes.includes(task.taskType)
    ? checkSchedule(options.scheduledFor, task)
    : undefined;
  return changeTask(
    principal,
    stored,
    'task.claimed',
    {
      set: {
        ...statusChange(task, 'claimed'),
        claimedBy: principal.sub,
        claimedAt: now().toISOString(),
        ...(schedule ? { scheduledFor: schedule } : {}),
      },
      expect: { status: 'open' },
      // As claiming one's own claimed task again is, above.
      alreadyDone: (current) => current.status === 'claimed' && current.claimedBy === principal.sub,
    },
    schedule ? { data: { scheduledFor: schedule } } : {},
  );
}

/** An inspection is claimed with the day of the visit: today or later (Huzhou's calendar). */
function checkSchedule(scheduledFor: string | undefined, task: TaskRecord): string {
  if (!scheduledFor) {
    throw new ValidationError([
      {
        path: 'scheduledFor',
        code: 'SCHEDULED_DATE_REQUIRED',
        message: {
          'zh-CN': '认领现场核查任务时须填写核查日期',
          en: `A ${task.taskType} task is claimed with the date it will take place`,
        },
      },
    ]);
  }
  if (scheduledFor < shanghaiDate(now())) {
    throw new ValidationError([
      {
        path: 'scheduledFor',
        code: 'SCHEDULED_DATE_IN_PAST',
        message: { 'zh-CN': '核查日期不能早于今天', en: 'The date cannot be before today' },
      },
    ]);
  }
  return scheduledFor;
}

/** Puts a claimed task back in its queue: its holder may, and a supervisor of its district. */
export async function unclaimTask(principal: Principal, taskId: string): Promise<TaskRecord> {
  const stored = await visibleTask(principal, taskId);
  const { task } = stored;
  if (task.status === 'open') return task;
  if (task.status !== 'claimed') throw refusalFor(task, principal) ?? taskAlreadyDecided();
  if (task.claimedBy !== principal.sub && !canSupervise(principal, task))
    throw taskNotClaimedByYou();
  return changeTask(principal, stored, 'task.unclaimed', {
    set: statusChange(task, 'open'),
    // Whoever takes it next chooses the date again.
    remove: ['claimedBy', 'claimedAt', 'scheduledFor'],
    expect: { status: 'claimed', claimedBy: task.claimedBy },
    // As putting back an open task is, above.
    alreadyDone: (current) => current.status === 'open',
  });
}

/** A supervisor hands a task to someone (over whoever holds it: said, audited, not silent). */
export async function assignTask(
  principal: Principal,
  taskId: string,
  assignee: string,
): Promise<TaskRecord> {
  const stored = await visibleTask(principal, taskId);
  const { task } = stored;
  if (!canSupervise(principal, task)) throw new ForbiddenError();
  if (task.status !== 'open' && task.status !== 'claimed') {
    throw refusalFor(task, principal) ?? taskAlreadyDecided();
  }
  return changeTask(
    principal,
    stored,
    'task.assigned',
    {
      set: {
        ...statusChange(task, 'claimed'),
        claimedBy: assignee,
        claimedAt: now().toISOString(),
      },
      expect: { status: task.status, claimedBy: task.claimedBy },
    },
    { data: { assignee, ...(task.claimedBy ? { previousHolder: task.claimedBy } : {}) } },
  );
}

/**
 * Records a decision exactly once — the task's conditional update and the audit event in one
 * transaction, so of concurrent deciders one wins and the rest hear TASK_ALREADY_DECIDED — and
 * then hands it to the waiting workflow. If that hand-over fails, the decision stays recorded as
 * pending delivery and the DeliverDecisions job hands it over later.
 */
export async function decideTask(
  principal: Principal,
  stored: StoredTask,
  body: DecisionBody,
): Promise<{ task: TaskRecord; delivered: boolean }> {
  const { task } = stored;
  if (!canAct(principal, task)) throw new ForbiddenError();
  const refusal = refusalFor(task, principal);
  if (refusal) throw refusal;
  if (scheduledTaskTypes.includes(task.taskType) && !task.scheduledFor) {
    throw new ValidationError([
      {
        path: 'scheduledFor',
        code: 'SCHEDULED_DATE_REQUIRED',
        message: {
          'zh-CN': '请先认领任务并填写核查日期，再作出决定',
          en: 'Claim the task with the date it takes place before deciding it',
        },
      },
    ]);
  }
  // What the applicant wrote when answering goes on the audit trail, where the staff who asked
  // read it; a decision's reason likewise.
  const answer = (body.data ?? {}) as { message?: unknown; documents?: unknown };
  const message = typeof answer.message === 'string' ? answer.message : undefined;
  const note = body.reason ?? message;
  const documents = Array.isArray(answer.documents) ? answer.documents : undefined;
  const decidedAt = now().toISOString();
  const decision: Decision = {
    outcome: body.outcome,
    ...(body.reason ? { reason: body.reason } : {}),
    ...(body.data ? { data: body.data as Record<string, unknown> } : {}),
    decidedBy: principal.sub,
    decidedAt,
  };
  const decided = await changeTask(
    principal,
    stored,
    'task.decided',
    {
      set: {
        ...statusChange(task, 'done'),
        decision,
        delivery: 'pending',
        gsi4pk: keys.pendingDeliveryPartition,
        gsi4sk: `${decidedAt}#${task.taskId}`,
      },
      // The decision takes the task's place in gsi4: off the sweeper's due index.
      remove: ['deadline'],
      // A family's late answer counts until the sweeper has found the task overdue, not after.
      expect: {
        status: task.status,
        claimedBy: task.claimedBy,
        notOverdue: waitsOnApplicant(task),
      },
    },
    {
      ...(note ? { note } : {}),
      data: { outcome: body.outcome, ...(documents ? { documents } : {}) },
      // The family (or provider) answered: the case is back with the people reviewing it.
      ...(waitsOnApplicant(task) ? { status: 'in-review' as const } : {}),
      // Decided: off the supervisors' escalation list too.
      items: escalationDelete(task),
    },
  );
  const delivered = await deliverDecision({ task: decided, taskToken: stored.taskToken });
  return { task: decided, delivered };
}

/** What the workflow receives at the waiting step's result path. */
function decisionOutput(task: TaskRecord): string {
  // Data that may hold personal data stays in the table; the workflow reads it by task id.
  const { data, ...decision } = task.decision ?? ({} as Decision);
  const keepsData = decisionDataTravels(task.taskType);
  return JSON.stringify({
    ...decision,
    ...(keepsData && data ? { data } : {}),
    taskId: task.taskId,
  });
}

/**
 * Hands a recorded decision to its execution. Returns whether the workflow has it. A token the
 * workflow no longer honours (the step timed out, the execution ended) is final: the task and the
 * case record that the decision arrived too late; the decision itself is kept.
 */
export async function deliverDecision(stored: StoredTask): Promise<boolean> {
  const { task, taskToken } = stored;
  if (!task.decision || task.delivery !== 'pending') return task.delivery === 'delivered';
  try {
    await sfnClient.send(new SendTaskSuccessCommand({ taskToken, output: decisionOutput(task) }));
  } catch (error) {
    if (
      error instanceof TaskTimedOut ||
      error instanceof TaskDoesNotExist ||
      error instanceof InvalidToken
    ) {
      // A new attempt of the step took the task over (reissueTask) after this token was read.
      const current = await getTaskOfCase(task.caseId, task.taskId);
      if (current && current.taskToken !== taskToken) return deliverDecision(current);
      // An earlier attempt may have been taken before its acknowledgement was written down.
      if (await workflowReceived(task)) {
        await markDelivered(task);
        return true;
      }
      await markUndeliverable(task, (error as Error).name);
      return false;
    }
    logger.warn('Decision not delivered yet; the DeliverDecisions job will retry', {
      taskId: task.taskId,
      error: (error as Error).name,
    });
    return false;
  }
  await markDelivered(task);
  return true;
}

/**
 * Notes that the workflow has the decision. Failing to note it is not the caller's problem: the
 * decision stays pending and the next redelivery finds the workflow already has it.
 */
async function markDelivered(task: TaskRecord): Promise<void> {
  try {
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.caseTask(task.caseId, task.taskId),
        UpdateExpression: 'SET delivery = :delivered, deliveredAt = :at REMOVE gsi4pk, gsi4sk',
        ConditionExpression: 'delivery = :pending',
        ExpressionAttributeValues: {
          ':delivered': 'delivered',
          ':pending': 'pending',
          ':at': now().toISOString(),
        },
      }),
    );
  } catch (error) {
    // Marked first by another delivery (the job, a retry), or a write that failed: see above.
    logger.warn('Delivery not noted', { taskId: task.taskId, error: (error as Error).name });
  }
}

/**
 * Whether the execution took this task's decision: its history has the step's TaskSucceeded with
 * this task's output. Read newest first, a few pages at most.
 */
async function workflowReceived(task: TaskRecord): Promise<boolean> {
  const executionArn = (await getCase(task.caseId))?.workflow?.executionArn;
  if (!executionArn) return false;
  const marker = `"taskId":"${task.taskId}"`;
  let nextToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const history = await sfnClient.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 200,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    const taken = (history.events ?? []).some((event) =>
      event.taskSucceededEventDetails?.output?.includes(marker),
    );
    if (taken) return true;
    nextToken = history.nextToken;
    if (!nextToken) return false;
  }
  return false;
}

async function markUndeliverable(task: TaskRecord, reason: string): Promise<void> {
  try {
    await changeCase(task.caseId, () => ({
      type: 'task.decision-undeliverable',
      actor: workflowActor,
      taskId: task.taskId,
      data: { reason },
      items: [
        {
          Update: {
            TableName: tableName(),
            Key: keys.caseTask(task.caseId, task.taskId),
            UpdateExpression: 'SET delivery = :undeliverable REMOVE gsi4pk, gsi4sk',
            ConditionExpression: 'delivery = :pending',
            ExpressionAttributeValues: { ':undeliverable': 'undeliverable', ':pending': 'pending' },
          },
        },
      ],
    }));
  } catch (error) {
    if (!(error instanceof ChangeRefusedError)) throw error;
  }
}

/**
 * Closes a case's open and claimed tasks (the case was withdrawn, or its workflow expired it):
 * transaction items to add to the case change that closes the case.
 */
export function closeTaskItems(
  tasks: readonly TaskRecord[],
  to: 'expired' | 'cancelled',
  closedAt: string = now().toISOString(),
) {
  return tasks
    .filter((task) => task.status === 'open' || task.status === 'claimed')
    .flatMap((task) => [
      expectedTaskItem(task, {
        set: { ...statusChange(task, to), closedAt },
        // Nothing is due any more: out of the sweeper's due index.
        remove: ['gsi4pk', 'gsi4sk', 'deadline'],
        expect: { status: task.status, claimedBy: task.claimedBy },
      }),
      ...escalationDelete(task),
    ]);
}

/** The task list a change was built from is older than the case it is applied to. */
class StaleTasksError extends Error {}

/**
 * Closes a case together with its open tasks (withdrawal, expiry). The task list is read at a
 * known case version; if the case moved before the change lands (a task was opened meanwhile),
 * the list is read again, so no task is left open on a closed case.
 */
export async function closeCaseAndTasks(
  caseId: string,
  to: 'expired' | 'cancelled',
  decide: (current: CaseRecord) => CaseChange | undefined,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await getCase(caseId);
    const tasks = (await listCaseTasks(caseId)).map((stored) => stored.task);
    try {
      return await changeCase(caseId, (current) => {
        const change = decide(current);
        if (!change) return undefined;
        if (current.version !== before?.version) throw new StaleTasksError();
        return { ...change, items: [...closeTaskItems(tasks, to), ...(change.items ?? [])] };
      });
    } catch (error) {
      if (!(error instanceof StaleTasksError) && !(error instanceof ChangeRefusedError))
        throw error;
    }
  }
  throw new ServiceBusyError();
}
