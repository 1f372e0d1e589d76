import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { logger } from '../../shared/observability/index.ts';
import { redeliverDecisions } from '../../shared/tasks/redeliver.ts';

/** What the schedule sends (`{"job": …}`); a manual run may shorten the grace period. */
const inputSchema = z.object({
  job: z.string().optional(),
  graceSeconds: z.number().int().min(0).max(3600).optional(),
});

/** The DeliverDecisions job (every 5 minutes): re-delivers decisions their workflow lacks. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const input = inputSchema.parse(event ?? {});
    return redeliverDecisions(
      input.graceSeconds === undefined ? {} : { graceSeconds: input.graceSeconds },
    );
  });
