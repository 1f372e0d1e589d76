/**
 * Key builders for the single table. The access patterns they serve are listed where the table
 * is defined (infra/stacks/data-stack.ts); keep the two in step.
 */
export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  /**
   * The form as submitted, apart from the record: written once, not with every change of the
   * record, and in no index. It sorts right after the record (and before ESCALATION#, EVENT#,
   * TASK#), so `begins_with(sk, caseRecordPrefix)` reads the two and nothing else.
   */
  caseForm: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE#FORM' }),
  caseRecordPrefix: 'CASE',
  /** Events sort by the case version they produced: the audit trail's order is the write order. */
  caseEvent: (caseId: string, version: number) => ({
    pk: `CASE#${caseId}`,
    sk: `EVENT#${String(version).padStart(8, '0')}`,
  }),
  caseEventPrefix: 'EVENT#',
  caseTask: (caseId: string, taskId: string) => ({ pk: `CASE#${caseId}`, sk: `TASK#${taskId}` }),
  caseTaskPrefix: 'TASK#',
  taskById: (taskId: string) => ({ gsi1pk: `TASK#${taskId}`, gsi1sk: 'TASK' }),
  applicantCases: (sub: string, createdAt: string, caseId: string) => ({
    gsi2pk: `APPLICANT#${sub}`,
    gsi2sk: `${createdAt}#${caseId}`,
  }),
  applicantCasesPartition: (sub: string) => `APPLICANT#${sub}`,
  districtCases: (district: string, status: string, createdAt: string, caseId: string) => ({
    gsi3pk: `DISTRICT#${district}`,
    gsi3sk: `${status}#${createdAt}#${caseId}`,
  }),
  districtCasesPartition: (district: string) => `DISTRICT#${district}`,
  providerCases: (providerId: string, createdAt: string, caseId: string) => ({
    gsi4pk: `PROVIDER#${providerId}`,
    gsi4sk: `${createdAt}#${caseId}`,
  }),
  providerCasesPartition: (providerId: string) => `PROVIDER#${providerId}`,
  /** A queue's inbox partition (gsi2) and its case-type narrowing (gsi3). */
  inboxPartition: (queue: string, status: string) => `INBOX#${queue}#${status}`,
  inboxByTypePartition: (queue: string, status: string, caseType: string) =>
    `INBOX#${queue}#${status}#${caseType}`,
  inboxSort: (dueAt: string, taskId: string) => `${dueAt}#${taskId}`,
  pendingDeliveryPartition: 'DELIVERY#PENDING',
  /** Undecided tasks by the time their next deadline (follow-up, due) passes (sparse, gsi4). */
  dueTasksPartition: 'DUE#TASKS',
  dueTaskSort: (at: string, taskId: string) => `${at}#${taskId}`,
  /** A task escalated to the supervisors: beside the task, in its case's partition. */
  escalation: (caseId: string, taskId: string) => ({
    pk: `CASE#${caseId}`,
    sk: `ESCALATION#${taskId}`,
  }),
  pendingOutboxPartition: 'OUTBOX#PENDING',
  /** Notifications are filed by the day they were written (UTC), in order. */
  notification: (createdAt: string, notificationId: string) => ({
    pk: `OUTBOX#${createdAt.slice(0, 10)}`,
    sk: `${createdAt}#${notificationId}`,
  }),
  notificationDayPartition: (day: string) => `OUTBOX#${day}`,
  document: (ref: string) => ({ pk: `DOC#${ref}`, sk: 'DOC' }),
} as const;

export const indexNames = { gsi1: 'gsi1', gsi2: 'gsi2', gsi3: 'gsi3', gsi4: 'gsi4' } as const;
