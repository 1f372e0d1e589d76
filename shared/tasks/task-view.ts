import { maskForm } from '../privacy/mask-form.ts';
import type { TaskRecord } from './task-record.ts';

/** A task as the API shows it: everything but the task token. */
export function taskView(task: TaskRecord) {
  return {
    taskId: task.taskId,
    caseId: task.caseId,
    caseType: task.caseType,
    taskType: task.taskType,
    role: task.role,
    district: task.district,
    providerId: task.providerId,
    status: task.status,
    dueAt: task.dueAt,
    followUpAt: task.followUpAt,
    createdAt: task.createdAt,
    claimedBy: task.claimedBy,
    claimedAt: task.claimedAt,
    scheduledFor: task.scheduledFor,
    summary: task.summary,
    note: task.note,
    // A decision may carry a form's parts (an amended filing's staff): masked like the form.
    decision: task.decision ? (maskForm(task.decision) as typeof task.decision) : undefined,
    delivery: task.delivery,
    remindedAt: task.remindedAt,
    overdue: task.overdueAt !== undefined,
    overdueAt: task.overdueAt,
    escalated: task.escalatedAt !== undefined,
    escalatedAt: task.escalatedAt,
  };
}

/** One line of an inbox. */
export function inboxItem(task: TaskRecord) {
  return {
    taskId: task.taskId,
    caseId: task.caseId,
    caseType: task.caseType,
    taskType: task.taskType,
    role: task.role,
    district: task.district,
    status: task.status,
    dueAt: task.dueAt,
    createdAt: task.createdAt,
    claimedBy: task.claimedBy,
    summary: task.summary,
    overdue: task.overdueAt !== undefined,
    escalated: task.escalatedAt !== undefined,
  };
}
