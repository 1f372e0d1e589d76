import * as z from 'zod';
import { documentClient, tableName } from '../../shared/db/client.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { monthSchema } from '../../shared/forms/fields.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { disburse } from '../../shared/payments/disbursement.ts';
import { districtSchema } from '../../shared/validation/district.ts';

const bodySchema = z.object({ month: monthSchema, district: districtSchema }).strict();

/** Beyond the invocation's end: a holder's lease lapses only once it cannot still be running. */
const leaseMarginMs = 5_000;
const fallbackRemainingMs = 30_000;

/**
 * POST /v1/payments/disburse — marks a month's payments of a district disbursed, exactly once.
 * No Idempotency-Key: the batch, one per month and district, already makes a repeat harmless.
 */
export const handler = apiHandler(
  { name: 'DisbursePayments', roles: ['finance'], body: bodySchema },
  async ({ principal, body, context }) => {
    if (principal.district !== 'city' && principal.district !== body.district) {
      throw new ForbiddenError();
    }
    const remaining =
      typeof context.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis()
        : fallbackRemainingMs;
    const result = await disburse(documentClient, tableName(), {
      month: body.month,
      district: body.district,
      startedBy: principal.sub,
      leaseMs: Math.max(remaining, 0) + leaseMarginMs,
    });
    return jsonResponse(200, result);
  },
);
