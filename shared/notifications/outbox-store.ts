import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { indexNames, keys } from '../db/keys.ts';
import {
  type NotificationRecord,
  type NotificationStatus,
  notificationRecordSchema,
} from './notification.ts';

/** The table key of an outbox item. */
export interface OutboxKey {
  readonly pk: string;
  readonly sk: string;
}

/** An item of the pending index as the query saw it (possibly stale: the index is eventual). */
export type DueNotification =
  | { readonly key: OutboxKey; readonly seen: NotificationRecord & { gsi4sk: string } }
  /** An item that does not parse: nothing can send it, but it must not clog the index. */
  | { readonly key: OutboxKey; readonly seen: undefined; readonly gsi4sk: string };

export interface Claim {
  readonly token: string;
  /** ISO time the claim lapses; a later run may then take the item over. */
  readonly until: string;
}

/** An item this run holds: only the holder of `token` may record its outcome. */
export interface ClaimedNotification {
  readonly key: OutboxKey;
  readonly token: string;
  /** The item as claimed (read back from the table, so current, not the index's copy). */
  readonly record: NotificationRecord;
}

export interface SentReceipt {
  readonly sentAt: string;
  readonly channel: string;
  readonly messageId: string;
  /** The address, masked. */
  readonly sentTo: string;
}

export interface FailedAttempt {
  readonly attempts: number;
  readonly error: string;
  readonly at: string;
  /** When to try again; absent: give up (status `failed`, out of the pending index). */
  readonly retryAt?: string;
}

export interface GuardianContact {
  readonly applicantSub: string | undefined;
  readonly phone: string | undefined;
}

/** What the sender needs from storage; the DynamoDB implementation is {@link dynamoOutboxStore}. */
export interface OutboxStore {
  /** Items of the pending index whose next attempt is due at `now`, soonest due first. */
  due(now: Date, limit: number): Promise<DueNotification[]>;
  /**
   * Takes the item if it is still as `seen` (same status, same place in the index). Returns the
   * claim, or undefined if another run got there first. Taking over a lapsed claim
   * counts the lapsed attempt: a message that kills its sender must not be retried forever.
   */
  claim(
    key: OutboxKey,
    seen: Pick<NotificationRecord, 'status' | 'notificationId'> & { gsi4sk: string },
    claim: Claim,
  ): Promise<ClaimedNotification | undefined>;
  /** Records the delivery; false if the claim was lost meanwhile (recorded by whoever holds it). */
  markSent(claimed: ClaimedNotification, receipt: SentReceipt): Promise<boolean>;
  markFailed(claimed: ClaimedNotification, failure: FailedAttempt): Promise<boolean>;
  /** Takes an unreadable item out of the pending index for good. */
  discard(key: OutboxKey, seenGsi4sk: string, reason: string, at: string): Promise<boolean>;
  /** Who filed the case and the guardian's phone from its form; undefined if there is no case. */
  guardianContact(caseId: string): Promise<GuardianContact | undefined>;
}

/** The pending index orders items by when they are next due: `<due time>#<notificationId>`. */
export const pendingSortKey = (dueAt: string, notificationId: string) =>
  `${dueAt}#${notificationId}`;

// Every attribute the updates touch goes through a name placeholder: `status` is a reserved
// word, and so may others be; one map keeps the expressions readable.
const names = {
  '#status': 'status',
  '#attempts': 'attempts',
  '#claimToken': 'claimToken',
  '#claimedUntil': 'claimedUntil',
  '#notBefore': 'notBefore',
  '#gsi4pk': 'gsi4pk',
  '#gsi4sk': 'gsi4sk',
  '#sentAt': 'sentAt',
  '#channel': 'channel',
  '#messageId': 'messageId',
  '#sentTo': 'sentTo',
  '#lastError': 'lastError',
  '#failedAt': 'failedAt',
} as const;

type Name = keyof typeof names;

/** Only the placeholders an expression uses: DynamoDB rejects unused ones. */
function namesIn(...expressions: string[]): Partial<Record<Name, string>> {
  const text = expressions.join(' ');
  return Object.fromEntries(
    Object.entries(names).filter(([placeholder]) =>
      new RegExp(`${placeholder}(?![A-Za-z0-9_])`).test(text),
    ),
  );
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

// Typed constants: a misspelt status would otherwise be a silent no-match.
const sending: NotificationStatus = 'sending';
const failed: NotificationStatus = 'failed';

const heldBy = '#status = :sending AND #claimToken = :token';

export function dynamoOutboxStore(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
): OutboxStore {
  /** An update guarded by a condition; false when the condition failed. */
  async function update(
    key: OutboxKey,
    updateExpression: string,
    conditionExpression: string,
    values: Record<string, unknown>,
  ): Promise<Record<string, unknown> | false> {
    try {
      const output = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: key.pk, sk: key.sk },
          UpdateExpression: updateExpression,
          ConditionExpression: conditionExpression,
          ExpressionAttributeNames: namesIn(updateExpression, conditionExpression),
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return output.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async due(now, limit) {
      // `<now>~` sorts after every `<now>#<id>` and before any later time: due means ≤ now.
      const output = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexNames.gsi4,
          KeyConditionExpression: '#gsi4pk = :pending AND #gsi4sk < :bound',
          ExpressionAttributeNames: { '#gsi4pk': 'gsi4pk', '#gsi4sk': 'gsi4sk' },
          ExpressionAttributeValues: {
            ':pending': keys.pendingOutboxPartition,
            ':bound': `${now.toISOString()}~`,
          },
          ScanIndexForward: true,
          Limit: limit,
        }),
      );
      return (output.Items ?? []).map((item): DueNotification => {
        const key = { pk: String(item.pk), sk: String(item.sk) };
        const gsi4sk = String(item.gsi4sk);
        const parsed = notificationRecordSchema.safeParse(item);
        return parsed.success
          ? { key, seen: { ...parsed.data, gsi4sk } }
          : { key, seen: undefined, gsi4sk };
      });
    },

    async claim(key, seen, claim) {
      const lapsed = seen.status === 'sending' ? 1 : 0;
      const updateExpression =
        'SET #status = :sending, #claimToken = :token, #claimedUntil = :until, #gsi4sk = :claimedSk, #attempts = #attempts + :lapsed';
      const condition = '#status = :seenStatus AND #gsi4sk = :seenSk';
      const item = await update(key, updateExpression, condition, {
        ':sending': sending,
        ':token': claim.token,
        ':until': claim.until,
        ':claimedSk': pendingSortKey(claim.until, seen.notificationId),
        ':lapsed': lapsed,
        ':seenStatus': seen.status,
        ':seenSk': seen.gsi4sk,
      });
      if (item === false) return undefined;
      return { key, token: claim.token, record: notificationRecordSchema.parse(item) };
    },

    async markSent({ key, token }, receipt) {
      const updateExpression =
        'SET #status = :sent, #sentAt = :sentAt, #channel = :channel, #messageId = :messageId, #sentTo = :sentTo REMOVE #gsi4pk, #gsi4sk, #claimToken, #claimedUntil, #notBefore';
      const item = await update(key, updateExpression, heldBy, {
        ':sent': 'sent',
        ':sending': sending,
        ':token': token,
        ':sentAt': receipt.sentAt,
        ':channel': receipt.channel,
        ':messageId': receipt.messageId,
        ':sentTo': receipt.sentTo,
      });
      return item !== false;
    },

    async markFailed({ key, token, record }, failure) {
      const common = { ':sending': sending, ':token': token };
      const item =
        failure.retryAt === undefined
          ? await update(
              key,
              'SET #status = :failed, #attempts = :attempts, #lastError = :error, #failedAt = :at REMOVE #gsi4pk, #gsi4sk, #claimToken, #claimedUntil, #notBefore',
              heldBy,
              {
                ...common,
                ':failed': failed,
                ':attempts': failure.attempts,
                ':error': failure.error,
                ':at': failure.at,
              },
            )
          : await update(
              key,
              'SET #status = :pending, #attempts = :attempts, #lastError = :error, #notBefore = :retryAt, #gsi4sk = :retrySk REMOVE #claimToken, #claimedUntil',
              heldBy,
              {
                ...common,
                ':pending': 'pending',
                ':attempts': failure.attempts,
                ':error': failure.error,
                ':retryAt': failure.retryAt,
                ':retrySk': pendingSortKey(failure.retryAt, record.notificationId),
              },
            );
      return item !== false;
    },

    async discard(key, seenGsi4sk, reason, at) {
      const item = await update(
        key,
        'SET #status = :failed, #lastError = :error, #failedAt = :at REMOVE #gsi4pk, #gsi4sk, #claimToken, #claimedUntil, #notBefore',
        '#gsi4sk = :seenSk',
        { ':failed': failed, ':error': reason, ':at': at, ':seenSk': seenGsi4sk },
      );
      return item !== false;
    },

    async guardianContact(caseId) {
      // Only the attributes needed: the rest of the form is personal data this job has no
      // business reading. A family's case reaches its guardian; a provider's filing reaches the
      // organisation's legal representative. One query reads the record (the applicant) and the
      // form's own item beside it (a record stored before that has the form in it).
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ProjectionExpression:
            '#sk, #applicantSub, #form.#guardian.#phone, #form.#organisation.#legalRepresentative.#phone',
          ExpressionAttributeNames: {
            '#pk': 'pk',
            '#sk': 'sk',
            '#applicantSub': 'applicantSub',
            '#form': 'form',
            '#guardian': 'guardian',
            '#organisation': 'organisation',
            '#legalRepresentative': 'legalRepresentative',
            '#phone': 'phone',
          },
          ExpressionAttributeValues: {
            ':pk': keys.case(caseId).pk,
            ':prefix': keys.caseRecordPrefix,
          },
        }),
      );
      const record = Items.find((item) => item.sk === keys.case(caseId).sk);
      if (record === undefined) return undefined;
      const stored = Items.find((item) => item.sk === keys.caseForm(caseId).sk) ?? record;
      const form = stored.form as
        | {
            guardian?: { phone?: unknown };
            organisation?: { legalRepresentative?: { phone?: unknown } };
          }
        | undefined;
      const phone = form?.guardian?.phone ?? form?.organisation?.legalRepresentative?.phone;
      return {
        applicantSub: typeof record.applicantSub === 'string' ? record.applicantSub : undefined,
        phone: typeof phone === 'string' ? phone : undefined,
      };
    },
  };
}
