import * as z from 'zod';
import { roles } from '../../shared/auth/roles.ts';
import { MalformedJsonError } from '../../shared/errors/http-errors.ts';
import { validate } from '../../shared/errors/validate.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import type { ApiEvent } from '../../shared/http/types.ts';
import { claimTask } from '../../shared/tasks/task-actions.ts';
import { taskView } from '../../shared/tasks/task-view.ts';

/** What a claim may say: the day an inspection will take place. */
const claimBodySchema = z.object({ scheduledFor: z.iso.date().optional() }).strict();

/** Most claims carry no body at all; one that does must be a valid claim body. */
function claimBody(event: ApiEvent): z.output<typeof claimBodySchema> {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
    : (event.body ?? '');
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw new MalformedJsonError({ cause });
  }
  return validate(claimBodySchema, parsed);
}

/**
 * POST /v1/tasks/{taskId}/claim — take a task from the queue; 409 if someone else holds it. An
 * on-site inspection is claimed with its date: `{"scheduledFor": "YYYY-MM-DD"}`.
 */
export const handler = apiHandler({ name: 'ClaimTask', roles }, async ({ principal, event }) =>
  jsonResponse(
    200,
    taskView(await claimTask(principal, event.pathParameters?.taskId ?? '', claimBody(event))),
  ),
);
