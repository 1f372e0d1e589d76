import type { TaskRecord } from '../tasks/task-record.ts';
import { taskView } from '../tasks/task-view.ts';
import { maskIdNumber } from '../validation/id-number.ts';
import { maskMobile } from '../validation/phone.ts';
import type { CaseEvent, CaseRecord } from './case-record.ts';

/** Masks 身份证 and phone numbers wherever they sit in a form: views never need them whole. */
export function maskForm(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (/idnumber$/i.test(key)) return maskIdNumber(value);
    if (/(phone|mobile)$/i.test(key)) return maskMobile(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => maskForm(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskForm(v, k)]));
  }
  return value;
}

/** A case in a list: no form, no history. */
export function caseListItem(record: CaseRecord) {
  return {
    caseId: record.caseId,
    caseType: record.caseType,
    status: record.status,
    district: record.district,
    providerId: record.providerId,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * What GET /v1/cases/{caseId} shows: the case, its form masked, the open tasks (its current
 * step) and the timeline — every event with its actor, time and note, newest last.
 */
export function caseView(
  record: CaseRecord,
  events: readonly CaseEvent[],
  tasks: readonly TaskRecord[],
) {
  const open = tasks.filter((task) => task.status === 'open' || task.status === 'claimed');
  return {
    ...caseListItem(record),
    currentStep: open.map((task) => task.taskType),
    openTasks: open.map(taskView),
    form: maskForm(record.form),
    timeline: events.map((event) => ({
      at: event.at,
      type: event.type,
      actor:
        event.actor.kind === 'person'
          ? { kind: 'person', sub: event.actor.sub, roles: event.actor.roles }
          : event.actor,
      ...(event.fromStatus ? { fromStatus: event.fromStatus } : {}),
      ...(event.toStatus ? { toStatus: event.toStatus } : {}),
      ...(event.taskId ? { taskId: event.taskId } : {}),
      ...(event.note ? { note: event.note } : {}),
      ...(event.data ? { data: event.data } : {}),
    })),
  };
}
