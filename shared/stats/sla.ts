import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { staffRoles } from '../auth/roles.ts';
import { workingDaysBetween } from '../calendar/working-days.ts';
import { now } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { indexNames, keys } from '../db/keys.ts';
import { ValidationError } from '../errors/http-errors.ts';
import type { ErrorDetail } from '../errors/shanyu-error.ts';
import { shanghaiMidnight } from '../subsidy/policy/shanghai-calendar.ts';
import { queueOf } from '../tasks/queues.ts';
import { decisionSchema, taskRecordSchema, taskStatusSchema } from '../tasks/task-record.ts';
import type { StaffDistrict } from '../validation/district.ts';

/*
 * Service-level figures for supervisors: of the tasks that fell due in a period, how many were
 * decided in time. Only staff tasks are counted: provider and family tasks live in their own
 * queues (`P:`/`A:` scopes), not in a district's, and their pace is not the district's to answer
 * for.
 */

/** What the response says it counted, so nobody reads the figures as every task of the district. */
export const slaScope = 'staff tasks';

/** The longest period one request may cover: a leap year. */
export const maxPeriodDays = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The fields the figures need; the rest of the task stays in the table. */
export const slaTaskSchema = taskRecordSchema
  .pick({
    taskId: true,
    taskType: true,
    status: true,
    createdAt: true,
    dueAt: true,
    closedAt: true,
  })
  .extend({ decision: decisionSchema.pick({ decidedAt: true }).optional() });
export type SlaTask = z.infer<typeof slaTaskSchema>;

/** Asia/Shanghai calendar dates, both included. */
export interface SlaPeriod {
  readonly from: string;
  readonly to: string;
}

export interface SlaFigures {
  /** Due in the period, cancelled and closed-early tasks left out. */
  readonly due: number;
  readonly decidedOnTime: number;
  /**
   * Decided late, still waiting past their due time, or expired after it. Tasks expired before
   * this figure knew their closing time (no `closedAt`) count here too, as they always did.
   */
  readonly overdue: number;
  /** Still waiting, not yet due. */
  readonly open: number;
  /** Withdrawn by the family before anyone decided; in no other figure. */
  readonly cancelled: number;
  /**
   * Expired with their case before they fell due (e.g. the family let its own step lapse): no
   * time of the district's ran out, so they are in no other figure. Kept apart from `cancelled`
   * so that figure still reads as withdrawals.
   */
  readonly closedEarly: number;
  /** Null when nothing was decided. */
  readonly medianWorkingDaysToDecide: number | null;
}

export interface SlaTaskTypeFigures extends SlaFigures {
  readonly taskType: string;
}

export interface SlaStats extends SlaPeriod {
  readonly district: StaffDistrict;
  readonly scope: typeof slaScope;
  /** Sorted by task type. */
  readonly byTaskType: SlaTaskTypeFigures[];
  readonly total: SlaFigures;
  /** Read capacity the figures cost (what DynamoDB reported). */
  readonly consumedReadUnits: number;
}

/** Midnight of a `YYYY-MM-DD` in Huzhou, or undefined for a string that is no calendar date. */
function midnightOf(date: string): Date | undefined {
  try {
    return shanghaiMidnight(date);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

const dateInvalid = (field: 'from' | 'to'): ErrorDetail => ({
  path: `query.${field}`,
  code: 'DATE_INVALID',
  message: {
    'zh-CN': '日期应为 YYYY-MM-DD 格式的有效日期，例如 2026-03-01',
    en: 'Dates are valid calendar dates written YYYY-MM-DD, e.g. 2026-03-01',
  },
});

/** The period asked for, checked: real dates, `from` not after `to`, at most a leap year long. */
export function slaPeriod(from: string, to: string): SlaPeriod {
  const start = midnightOf(from);
  const end = midnightOf(to);
  const invalid = [...(start ? [] : [dateInvalid('from')]), ...(end ? [] : [dateInvalid('to')])];
  if (invalid.length > 0 || !start || !end) throw new ValidationError(invalid);
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS) + 1;
  if (days < 1) {
    throw new ValidationError([
      {
        path: 'query.to',
        code: 'PERIOD_REVERSED',
        message: {
          'zh-CN': '结束日期不能早于开始日期',
          en: 'The period cannot end before it starts',
        },
      },
    ]);
  }
  if (days > maxPeriodDays) {
    throw new ValidationError([
      {
        path: 'query.to',
        code: 'PERIOD_TOO_LONG',
        message: {
          'zh-CN': `统计期间最长 ${maxPeriodDays} 天`,
          en: `A period covers at most ${maxPeriodDays} days`,
        },
      },
    ]);
  }
  return { from, to };
}

/** The period as instants: due times from `startsAt` up to, not including, `endsBefore`. */
export function periodInstants(period: SlaPeriod): { startsAt: Date; endsBefore: Date } {
  const startsAt = shanghaiMidnight(period.from);
  const lastDay = shanghaiMidnight(period.to);
  return { startsAt, endsBefore: new Date(lastDay.getTime() + DAY_MS) };
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

/**
 * Whether an expired task's case closed it before it fell due (closing at the due time itself is
 * in time, as deciding is). One closed without a readable `closedAt` — every task expired before
 * closing recorded it — keeps the old reading, overdue: the figures cannot show it was early.
 */
function closedBeforeDue(task: SlaTask): boolean {
  if (task.closedAt === undefined) return false;
  const closedAt = Date.parse(task.closedAt);
  return !Number.isNaN(closedAt) && closedAt <= Date.parse(task.dueAt);
}

function figuresOf(tasks: readonly SlaTask[], at: Date): SlaFigures {
  let due = 0;
  let decidedOnTime = 0;
  let overdue = 0;
  let open = 0;
  let cancelled = 0;
  let closedEarly = 0;
  const daysToDecide: number[] = [];
  for (const task of tasks) {
    if (task.status === 'cancelled') {
      cancelled += 1;
      continue;
    }
    if (task.status === 'expired' && closedBeforeDue(task)) {
      closedEarly += 1;
      continue;
    }
    due += 1;
    const dueAt = Date.parse(task.dueAt);
    if (task.status === 'done') {
      const decidedAt = task.decision?.decidedAt;
      // Deciding writes the decision with the status; a done task without one cannot show it
      // was in time, so it counts against the district rather than silently for it.
      if (decidedAt === undefined) {
        overdue += 1;
        continue;
      }
      if (Date.parse(decidedAt) <= dueAt) decidedOnTime += 1;
      else overdue += 1;
      daysToDecide.push(workingDaysBetween(new Date(task.createdAt), new Date(decidedAt)));
    } else if (task.status === 'expired' || dueAt < at.getTime()) {
      overdue += 1;
    } else {
      open += 1;
    }
  }
  return {
    due,
    decidedOnTime,
    overdue,
    open,
    cancelled,
    closedEarly,
    medianWorkingDaysToDecide: median(daysToDecide),
  };
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The figures of tasks that fell due in a period, per task type (sorted by name) and in total,
 * as they stand at `at`. The caller passes only tasks due in the period.
 */
export function slaFigures(
  tasks: readonly SlaTask[],
  at: Date,
): { byTaskType: SlaTaskTypeFigures[]; total: SlaFigures } {
  const byType = new Map<string, SlaTask[]>();
  for (const task of tasks) byType.set(task.taskType, [...(byType.get(task.taskType) ?? []), task]);
  const byTaskType = [...byType.keys()]
    .sort(byteOrder)
    .map((taskType) => ({ taskType, ...figuresOf(byType.get(taskType) ?? [], at) }));
  return { byTaskType, total: figuresOf(tasks, at) };
}

/** How far a task has got: a task read twice (it moved while we read) keeps its later state. */
const progress: Readonly<Record<SlaTask['status'], number>> = {
  open: 0,
  claimed: 1,
  done: 2,
  expired: 2,
  cancelled: 2,
};

/** One inbox partition's tasks due in the window, every page (pattern 6). */
async function readPartition(
  partition: string,
  window: { startsAt: Date; endsBefore: Date },
): Promise<{ items: Record<string, unknown>[]; consumedReadUnits: number }> {
  const items: Record<string, unknown>[] = [];
  let consumedReadUnits = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: indexNames.gsi2,
        // Sort keys are `<dueAt>#<taskId>`, dueAt an ISO instant in UTC. BETWEEN is inclusive:
        // the bare start instant sorts before every key due at it, and the bare end instant
        // before every key due at it (the next day's first moment), so those stay out.
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeNames: {
          '#taskId': 'taskId',
          '#taskType': 'taskType',
          '#status': 'status',
          '#createdAt': 'createdAt',
          '#dueAt': 'dueAt',
          '#decision': 'decision',
          '#decidedAt': 'decidedAt',
          '#closedAt': 'closedAt',
        },
        // Capacity is charged on the whole index entry either way; this only trims the transfer.
        ProjectionExpression:
          '#taskId, #taskType, #status, #createdAt, #dueAt, #closedAt, #decision.#decidedAt',
        ExpressionAttributeValues: {
          ':pk': partition,
          ':from': window.startsAt.toISOString(),
          ':to': window.endsBefore.toISOString(),
        },
        ExclusiveStartKey: startKey,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    consumedReadUnits += page.ConsumedCapacity?.CapacityUnits ?? 0;
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return { items, consumedReadUnits };
}

/**
 * The staff tasks of a district that fall due in a period: one index query per staff role and
 * status, all at once, each read to its last page. Never a Scan.
 */
export async function readStaffTasksDue(
  district: StaffDistrict,
  period: SlaPeriod,
): Promise<{ tasks: SlaTask[]; consumedReadUnits: number }> {
  const window = periodInstants(period);
  const partitions = staffRoles.flatMap((role) =>
    taskStatusSchema.options.map((status) =>
      keys.inboxPartition(queueOf({ role, district }), status),
    ),
  );
  const pages = await Promise.all(partitions.map((partition) => readPartition(partition, window)));
  const tasks = new Map<string, SlaTask>();
  for (const item of pages.flatMap((page) => page.items)) {
    const task = slaTaskSchema.parse(item);
    const seen = tasks.get(task.taskId);
    if (!seen || progress[task.status] > progress[seen.status]) tasks.set(task.taskId, task);
  }
  return {
    tasks: [...tasks.values()],
    consumedReadUnits: pages.reduce((sum, page) => sum + page.consumedReadUnits, 0),
  };
}

/** GET /v1/stats/sla's answer: a district's staff tasks due in the period, as they stand now. */
export async function slaStats(district: StaffDistrict, period: SlaPeriod): Promise<SlaStats> {
  const { tasks, consumedReadUnits } = await readStaffTasksDue(district, period);
  return {
    district,
    from: period.from,
    to: period.to,
    scope: slaScope,
    ...slaFigures(tasks, now()),
    consumedReadUnits,
  };
}
