import * as z from 'zod';
import { changeCase } from '../../shared/cases/case-store.ts';
import { logger } from '../../shared/observability/index.ts';
import { amendFiling, registrationFormOf } from '../../shared/registration/registration-case.ts';
import { registrationChangesSchema } from '../../shared/registration/registration-form.ts';
import { getTaskOfCase } from '../../shared/tasks/task-store.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** The provider's answer to the findings: its task; the data itself is read from the table. */
  decision: z.object({ taskId: z.string().min(1) }).loose(),
});

/** The amendment's data never travels through the workflow (it may hold ID numbers). */
const amendmentSchema = z
  .object({ changes: z.unknown().optional(), message: z.string().optional() })
  .loose();

/** The task's decision as stored; a task that is not there is a definition or timing bug. */
class AmendmentNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(`No decided amendment task ${taskId}`);
    this.name = 'AmendmentNotFoundError';
  }
}

/**
 * Applies the provider's corrections to the filing (whole parts replaced; the organisation's
 * identity cannot change), with an audit event naming the parts, before the check runs again.
 * The decision was validated when it was made; it is parsed again because the form is the truth.
 */
export const handler = workflowHandler(inputSchema, async ({ caseId, decision }) => {
  const stored = await getTaskOfCase(caseId, decision.taskId);
  if (!stored?.task.decision) throw new AmendmentNotFoundError(decision.taskId);
  const data = amendmentSchema.parse(stored.task.decision.data ?? {});
  const parsed =
    data.changes === undefined ? undefined : registrationChangesSchema.parse(data.changes);
  const message = data.message;
  let changedParts: string[] = [];
  await changeCase(caseId, (current) => {
    // A retry of this step (its function timed out after writing) applies nothing twice.
    if (current.amendedBy === decision.taskId) return undefined;
    const before = registrationFormOf(current);
    const after = amendFiling(before.form, before.filing, parsed);
    changedParts = after.changedParts;
    const district = after.form.organisation.district;
    return {
      type: 'case.amended',
      actor: { kind: 'system', component: 'workflow' },
      taskId: decision.taskId,
      ...(message ? { note: message } : {}),
      data: { changedParts },
      // A provider that moved to another district is reviewed by that district's staff.
      set: {
        form: { ...after.form, filing: after.filing },
        amendedBy: decision.taskId,
        ...(district !== current.district ? { district } : {}),
      },
    };
  });
  logger.info('Filing amended', { changedParts });
  return { caseId };
});
