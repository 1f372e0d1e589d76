import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../../shared/observability/index.ts';
import {
  type RenewalReminderResult,
  remindRegistrationRenewals,
} from '../../shared/providers/renewal-reminders.ts';

/**
 * RemindRegistrationRenewals (09:00 daily, Asia/Shanghai; see jobs.ts): tells each registered
 * provider, and its district's caseworkers, 60 and then 30 days before its registration
 * (托育机构备案) ends. The event carries nothing the job needs: what is due is read from the
 * table. A failed run is retried by the schedule; a reminder already sent is not sent again.
 */
export const handler = middy<unknown, RenewalReminderResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event, context) => {
    const result = await remindRegistrationRenewals({
      remainingMs: () => context.getRemainingTimeInMillis(),
    });
    logger.info('Renewal reminders finished', { ...result });
    return result;
  });
