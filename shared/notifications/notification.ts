import * as z from 'zod';
import { roleSchema } from '../auth/roles.ts';

export const templateIdSchema = z.enum([
  'task-assigned',
  'info-requested',
  'case-approved',
  'case-rejected',
  'task-reminder',
  'task-overdue',
  'case-expired',
  'case-withdrawn',
  'provider-status-changed',
  'registration-receipt',
  'waiver-stopped',
  'waiver-granted',
  'registration-renewal',
  'task-escalated',
]);
export type TemplateId = z.infer<typeof templateIdSchema>;

/** `D:<district>` for staff queues, `P:<providerId>` for providers, `A:<sub>` for an applicant. */
export const queueScopeSchema = z.string().regex(/^[DPA]:.+$/, 'scope must be D:…, P:… or A:…');

export const recipientSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('queue'),
    role: roleSchema,
    scope: queueScopeSchema,
    /** The person holding the task, if claimed: their subscription filters on it. */
    holder: z.string().min(1).optional(),
  }),
  /** The family (or provider) that filed the case. */
  z.object({ kind: z.literal('applicant'), sub: z.string().min(1) }),
]);
export type Recipient = z.infer<typeof recipientSchema>;

export const paramsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type NotificationParams = z.infer<typeof paramsSchema>;

export interface NotificationInput {
  readonly template: TemplateId;
  readonly recipient: Recipient;
  readonly caseId: string;
  readonly taskId?: string;
  /** The template's values; `dedupeKey`, if present, tells apart repeats of the same event. */
  readonly params: NotificationParams;
}

export const notificationStatusSchema = z.enum(['pending', 'sending', 'sent', 'failed']);
export type NotificationStatus = z.infer<typeof notificationStatusSchema>;

/** A notification as the outbox stores it (without the table's key attributes). */
export const notificationRecordSchema = z.object({
  notificationId: z.string(),
  template: templateIdSchema,
  recipient: recipientSchema,
  caseId: z.string(),
  taskId: z.string().optional(),
  params: paramsSchema,
  createdAt: z.string(),
  status: notificationStatusSchema,
  attempts: z.number().int().min(0),
  /** While `sending`: the claim's owner and when it lapses. */
  claimToken: z.string().optional(),
  claimedUntil: z.string().optional(),
  /** While `pending` after a failure: the earliest time of the next attempt. */
  notBefore: z.string().optional(),
  sentAt: z.string().optional(),
  channel: z.string().optional(),
  messageId: z.string().optional(),
  /** Where it went, masked (`138****5678`, a queue name). */
  sentTo: z.string().optional(),
  lastError: z.string().optional(),
  failedAt: z.string().optional(),
  /** Present only while the notification is waiting (the sparse pending index). */
  gsi4sk: z.string().optional(),
});
export type NotificationRecord = z.infer<typeof notificationRecordSchema>;
