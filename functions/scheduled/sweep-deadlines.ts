import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { countTasksOverdue } from '../../shared/observability/business-metrics.ts';
import { logger } from '../../shared/observability/index.ts';
import {
  DeadlineSweepIncompleteError,
  type SweepResult,
  sweepDeadlines,
} from '../../shared/tasks/deadline-sweep.ts';

/**
 * DeadlineSweeper (every 15 minutes, see jobs.ts): reminders at follow-up, escalation of overdue
 * staff and provider tasks, expiry of the applicant's own overdue tasks. The event carries nothing
 * the run needs: what is due is read from the due index on the run's clock.
 */
export const handler = middy<unknown, SweepResult, Error, Context>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event, context) => {
    try {
      const result = await sweepDeadlines({
        remainingMs: () => context.getRemainingTimeInMillis(),
      });
      countTasksOverdue(result);
      if (result.due > 0) logger.info('Deadline sweep finished', { ...result });
      return result;
    } catch (error) {
      // What was handled before the failures still counts.
      if (error instanceof DeadlineSweepIncompleteError) countTasksOverdue(error.result);
      throw error;
    }
  });
