import { z } from 'zod';
import { changeCase } from '../../shared/cases/case-store.ts';
import { logger } from '../../shared/observability/index.ts';
import { amendFiling, registrationFormOf } from '../../shared/registration/registration-case.ts';
import { registrationChangesSchema } from '../../shared/registration/registration-form.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** The provider's answer to the findings (decision form `amend-registration`). */
  decision: z
    .object({
      taskId: z.string().optional(),
      data: z
        .object({ changes: z.unknown().optional(), message: z.string().optional() })
        .loose()
        .optional(),
    })
    .loose(),
});

/**
 * Applies the provider's corrections to the filing (whole parts replaced; the organisation's
 * identity cannot change), with an audit event naming the parts, before the check runs again.
 * The decision was validated when it was made; it is parsed again because the form is the truth.
 */
export const handler = workflowHandler(inputSchema, async ({ caseId, decision }) => {
  const parsed =
    decision.data?.changes === undefined
      ? undefined
      : registrationChangesSchema.parse(decision.data.changes);
  const message = decision.data?.message;
  let changedParts: string[] = [];
  await changeCase(caseId, (current) => {
    const before = registrationFormOf(current);
    const after = amendFiling(before.form, before.filing, parsed);
    changedParts = after.changedParts;
    const district = after.form.organisation.district;
    return {
      type: 'case.amended',
      actor: { kind: 'system', component: 'workflow' },
      ...(decision.taskId ? { taskId: decision.taskId } : {}),
      ...(message ? { note: message } : {}),
      data: { changedParts },
      // A provider that moved to another district is reviewed by that district's staff.
      set: {
        form: { ...after.form, filing: after.filing },
        ...(district !== current.district ? { district } : {}),
      },
    };
  });
  logger.info('Filing amended', { changedParts });
  return { caseId };
});
