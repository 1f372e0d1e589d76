import { createHash } from 'node:crypto';
import { keys } from '../db/keys.ts';
import {
  type NotificationInput,
  type NotificationParams,
  type NotificationRecord,
  type Recipient,
  recipientSchema,
} from './notification.ts';
import { renderNotification } from './templates.ts';

export type { NotificationInput, Recipient, TemplateId } from './notification.ts';

/** A notification that could never be delivered as filed (a malformed recipient). */
export class InvalidNotificationError extends Error {
  constructor(reason: string) {
    super(`Invalid notification: ${reason}`);
    this.name = 'InvalidNotificationError';
  }
}

/** The stored item: the record plus the table's keys and the pending index's keys. */
export type OutboxItem = NotificationRecord & {
  readonly pk: string;
  readonly sk: string;
  readonly gsi4pk?: string;
  readonly entity: 'Notification';
};

export interface OutboxPut {
  readonly Put: {
    readonly TableName: string;
    /** As filed: pending, so in the pending index. */
    readonly Item: OutboxItem & { readonly gsi4pk: string; readonly gsi4sk: string };
    readonly ConditionExpression: string;
  };
}

function recipientKey(recipient: Recipient): readonly string[] {
  // Field by field, not JSON of the object: a caller's property order must not change the id.
  return recipient.kind === 'queue'
    ? ['queue', recipient.role, recipient.scope, recipient.holder ?? '']
    : ['applicant', recipient.sub];
}

/**
 * The id is a digest of what makes the notification *this* notification (template, recipient,
 * case, task, and `params.dedupeKey` for events that legitimately repeat, e.g. the second reminder
 * of a task), never of when it was filed.
 */
export function notificationIdFor(input: NotificationInput): string {
  const dedupeKey = input.params.dedupeKey;
  const identity = JSON.stringify([
    input.template,
    ...recipientKey(input.recipient),
    input.caseId,
    input.taskId ?? null,
    dedupeKey === undefined ? null : String(dedupeKey),
  ]);
  return `N-${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}`;
}

/**
 * A TransactWriteItems entry (lib-dynamodb shape) that files the notification in the outbox, to
 * go in the same transaction as the change it announces: either both happen or neither.
 *
 * The condition `attribute_not_exists(pk)` makes a retried transaction fail instead of filing a
 * second copy, provided the retry passes the same `createdAt` (the key includes it). Use the
 * change's own timestamp (its audit event's `at`), which a retry of the same change repeats.
 *
 * Renders the template in every language first, so that a missing parameter fails the caller's
 * transaction now rather than the sender later.
 */
export function outboxPut(input: NotificationInput, createdAt: Date, tableName: string): OutboxPut {
  const recipient = recipientSchema.safeParse(input.recipient);
  if (!recipient.success) {
    throw new InvalidNotificationError(recipient.error.issues.map((i) => i.message).join('; '));
  }
  if (input.caseId === '') throw new InvalidNotificationError('caseId is empty');
  const params: NotificationParams = { ...input.params };
  renderNotification({ template: input.template, caseId: input.caseId, params }, 'zh-CN');
  renderNotification({ template: input.template, caseId: input.caseId, params }, 'en');

  const notificationId = notificationIdFor(input);
  const at = createdAt.toISOString();
  const item: OutboxPut['Put']['Item'] = {
    ...keys.notification(at, notificationId),
    gsi4pk: keys.pendingOutboxPartition,
    gsi4sk: `${at}#${notificationId}`,
    entity: 'Notification',
    notificationId,
    template: input.template,
    recipient: recipient.data,
    caseId: input.caseId,
    // Absent rather than undefined: the caller's document client may not strip undefined values.
    ...(input.taskId === undefined ? {} : { taskId: input.taskId }),
    params,
    createdAt: at,
    status: 'pending',
    attempts: 0,
  };
  return {
    Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
  };
}
