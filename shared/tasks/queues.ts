import type { Principal } from '../auth/principal.ts';
import { type Role, staffRoles } from '../auth/roles.ts';
import { districtSchema } from '../validation/district.ts';
import type { TaskRecord } from './task-record.ts';

/** The districts a city-level principal stands for, besides `city` itself. */
const huzhouDistricts: readonly string[] = districtSchema.options;

/**
 * The scope that narrows a role to the people who may act: the district for staff, the provider
 * for provider staff, the applicant for the family's own tasks.
 */
export function scopeOf(
  task: Pick<TaskRecord, 'role' | 'district' | 'providerId' | 'applicantSub'>,
) {
  if (task.role === 'provider') return `P:${task.providerId ?? '-'}`;
  if (task.role === 'citizen') return `A:${task.applicantSub ?? '-'}`;
  return `D:${task.district ?? 'city'}`;
}

/** A task's queue: who may pick it up (`caseworker#D:anji`). */
export function queueOf(
  task: Pick<TaskRecord, 'role' | 'district' | 'providerId' | 'applicantSub'>,
) {
  return `${task.role}#${scopeOf(task)}`;
}

/** Every queue a principal works from, through every role it holds. */
export function queuesOf(principal: Principal): string[] {
  const queues: string[] = [];
  for (const role of principal.roles) {
    if (role === 'citizen') queues.push(`citizen#A:${principal.sub}`);
    else if (role === 'provider' && principal.providerId)
      queues.push(`provider#P:${principal.providerId}`);
    else if (staffRoles.includes(role) && principal.district) {
      const districts =
        principal.district === 'city' ? ['city', ...huzhouDistricts] : [principal.district];
      for (const district of districts) queues.push(`${role}#D:${district}`);
    }
  }
  return queues;
}

/** Whether the principal may claim and decide the task: its role, in its scope. */
export function canAct(principal: Principal, task: TaskRecord): boolean {
  return queuesOf(principal).includes(queueOf(task));
}

/**
 * Supervisors watch over their district's staff tasks (city supervisors over all): they may
 * reassign or release a task someone else holds.
 */
export function canSupervise(principal: Principal, task: TaskRecord): boolean {
  if (!principal.roles.includes('supervisor') || !principal.district) return false;
  if (!staffRoles.includes(task.role as Role)) return false;
  return principal.district === 'city' || principal.district === task.district;
}

/**
 * Supervisors oversee every task of their district that can be escalated to them (city
 * supervisors, all): staff tasks and providers' tasks, not a family's own. They may read these;
 * reassigning stays with {@link canSupervise}.
 */
export function canOversee(principal: Principal, task: TaskRecord): boolean {
  if (!principal.roles.includes('supervisor') || !principal.district) return false;
  if (task.role === 'citizen') return false;
  return principal.district === 'city' || principal.district === task.district;
}

/** Whether the principal may see the task at all (act on it or oversee it). */
export function canSeeTask(principal: Principal, task: TaskRecord): boolean {
  return (
    canAct(principal, task) || canOversee(principal, task) || principal.roles.includes('admin')
  );
}
