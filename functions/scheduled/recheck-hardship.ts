import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { now } from '../../shared/clock/index.ts';
import { monthSchema } from '../../shared/forms/fields.ts';
import { logger } from '../../shared/observability/index.ts';
import { registriesFromEnvironment } from '../../shared/registries/index.ts';
import {
  type RecheckResult,
  recheckHardship,
  recheckMonthAt,
} from '../../shared/waivers/hardship-recheck.ts';

const registries = registriesFromEnvironment();

/** What the schedule sends (`{"job": …}`); a manual run (POST /dev/jobs/…) may name the month. */
const inputSchema = z.object({
  job: z.string().optional(),
  month: monthSchema.optional(),
});

/**
 * RecheckHardship (02:00 on the 25th, Asia/Shanghai; see jobs.ts): re-checks next month's active
 * tuition waivers against the civil-affairs registry and stops those whose hardship status no
 * longer holds, from that month on.
 */
export const handler = middy<unknown, RecheckResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event, context) => {
    const input = inputSchema.parse(event ?? {});
    const month = input.month ?? recheckMonthAt(now());
    const result = await recheckHardship({
      month,
      registries,
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    logger.info('Hardship re-check finished', { ...result });
    return result;
  });
