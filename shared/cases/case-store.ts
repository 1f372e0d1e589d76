import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { now } from '../clock/index.ts';
import { documentClient, tableName } from '../db/client.ts';
import { keys } from '../db/keys.ts';
import { ServiceBusyError } from '../errors/http-errors.ts';
import { countCaseEnded } from '../observability/business-metrics.ts';
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

export interface NewCase {
  readonly caseId: string;
  readonly caseType: CaseType;
  readonly applicantSub: string;
  readonly district?: string;
  readonly providerId?: string;
  readonly fingerprint: string;
  readonly form: Record<string, unknown>;
  readonly workflow?: CaseRecord['workflow'];
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
      ? keys.districtCases(record.district, record.status, record.createdAt, record.caseId)
      : {}),
    ...(record.providerId
      ? keys.providerCases(record.providerId, record.createdAt, record.caseId)
      : {}),
  };
}

/**
 * The form's own item: in no index, so that no listing carries it. `version` is the case version
 * that wrote it, which the record names as its `formVersion`.
 */
function formItem(caseId: string, form: Record<string, unknown>, version: number) {
  return { ...keys.caseForm(caseId), entity: 'CaseForm', caseId, version, form };
}

/** Reads of a record and a form caught in the middle of a change, before giving up. */
const formReadAttempts = 3;

/**
 * The case with its form: one query reads the record and the form's item beside it (two items of
 * at most 400 KB each: always one page). A record stored before the form had an item of its own
 * still carries the form, and reads as it is.
 */
export async function getCase(caseId: string): Promise<CaseRecord | undefined> {
  for (let attempt = 1; attempt <= formReadAttempts; attempt++) {
    const { Items = [] } = await documentClient.send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': keys.case(caseId).pk,
          ':prefix': keys.caseRecordPrefix,
        },
        ConsistentRead: true,
      }),
    );
    const record = Items.find((item) => item.sk === keys.case(caseId).sk);
    if (!record) return undefined;
    const form = Items.find((item) => item.sk === keys.caseForm(caseId).sk);
    if (!form) return caseRecordSchema.parse(record);
    // A query reads each item as last committed, not the two as one transaction left them: an
    // amendment committing meanwhile can pair the new record with the old form. Read again.
    if (record.formVersion === undefined || record.formVersion === form.version) {
      return caseRecordSchema.parse({ ...record, form: form.form });
    }
  }
  throw new ServiceBusyError();
}

/**
 * Creates the case and its first audit event in one transaction. Creating a case that already
 * exists with the same applicant and form is a retry: the stored case is returned unchanged.
 */
export async function createCase(
  input: NewCase,
  actor: Actor,
  /** Writes that must succeed with the case (claim locks), each with its own condition. */
  items: readonly TransactItem[] = [],
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
  const { form, ...stored } = record;
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
                  ...stored,
                  formVersion: record.version,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: tableName(), Item: eventItem(event) } },
            ...items,
            // Last, so that the caller's writes keep their indexes (ChangeRefusedError.itemIndex).
            {
              Put: {
                TableName: tableName(),
                Item: formItem(record.caseId, form, record.version),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
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
      const failed = cancellationIndexes(error, 'ConditionalCheckFailed');
      const refused = failed.find((index) => index >= 2 && index < 2 + items.length);
      // Not a retry of this case (it does not exist yet) but one of its own writes was refused.
      if (!failed.includes(0) && refused !== undefined) {
        throw new ChangeRefusedError(record.caseId, refused - 2);
      }
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

/** What one change does to a case: its audit event, maybe a new status, maybe other writes. */
export interface CaseChange {
  readonly type: string;
  readonly actor: Actor;
  readonly status?: CaseStatus;
  readonly taskId?: string;
  readonly note?: string;
  readonly data?: Record<string, unknown>;
  /** More attributes to set on the case (a `form` replaces the form's own item). */
  readonly set?: Readonly<Record<string, unknown>>;
  /**
   * Writes that must happen in the same transaction (a task's update, an outbox entry), each
   * with its own condition. A failed condition among them aborts the change with
   * ChangeRefusedError naming which one.
   */
  readonly items?: readonly TransactItem[];
}

/** One of a change's own writes had its condition fail: the change did not happen. */
export class ChangeRefusedError extends Error {
  constructor(
    readonly caseId: string,
    /** Index into CaseChange.items. */
    readonly itemIndex: number,
  ) {
    super(`A condition of the change to case ${caseId} failed (item ${itemIndex})`);
    this.name = 'ChangeRefusedError';
  }
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function cancellationIndexes(error: unknown, code: string): number[] {
  if (!(error instanceof TransactionCanceledException)) return [];
  return (error.CancellationReasons ?? []).flatMap((reason, index) =>
    reason.Code === code ? [index] : [],
  );
}

/**
 * Applies a change to a case and appends its audit event in one transaction, guarded by the
 * version it read: when someone else changed the case in between, it re-reads and asks `decide`
 * again. `decide` returns undefined when there is nothing (more) to do — which is how repeated
 * workflow steps stay harmless. Returns the case as the change left it.
 */
export async function changeCase(
  caseId: string,
  decide: (current: CaseRecord) => CaseChange | undefined,
): Promise<CaseRecord> {
  for (let attempt = 0; attempt < maxAttempts * 2; attempt++) {
    const current = await getCase(caseId);
    if (!current) throw new CaseNotFoundError(caseId);
    const change = decide(current);
    if (!change) return current;
    const at = now().toISOString();
    const version = current.version + 1;
    const status = change.status ?? current.status;
    const setDistrict = change.set?.district;
    const district = typeof setDistrict === 'string' ? setDistrict : current.district;
    const event: CaseEvent = {
      caseId,
      version,
      at,
      type: change.type,
      actor: change.actor,
      ...(change.status && change.status !== current.status
        ? { fromStatus: current.status, toStatus: change.status }
        : {}),
      ...(change.taskId ? { taskId: change.taskId } : {}),
      ...(change.note ? { note: change.note } : {}),
      ...(change.data ? { data: change.data } : {}),
    };
    // The form is not in the record: a new one replaces its item, in the same transaction.
    const { form: newForm, ...set } = change.set ?? {};
    const form = newForm === undefined ? undefined : caseRecordSchema.shape.form.parse(newForm);
    const sets: Record<string, unknown> = {
      ...set,
      status,
      updatedAt: at,
      version,
      ...(form !== undefined ? { formVersion: version } : {}),
      // The district listing sorts by status: it moves with the status (and the district, once known).
      ...(district ? keys.districtCases(district, status, current.createdAt, caseId) : {}),
    };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': current.version };
    const assignments = Object.entries(sets).map(([name, value], index) => {
      names[`#a${index}`] = name;
      values[`:a${index}`] = value;
      return `#a${index} = :a${index}`;
    });
    // A record stored before the form had an item of its own drops its copy once it is replaced.
    if (form !== undefined) names['#form'] = 'form';
    const remove = form !== undefined ? ' REMOVE #form' : '';
    const items = change.items ?? [];
    try {
      await documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName(),
                Key: keys.case(caseId),
                UpdateExpression: `SET ${assignments.join(', ')}${remove}`,
                ConditionExpression: 'version = :expected',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: tableName(),
                Item: eventItem(event),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...items,
            // Last, so that the change's own writes keep their indexes; the version guards it.
            ...(form !== undefined
              ? [{ Put: { TableName: tableName(), Item: formItem(caseId, form, version) } }]
              : []),
          ],
        }),
      );
      // Counted here, where every change of every case passes, once it is written.
      if (status !== current.status) countCaseEnded(current.caseType, district, status);
      return { ...current, ...(change.set as Partial<CaseRecord>), status, updatedAt: at, version };
    } catch (error) {
      const failed = cancellationIndexes(error, 'ConditionalCheckFailed');
      const caseMoved = failed.some((index) => index < 2);
      const refused = failed.find((index) => index >= 2 && index < 2 + items.length);
      // Only a refusal judged against the case as read is final; if the case moved, decide again.
      if (!caseMoved && refused !== undefined) throw new ChangeRefusedError(caseId, refused - 2);
      // The case moved on under us (version) or another transaction was on it: re-read, re-decide.
      if (!isConditionFailure(error) && !isTransactionConflict(error)) throw error;
      await backoff(attempt);
    }
  }
  throw new ServiceBusyError();
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
