import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { logger } from '../logging/logger.ts';

/** A workflow step got input its state machine should never send: a definition bug, not a retry case. */
export class InvalidStepInputError extends Error {
  constructor(readonly issues: readonly { path: string; message: string }[]) {
    super(`Invalid step input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidStepInputError';
  }
}

/**
 * A Lambda called by a state machine: input validated by its schema, the case id as correlation
 * id in every log line. Errors propagate with their class name, which is what the state
 * machine's Retry and Catch match on.
 */
export function workflowHandler<Schema extends z.ZodType, Result>(
  schema: Schema,
  logic: (input: z.output<Schema>, context: Context) => Promise<Result>,
) {
  return middy<unknown, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const parsed = schema.safeParse(event);
      if (!parsed.success) {
        throw new InvalidStepInputError(
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      }
      const caseId = (parsed.data as { caseId?: unknown }).caseId;
      if (typeof caseId === 'string') logger.appendKeys({ caseId });
      return logic(parsed.data, context);
    });
}
