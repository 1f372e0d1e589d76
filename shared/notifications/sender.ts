import { randomUUID } from 'node:crypto';
import { now as clockNow } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { logger as sharedLogger } from '../logging/logger.ts';
import { redactText } from '../logging/redact.ts';
import {
  type Address,
  type ChannelSet,
  channelFor,
  channelsFromEnvironment,
  describeAddress,
  UndeliverableError,
} from './channels.ts';
import type { NotificationRecord } from './notification.ts';
import {
  type ClaimedNotification,
  type DueNotification,
  dynamoOutboxStore,
  type OutboxStore,
} from './outbox-store.ts';
import {
  InvalidTemplateParamError,
  MissingTemplateParamError,
  renderNotification,
} from './templates.ts';

/** The recipient cannot be reached: no such case, no phone on it, or not the case's applicant. */
export class UnreachableRecipientError extends UndeliverableError {}

/** Attempts before a notification is given up (status `failed`, out of the pending index). */
export const maxAttempts = 5;

/** 1, 2, 4, 8 … minutes after the n-th failure, at most an hour. */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(failedAttempts - 1, 0), 3_600_000);
}

/**
 * How long a run may hold an item before another run may take it over. Well above the job's
 * Lambda timeout: a claim that lapses while its run is still sending means a double send.
 */
export const defaultClaimMs = 5 * 60_000;

export interface SendPendingOptions {
  /** Most items handled in one run (one query page); the rest wait for the next run. */
  readonly limit?: number;
  readonly now?: Date;
  /** Defaults: the outbox in TABLE_NAME, the channels of this environment, the shared logger. */
  readonly store?: OutboxStore;
  readonly channels?: ChannelSet;
  readonly logger?: Pick<typeof sharedLogger, 'info' | 'warn' | 'error' | 'debug'>;
  readonly claimMs?: number;
}

export interface SendPendingResult {
  readonly sent: number;
  /** Failed this time, to be tried again later. */
  readonly failed: number;
  /** Failed for good: status `failed`. */
  readonly givenUp: number;
}

/** Errors that no retry can cure. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof UndeliverableError ||
    error instanceof MissingTemplateParamError ||
    error instanceof InvalidTemplateParamError
  );
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Stored on the item and shown by /dev/outbox: a provider's message may quote the number.
  return redactText(text).slice(0, 500);
}

async function resolveAddress(store: OutboxStore, record: NotificationRecord): Promise<Address> {
  const { recipient } = record;
  // An `A:<sub>` queue is the applicant's own inbox: no staff subscription listens for it.
  const applicantSub =
    recipient.kind === 'applicant'
      ? recipient.sub
      : recipient.scope.startsWith('A:')
        ? recipient.scope.slice(2)
        : undefined;
  if (applicantSub === undefined && recipient.kind === 'queue') {
    return {
      kind: 'topic',
      role: recipient.role,
      scope: recipient.scope,
      ...(recipient.holder ? { holder: recipient.holder } : {}),
    };
  }
  const contact = await store.guardianContact(record.caseId);
  if (contact === undefined) {
    throw new UnreachableRecipientError(`Case ${record.caseId} does not exist`);
  }
  // The outbox names the applicant; texting a number from someone else's case would leak it.
  if (contact.applicantSub !== applicantSub) {
    throw new UnreachableRecipientError(`The recipient is not the applicant of ${record.caseId}`);
  }
  if (contact.phone === undefined) {
    throw new UnreachableRecipientError(`Case ${record.caseId} has no guardian phone`);
  }
  return { kind: 'sms', phone: contact.phone };
}

type Outcome = 'sent' | 'failed' | 'givenUp' | 'skipped';

/**
 * Delivers what waits in the outbox, oldest due first. Each item is claimed before it is sent
 * (pending → sending, with a lapsing claim), so overlapping runs never both send it; a run that
 * dies mid-send leaves a claim that lapses, and the item is tried again (at least once, never
 * silently lost). Failures are retried with a growing delay; after {@link maxAttempts} the item is
 * `failed`. Never scans: the pending index holds only what is in flight.
 */
export async function sendPending(options: SendPendingOptions = {}): Promise<SendPendingResult> {
  const now = options.now ?? clockNow();
  const limit = options.limit ?? 50;
  const claimMs = options.claimMs ?? defaultClaimMs;
  const log = options.logger ?? sharedLogger;
  const store = options.store ?? dynamoOutboxStore(documentClient, tableName());
  // Times written after a send read the clock again, unless the caller fixed the run's time.
  const timestamp = () => options.now ?? clockNow();

  async function fail(
    claimed: ClaimedNotification,
    error: unknown,
    attempts: number,
  ): Promise<Outcome> {
    const givingUp = attempts >= maxAttempts || isPermanent(error);
    const at = timestamp();
    const retryAt = new Date(at.getTime() + retryDelayMs(attempts)).toISOString();
    const recorded = await store.markFailed(claimed, {
      attempts,
      error: describeError(error),
      at: at.toISOString(),
      ...(givingUp ? {} : { retryAt }),
    });
    const context = {
      notificationId: claimed.record.notificationId,
      caseId: claimed.record.caseId,
      template: claimed.record.template,
      attempts,
      error,
    };
    if (!recorded) {
      log.warn('Notification claim lapsed before its failure was recorded', context);
      return 'skipped';
    }
    if (givingUp) {
      log.error('Notification given up', context);
      return 'givenUp';
    }
    log.warn('Notification failed; will retry', { ...context, retryAt });
    return 'failed';
  }

  async function handle(due: DueNotification, channels: ChannelSet): Promise<Outcome> {
    if (due.seen === undefined) {
      await store.discard(due.key, due.gsi4sk, 'Unreadable outbox item', now.toISOString());
      log.error('Unreadable outbox item removed from the pending index', { key: due.key });
      return 'givenUp';
    }
    const claimed = await store.claim(due.key, due.seen, {
      token: randomUUID(),
      until: new Date(now.getTime() + claimMs).toISOString(),
    });
    if (claimed === undefined) {
      log.debug('Notification taken by another run', { notificationId: due.seen.notificationId });
      return 'skipped';
    }
    const { record } = claimed;
    // A lapsed claim is a run that died mid-send; enough of those and the item is poison.
    if (record.attempts >= maxAttempts) {
      return fail(claimed, new Error('Claims lapsed without an outcome'), record.attempts);
    }

    let sent: { channel: string; messageId: string; sentTo: string };
    try {
      const rendered = renderNotification(record, 'zh-CN');
      const address = await resolveAddress(store, record);
      const channel = channelFor(address, channels);
      const { messageId } = await channel.send({
        notificationId: record.notificationId,
        template: record.template,
        caseId: record.caseId,
        address,
        subject: rendered.subject,
        text: rendered.text,
      });
      sent = { channel: channel.name, messageId, sentTo: describeAddress(address) };
    } catch (error) {
      return fail(claimed, error, record.attempts + 1);
    }

    const recorded = await store.markSent(claimed, {
      sentAt: timestamp().toISOString(),
      ...sent,
    });
    if (!recorded) {
      // Sent, but our claim lapsed and another run owns the item: it may send again. Rare
      // (a send slower than the claim), and at-least-once is the promise.
      log.warn('Notification sent after its claim lapsed', {
        notificationId: record.notificationId,
      });
    }
    log.info('Notification sent', {
      notificationId: record.notificationId,
      caseId: record.caseId,
      template: record.template,
      channel: sent.channel,
    });
    return 'sent';
  }

  const result = { sent: 0, failed: 0, givenUp: 0 };
  const dueItems = await store.due(now, limit);
  if (dueItems.length === 0) return result;
  // Built only when there is something to send: an idle minute needs no SNS client.
  const channels = options.channels ?? channelsFromEnvironment();
  // One at a time: a handful a minute is the expected load, and order is kept.
  for (const due of dueItems) {
    let outcome: Outcome;
    try {
      outcome = await handle(due, channels);
    } catch (error) {
      // A storage error on one item must not stop the others; its claim lapses and it returns.
      log.error('Notification could not be handled', { key: due.key, error });
      outcome = 'failed';
    }
    if (outcome !== 'skipped') result[outcome]++;
  }
  return result;
}
