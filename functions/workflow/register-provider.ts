import * as z from 'zod';
import { changeCase, getCase } from '../../shared/cases/case-store.ts';
import { now } from '../../shared/clock/index.ts';
import { tableName } from '../../shared/db/client.ts';
import { outboxPut } from '../../shared/notifications/outbox.ts';
import { logger } from '../../shared/observability/index.ts';
import {
  getProvider,
  type ProviderRecord,
  providerWriteItems,
} from '../../shared/providers/index.ts';
import { providerProfileOf } from '../../shared/registration/provider-profile.ts';
import { registrationFormOf } from '../../shared/registration/registration-case.ts';
import { releaseRegistrationLockItems } from '../../shared/registration/registration-locks.ts';
import { registrationValidityYears } from '../../shared/registration/registration-validity.ts';
import { shanghaiDate } from '../../shared/subsidy/policy/shanghai-calendar.ts';
import { workflowHandler } from '../../shared/workflows/workflow-handler.ts';

const inputSchema = z.object({
  caseId: z.string().min(1),
  /** The city's confirmation (its reason, if any, goes on the approval). */
  confirmation: z.object({ reason: z.string().optional() }).loose().optional(),
});

/** The last day of a registration that starts on `from` and runs `years` years. */
export function registrationEnd(from: string, years: number): string {
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // Day 0 of the start day in the final year is the day before it: 2026-11-28 → 2029-11-27.
  return new Date(Date.UTC(year + years, month - 1, day - 1)).toISOString().slice(0, 10);
}

/**
 * The city confirmed: the case is approved and the provider enters (or, for a change, is updated
 * in) the public registry with its capacity by class type, 普惠 flag, fees and staff figures — one
 * transaction with the provider's own audit event, the release of the filing lock and the
 * provider's notification. A change keeps the registration's dates; a new registration runs for
 * the configured number of years from today.
 */
export const handler = workflowHandler(inputSchema, async ({ caseId, confirmation }) => {
  const at = now();
  const before = await getCase(caseId);
  const providerId = before?.providerId;
  if (!before || !providerId) throw new Error(`Case ${caseId} names no provider`);
  const existing = await getProvider(providerId);
  const record = await changeCase(caseId, (current) => {
    if (current.status !== 'in-review') return undefined;
    const { form, filing } = registrationFormOf(current);
    const profile = providerProfileOf(form);
    const today = shanghaiDate(at);
    const keepsDates = filing.kind === 'change' && existing !== undefined;
    const version = (existing?.version ?? 0) + 1;
    const provider: ProviderRecord = {
      providerId,
      name: form.organisation.name,
      uscc: form.organisation.uscc,
      district: form.organisation.district,
      address: form.organisation.address,
      inclusive: form.inclusive,
      monthlyFeeYuan: form.monthlyFeeYuan,
      // A change leaves a suspension in place; only the supervisor lifts it.
      status: keepsDates ? existing.status : 'registered',
      capacity: profile.capacity,
      capacityByClass: profile.capacityByClass,
      staffSummary: {
        staffCount: profile.staffCount,
        caregiverCount: profile.caregiverCount,
        certifiedCaregiverCount: profile.certifiedCaregiverCount,
        certificationRate: profile.certificationRate,
      },
      registeredFrom: keepsDates ? existing.registeredFrom : today,
      registeredUntil: keepsDates
        ? existing.registeredUntil
        : registrationEnd(today, registrationValidityYears()),
      registeredAt: keepsDates ? (existing.registeredAt ?? at.toISOString()) : at.toISOString(),
      // A change keeps the dates, so also which renewal reminder was already sent for them.
      ...(keepsDates && existing.renewalRemindedFor
        ? { renewalRemindedFor: existing.renewalRemindedFor }
        : {}),
      registrationCaseId: caseId,
      version,
    };
    const reason = confirmation?.reason;
    return {
      type: 'case.approved',
      actor: { kind: 'system', component: 'workflow' },
      status: 'approved',
      ...(reason ? { note: reason } : {}),
      data: { providerId, filing: filing.kind, capacity: profile.capacity },
      items: [
        ...providerWriteItems(
          provider,
          {
            providerId,
            version,
            at: at.toISOString(),
            type: filing.kind === 'change' ? 'provider.changed' : 'provider.registered',
            actor: { kind: 'system', component: 'workflow' },
            ...(!keepsDates ? { toStatus: 'registered' as const } : {}),
            ...(!keepsDates && existing ? { fromStatus: existing.status } : {}),
            data: {
              caseId,
              ...(filing.changedParts ? { changedParts: filing.changedParts } : {}),
            },
          },
          existing?.version,
        ),
        ...releaseRegistrationLockItems(current),
        outboxPut(
          {
            template: 'case-approved',
            recipient: { kind: 'applicant', sub: current.applicantSub },
            caseId,
            params: { caseType: current.caseType },
          },
          at,
          tableName(),
        ),
      ],
    };
  });
  logger.info('Provider registered', { providerId, status: record.status });
  return { caseId, providerId, status: record.status };
});
