import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { now } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { keys } from '../db/keys.ts';
import {
  type Actor,
  type CaseEvent,
  type CaseRecord,
  type CaseStatus,
  type CaseType,
  caseEventSchema,
  caseRecordSchema,
} from './case-record.ts';

export class CaseNotFoundError extends Error {
  constructor(readonly caseId: string) {
    super(`Case ${caseId} does not exist`);
    this.name = 'CaseNotFoundError';
  }
}

/** The same case id was used for a different submission (another applicant or another form). */
export class CaseConflictError extends Error {
  constructor(readonly caseId: string) {
    super(`Case ${caseId} exists with different content`);
    this.name = 'CaseConflictError';
  }
}

/** The case is not in a state the requested change may start from. */
export class CaseTransitionError extends Error {
  constructor(
    readonly caseId: string,
    readonly from: CaseStatus,
    readonly to: CaseStatus,
  ) {
    super(`Case ${caseId} cannot go from ${from} to ${to}`);
    this.name = 'CaseTransitionError';
  }
}

export interface NewCase {
  readonly caseId: string;
  readonly caseType: CaseType;
  readonly applicantSub: string;
  readonly district?: string;
  readonly providerId?: string;
  readonly fingerprint: string;
  readonly form: Record<string, unknown>;
}

function isCancelledFor(error: unknown, code: string): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === code)
  );
}

const isConditionFailure = (error: unknown) => isCancelledFor(error, 'ConditionalCheckFailed');

/** Another transaction touched the same item at the same moment: DynamoDB cancels one of them. */
const isTransactionConflict = (error: unknown) => isCancelledFor(error, 'TransactionConflict');

const maxAttempts = 5;

/** Jittered pause before retrying a conflicting transaction (5–60 ms, growing per attempt). */
function backoff(attempt: number): Promise<void> {
  const ms = 10 * 2 ** Math.min(attempt, 2) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function eventItem(event: CaseEvent) {
  return { ...keys.caseEvent(event.caseId, event.version), entity: 'CaseEvent', ...event };
}

function caseIndexKeys(record: CaseRecord) {
  return {
    ...keys.applicantCases(record.applicantSub, record.createdAt, record.caseId),
    ...(record.district
      ? keys.districtCases(record.district, record.caseType, record.createdAt, record.caseId)
      : {}),
  };
}

export async function getCase(caseId: string): Promise<CaseRecord | undefined> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.case(caseId), ConsistentRead: true }),
  );
  return Item ? caseRecordSchema.parse(Item) : undefined;
}

/**
 * Creates the case and its first audit event in one transaction. Creating a case that already
 * exists with the same applicant and form is a retry: the stored case is returned unchanged.
 */
export async function createCase(
  input: NewCase,
  actor: Actor,
): Promise<{ record: CaseRecord; created: boolean }> {
  const at = now().toISOString();
  const record: CaseRecord = {
    ...input,
    status: 'submitted',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const event: CaseEvent = {
    caseId: record.caseId,
    version: 1,
    at,
    type: 'case.submitted',
    actor,
    toStatus: 'submitted',
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(),
                Item: {
                  ...keys.case(record.caseId),
                  entity: 'Case',
                  ...caseIndexKeys(record),
                  ...record,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: tableName(), Item: eventItem(event) } },
          ],
        }),
      );
      return { record, created: true };
    } catch (error) {
      // A concurrent duplicate may be writing the same case: try again, and find it written.
      if (isTransactionConflict(error) && attempt < maxAttempts) {
        await backoff(attempt);
        continue;
      }
      if (!isConditionFailure(error)) throw error;
      const existing = await getCase(record.caseId);
      if (
        !existing ||
        existing.applicantSub !== record.applicantSub ||
        existing.fingerprint !== record.fingerprint
      ) {
        throw new CaseConflictError(record.caseId);
      }
      return { record: existing, created: false };
    }
  }
}

export interface Transition {
  readonly to: CaseStatus;
  /** States the change may start from. */
  readonly from: readonly CaseStatus[];
  readonly type: string;
  readonly actor: Actor;
  readonly data?: Record<string, unknown>;
}

/**
 * Moves a case to a new status and appends the audit event, atomically, guarded by the version it
 * read: a concurrent change makes this one re-read and re-check. Repeating a transition that
 * already happened (a workflow retry) changes nothing and returns the case as it is.
 */
export async function transitionCase(caseId: string, transition: Transition): Promise<CaseRecord> {
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const current = await getCase(caseId);
    if (!current) throw new CaseNotFoundError(caseId);
    if (current.status === transition.to) return current;
    if (!transition.from.includes(current.status)) {
      throw new CaseTransitionError(caseId, current.status, transition.to);
    }
    const at = now().toISOString();
    const version = current.version + 1;
    const event: CaseEvent = {
      caseId,
      version,
      at,
      type: transition.type,
      actor: transition.actor,
      fromStatus: current.status,
      toStatus: transition.to,
      ...(transition.data ? { data: transition.data } : {}),
    };
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.case(caseId),
                UpdateExpression: 'SET #status = :to, updatedAt = :at, version = :next',
                ConditionExpression: 'version = :expected',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':to': transition.to,
                  ':at': at,
                  ':next': version,
                  ':expected': current.version,
                },
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: eventItem(event),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return { ...current, status: transition.to, updatedAt: at, version };
    } catch (error) {
      // Someone else changed the case first (or is changing it): re-read and re-check.
      if (!isConditionFailure(error) && !isTransactionConflict(error)) throw error;
      await backoff(attempt);
    }
  }
  throw new Error(`Case ${caseId} kept changing under a transition; giving up`);
}

/** The case's audit trail, oldest first. */
export async function listCaseEvents(caseId: string): Promise<CaseEvent[]> {
  const events: CaseEvent[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':prefix': keys.caseEventPrefix },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) events.push(caseEventSchema.parse(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return events;
}
