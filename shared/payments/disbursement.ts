import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { now as clockNow } from '../clock/index.ts';
import { indexNames } from '../db/keys.ts';
import { ConflictError, ServiceBusyError } from '../errors/http-errors.ts';
import { batchIdFor, paymentKeys } from './payment-keys.ts';
import type { Documents } from './payment-list.ts';
import { type BatchRecord, type BatchStatus, batchRecordSchema } from './payment-record.ts';

/** Another call is disbursing this month and district right now; retrying later will tell. */
export class DisbursementInProgressError extends ConflictError {
  constructor() {
    super('DISBURSEMENT_IN_PROGRESS', {
      'zh-CN': '该月该区县的补助正在发放中，请稍后查询结果',
      en: 'This month and district are being disbursed; check again shortly',
    });
  }
}

export interface DisbursementRequest {
  readonly month: string;
  readonly district: string;
  /** Who asked (the principal's sub), kept on the batch. */
  readonly startedBy: string;
  /**
   * How long this call may hold the batch. Use at least the invocation's remaining time: a
   * holder must be dead, not slow, before another call resumes its work.
   */
  readonly leaseMs: number;
}

export interface DisbursementResult {
  readonly batchId: string;
  /** True when an earlier call had already finished the batch: this one changed nothing. */
  readonly alreadyDisbursed: boolean;
  /** Payments the batch moved to `disbursed`, over all the calls that worked on it. */
  readonly count: number;
}

export interface DisbursementOptions {
  readonly now?: () => Date;
  /** Payments moved per transaction (plus the batch item, which counts them). At most 99. */
  readonly chunkSize?: number;
}

const inProgress: BatchStatus = 'in-progress';
const done: BatchStatus = 'disbursed';
const pendingPrefix = paymentKeys.statusPrefix('pending-disbursement');
const disbursedPrefix = paymentKeys.statusPrefix('disbursed');
/** Passes over the pending payments; each after the first only catches the index's stragglers. */
const maxPasses = 10;
const maxConflictRetries = 8;

function reasonCodes(error: unknown): (string | undefined)[] {
  return error instanceof TransactionCanceledException
    ? (error.CancellationReasons ?? []).map((reason) => reason.Code)
    : [];
}

const isConflict = (error: unknown) =>
  error instanceof TransactionConflictException ||
  reasonCodes(error).includes('TransactionConflict');

/** Jittered pause before retrying a conflicting write (5–80 ms, growing per attempt). */
function backoff(attempt: number): Promise<void> {
  const ms = 10 * 2 ** Math.min(attempt, 3) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface PendingPayment {
  readonly pk: string;
  readonly sk: string;
  readonly gsi3sk: string;
}

/**
 * Disburses the payments of a month and district exactly once.
 *
 * The batch item (`PAYBATCH#<month>#<district>`) is created with a condition, so one call wins
 * and holds it under a lease. The holder moves the pending payments to `disbursed` in
 * transactions that also count them on the batch, guarded by its lease token: a payment moves
 * only while pending, the count can never drift from the payments moved, and a holder whose
 * lease was taken over can write nothing more. It then marks the batch `disbursed`.
 *
 * Others meanwhile get DisbursementInProgressError (409), or, once done, the finished batch. A
 * holder that died halfway leaves the batch `in-progress`; the first call after its lease lapsed
 * takes the batch over and finishes the work.
 */
export async function disburse(
  documents: Documents,
  tableName: string,
  request: DisbursementRequest,
  options: DisbursementOptions = {},
): Promise<DisbursementResult> {
  const now = options.now ?? clockNow;
  const chunkSize = Math.min(Math.max(options.chunkSize ?? 25, 1), 99);
  const { month, district } = request;
  const batchKey = paymentKeys.batch(month, district);
  const batchId = batchIdFor(month, district);
  const partition = paymentKeys.monthlyPaymentsPartition(month, district);
  const token = randomUUID();

  async function readBatch(): Promise<BatchRecord | undefined> {
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: batchKey, ConsistentRead: true }),
    );
    return Item ? batchRecordSchema.parse(Item) : undefined;
  }

  /** Creates or takes over the batch; returns it finished if there is nothing left to do. */
  async function acquire(): Promise<BatchRecord | undefined> {
    for (let attempt = 0; attempt < maxConflictRetries; attempt++) {
      const at = now();
      const leaseUntil = new Date(at.getTime() + request.leaseMs).toISOString();
      try {
        const batch: BatchRecord = {
          batchId,
          month,
          district,
          status: inProgress,
          startedAt: at.toISOString(),
          startedBy: request.startedBy,
          count: 0,
          leaseToken: token,
          leaseUntil,
        };
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...batchKey, entity: 'PaymentBatch', ...batch },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return undefined;
      } catch (error) {
        if (isConflict(error)) {
          await backoff(attempt);
          continue;
        }
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const existing = await readBatch();
      if (!existing) continue;
      if (existing.status === done) return existing;
      if (existing.leaseUntil !== undefined && existing.leaseUntil > at.toISOString()) {
        throw new DisbursementInProgressError();
      }
      // The holder's lease lapsed: it died. Take over, unless another call just did.
      try {
        await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: batchKey,
            UpdateExpression: 'SET leaseToken = :token, leaseUntil = :until, resumedAt = :at',
            ConditionExpression:
              existing.leaseToken === undefined
                ? '#status = :inProgress AND attribute_not_exists(leaseToken)'
                : '#status = :inProgress AND leaseToken = :seen',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':token': token,
              ':until': leaseUntil,
              ':at': at.toISOString(),
              ':inProgress': inProgress,
              ...(existing.leaseToken === undefined ? {} : { ':seen': existing.leaseToken }),
            },
          }),
        );
        return undefined;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException) && !isConflict(error)) throw error;
        await backoff(attempt);
      }
    }
    throw new DisbursementInProgressError();
  }

  /** Moves the chunk's payments that are still pending; returns how many it moved. */
  async function move(chunk: readonly PendingPayment[]): Promise<number> {
    let remaining = [...chunk];
    // Each failed condition drops one payment, so the loop ends; conflicts get a few retries.
    for (let attempt = 0, conflicts = 0; remaining.length > 0; attempt++) {
      const at = now().toISOString();
      try {
        await documents.send(
          new TransactWriteCommand({
            TransactItems: [
              ...remaining.map((payment) => ({
                Update: {
                  TableName: tableName,
                  Key: { pk: payment.pk, sk: payment.sk },
                  UpdateExpression:
                    'SET #status = :disbursed, disbursedAt = :at, batchId = :batchId, gsi3sk = :sk',
                  ConditionExpression: '#status = :pending',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':disbursed': 'disbursed',
                    ':pending': 'pending-disbursement',
                    ':at': at,
                    ':batchId': batchId,
                    ':sk': `${disbursedPrefix}${payment.gsi3sk.slice(pendingPrefix.length)}`,
                  },
                },
              })),
              {
                Update: {
                  TableName: tableName,
                  Key: batchKey,
                  UpdateExpression: 'SET updatedAt = :at ADD #count :n',
                  ConditionExpression: '#status = :inProgress AND leaseToken = :token',
                  ExpressionAttributeNames: { '#status': 'status', '#count': 'count' },
                  ExpressionAttributeValues: {
                    ':at': at,
                    ':n': remaining.length,
                    ':inProgress': inProgress,
                    ':token': token,
                  },
                },
              },
            ],
          }),
        );
        return remaining.length;
      } catch (error) {
        const codes = reasonCodes(error);
        if (codes[remaining.length] === 'ConditionalCheckFailed') {
          // The lease was taken over: whoever holds it now finishes the batch.
          throw new DisbursementInProgressError();
        }
        const failed = new Set(
          codes.flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index] : [])),
        );
        if (failed.size > 0) {
          // No longer pending (the index lags behind the table): moved already, by this batch.
          remaining = remaining.filter((_, index) => !failed.has(index));
          continue;
        }
        if (!isConflict(error) || conflicts >= maxConflictRetries) {
          if (isConflict(error)) throw new ServiceBusyError();
          throw error;
        }
        conflicts++;
        await backoff(attempt);
      }
    }
    return 0;
  }

  /** One pass over the pending payments as the index shows them; returns how many it moved. */
  async function pass(): Promise<number> {
    let moved = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexNames.gsi3,
          KeyConditionExpression: 'gsi3pk = :pk AND begins_with(gsi3sk, :pending)',
          ExpressionAttributeValues: { ':pk': partition, ':pending': pendingPrefix },
          ProjectionExpression: 'pk, sk, gsi3sk',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const pending = (page.Items ?? []).map((item) => ({
        pk: String(item.pk),
        sk: String(item.sk),
        gsi3sk: String(item.gsi3sk),
      }));
      for (let index = 0; index < pending.length; index += chunkSize) {
        moved += await move(pending.slice(index, index + chunkSize));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return moved;
  }

  async function complete(): Promise<DisbursementResult> {
    try {
      const { Attributes } = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: batchKey,
          UpdateExpression: 'SET #status = :done, completedAt = :at REMOVE leaseToken, leaseUntil',
          ConditionExpression: '#status = :inProgress AND leaseToken = :token',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':done': done,
            ':at': now().toISOString(),
            ':inProgress': inProgress,
            ':token': token,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const batch = batchRecordSchema.parse(Attributes);
      return { batchId: batch.batchId, alreadyDisbursed: false, count: batch.count };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new DisbursementInProgressError();
      throw error;
    }
  }

  const finished = await acquire();
  if (finished) {
    return { batchId: finished.batchId, alreadyDisbursed: true, count: finished.count };
  }
  // A pass after one that moved payments catches those that reached the index meanwhile; a pass
  // that moves none (stale index entries only) ends the work.
  for (let round = 0; round < maxPasses; round++) {
    if ((await pass()) === 0) break;
  }
  return complete();
}
