import * as z from 'zod';
import { roles } from '../../shared/auth/roles.ts';
import { caseTypeSchema } from '../../shared/cases/case-record.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { listEscalated } from '../../shared/tasks/escalations.ts';
import { listInbox } from '../../shared/tasks/inbox.ts';
import { queuesOf } from '../../shared/tasks/queues.ts';
import { inboxItem } from '../../shared/tasks/task-view.ts';

const querySchema = z
  .object({
    /** `escalated`: the overdue tasks a supervisor oversees (督办), not a queue of their own. */
    status: z.enum(['open', 'claimed', 'done', 'escalated']).default('open'),
    caseType: caseTypeSchema.optional(),
    cursor: z.string().max(4096).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** GET /v1/tasks — the caller's inbox: tasks of every queue it works from, soonest due first. */
export const handler = apiHandler(
  { name: 'ListTasks', roles, query: querySchema },
  async ({ principal, query }) => {
    if (query.status === 'escalated') {
      // A supervisor oversees their district (a city supervisor, all); an admin, the whole city.
      const district =
        principal.roles.includes('supervisor') && principal.district
          ? principal.district
          : principal.roles.includes('admin')
            ? 'city'
            : undefined;
      if (district === undefined) throw new ForbiddenError();
      const escalated = await listEscalated(district, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return jsonResponse(200, {
        items: escalated.items.map((task) => ({ ...inboxItem(task), escalated: true })),
        ...(escalated.cursor ? { cursor: escalated.cursor } : {}),
      });
    }
    const page = await listInbox({
      queues: queuesOf(principal),
      status: query.status,
      limit: query.limit,
      ...(query.caseType ? { caseType: query.caseType } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return jsonResponse(200, {
      items: page.items.map(inboxItem),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
