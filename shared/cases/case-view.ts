import { maskForm } from '../privacy/mask-form.ts';
import type { TaskRecord } from '../tasks/task-record.ts';
import { taskView } from '../tasks/task-view.ts';
import type { CaseEvent, CaseRecord, CaseSummary } from './case-record.ts';

export { maskForm } from '../privacy/mask-form.ts';

/** A case in a list: no form, no history. */
export function caseListItem(record: CaseSummary) {
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
