import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj } from '@middy/core';
import { dynamoDbClient } from '../db/client.ts';
import { IdempotencyKeyRequiredError } from '../errors/http-errors.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

const keyPattern = /^[\x21-\x7e]{1,128}$/;
const claimedKey = 'shanyu.idempotency.claimed';

/** A creating POST must name its attempt, so that a retry replays instead of creating twice. */
export function requireIdempotencyKey(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      const key = request.event.headers?.['idempotency-key'];
      if (key === undefined || !keyPattern.test(key)) throw new IdempotencyKeyRequiredError();
    },
  };
}

export interface IdempotentOptions {
  /** Distinguishes functions that share the table. */
  readonly name: string;
  readonly tableName?: string;
  /** How long a key replays its first response. */
  readonly expiresAfterSeconds?: number;
}

/**
 * Powertools Idempotency on the one table. The key is the caller plus their Idempotency-Key, so
 * two callers can never collide; the fingerprint is the parsed body, so the same key with another
 * body is refused (422) while re-serialised whitespace is not.
 */
export function idempotent(
  options: IdempotentOptions,
): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName ?? process.env.TABLE_NAME ?? '',
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: `IDEMPOTENCY#${options.name}`,
    expiryAttr: 'expiresAt',
    inProgressExpiryAttr: 'inProgressExpiresAt',
    // The function's own client: one connection pool, and its reads and writes traced too.
    awsSdkV3Client: dynamoDbClient,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]',
    payloadValidationJmesPath: 'powertools_json(body)',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: options.expiresAfterSeconds ?? 24 * 60 * 60,
  });
  const inner = makeHandlerIdempotent({
    persistenceStore,
    config,
    keyPrefix: options.name,
  }) as MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext>;
  return {
    before: async (request) => {
      const replay = await inner.before?.(request);
      // No early response and no error: this request now holds the record (IN_PROGRESS).
      if (replay === undefined) (request.internal as Record<string, unknown>)[claimedKey] = true;
      return replay;
    },
    after: inner.after,
    onError: async (request) => {
      // Powertools 2.35 deletes the record on any error, even one its own `before` raised for a
      // duplicate (409) or a reused key (422): that would drop the first request's lock or its
      // stored response. Only the request that took the record may release it.
      if ((request.internal as Record<string, unknown>)[claimedKey] === true) {
        await inner.onError?.(request);
      }
    },
  };
}
