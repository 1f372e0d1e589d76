import * as z from 'zod';
import { roleSchema } from '../auth/roles.ts';
import { caseTypeSchema } from '../cases/case-record.ts';
import { staffDistrictSchema } from '../validation/district.ts';

/**
 * `open` waits in its queue; `claimed` is held by one person; `done` carries a decision;
 * `expired` ran out of time (the workflow moved on); `cancelled` lost its case (withdrawn).
 */
export const taskStatusSchema = z.enum(['open', 'claimed', 'done', 'expired', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** What a workflow's human step sends to create-task (the Task state's Payload). */
export const createTaskInputSchema = z.object({
  taskToken: z.string().min(1),
  caseId: z.string().min(1),
  taskType: z.string().min(1).max(64),
  role: roleSchema,
  dueInWorkingDays: z.number().int().min(0).max(60),
  /** Words for the person who acts, e.g. what information is requested. */
  note: z.string().max(1000).optional(),
  /** A staff step above the case's district (`city` for the city's confirmation). */
  district: staffDistrictSchema.optional(),
  /** The workflow state that opens the task: a new attempt of it finds the task opened before. */
  step: z.string().min(1).max(80).optional(),
});
export type CreateTaskInput = z.infer<typeof createTaskInputSchema>;

export const outcomeSchema = z.enum(['approve', 'reject', 'request-info']);
export type Outcome = z.infer<typeof outcomeSchema>;

export const decisionSchema = z.object({
  outcome: outcomeSchema,
  reason: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  decidedBy: z.string(),
  decidedAt: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** Whether the workflow has the decision: `pending` until SendTaskSuccess is acknowledged. */
export const deliverySchema = z.enum(['pending', 'delivered', 'undeliverable']);

export const taskRecordSchema = z.object({
  taskId: z.string(),
  caseId: z.string(),
  caseType: caseTypeSchema,
  taskType: z.string(),
  role: roleSchema,
  district: z.string().optional(),
  providerId: z.string().optional(),
  applicantSub: z.string().optional(),
  /** The workflow state that opened it (createTaskInputSchema). */
  step: z.string().optional(),
  status: taskStatusSchema,
  createdAt: z.string(),
  dueAt: z.string(),
  followUpAt: z.string(),
  /** One line for the inbox; never a full 身份证 number. */
  summary: z.string(),
  note: z.string().optional(),
  claimedBy: z.string().optional(),
  claimedAt: z.string().optional(),
  /** An on-site inspection's date, chosen by the inspector who claimed it (YYYY-MM-DD). */
  scheduledFor: z.string().optional(),
  decision: decisionSchema.optional(),
  delivery: deliverySchema.optional(),
  deliveredAt: z.string().optional(),
  /**
   * Which deadline the sweeper watches next (shared/tasks/deadline-sweep.ts): `expire` once an
   * applicant's task is marked overdue and its step is still to be told. Gone once all is done.
   */
  deadline: z.enum(['follow-up', 'due', 'expire']).optional(),
  /** When the follow-up reminder went out. */
  remindedAt: z.string().optional(),
  /** When the sweeper found the task past its due time, still undecided. */
  overdueAt: z.string().optional(),
  /** When the task was escalated to the supervisors of its district and of the city. */
  escalatedAt: z.string().optional(),
  /** When its case closed it (expired, cancelled): the SLA figures tell early from late. */
  closedAt: z.string().optional(),
});
export type TaskRecord = z.infer<typeof taskRecordSchema>;

/**
 * Whether the task waits on whoever filed the case — the family for its claims, the provider for
 * its own registration — so that the case waits on them (`info-requested`) until they answer.
 */
export function waitsOnApplicant(task: Pick<TaskRecord, 'role' | 'caseType'>): boolean {
  return (
    task.role === 'citizen' ||
    (task.role === 'provider' && task.caseType === 'provider-registration')
  );
}

/** Task types whose claim must name the day the work is done (the inspector's visit). */
export const scheduledTaskTypes: readonly string[] = ['on-site-inspection'];
