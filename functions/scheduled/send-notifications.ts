import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../../shared/logging/logger.ts';
import { type SendPendingResult, sendPending } from '../../shared/notifications/sender.ts';

/**
 * SendNotifications (every minute, see jobs.ts): delivers what waits in the outbox. The event
 * carries nothing the job needs; a failure of one notification is recorded on it, so the job
 * itself fails only when the outbox or the channels cannot be reached at all.
 */
export const handler = middy<unknown, SendPendingResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const result = await sendPending();
    if (result.sent + result.failed + result.givenUp > 0) {
      logger.info('Outbox run finished', { ...result });
    }
    return result;
  });
