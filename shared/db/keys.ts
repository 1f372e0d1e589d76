/**
 * Key builders for the single table. The access patterns they serve are listed where the table
 * is defined (infra/stacks/data-stack.ts); keep the two in step.
 */
export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  /** Events sort by the case version they produced: the audit trail's order is the write order. */
  caseEvent: (caseId: string, version: number) => ({
    pk: `CASE#${caseId}`,
    sk: `EVENT#${String(version).padStart(8, '0')}`,
  }),
  caseEventPrefix: 'EVENT#',
  caseTask: (caseId: string, taskId: string) => ({ pk: `CASE#${caseId}`, sk: `TASK#${taskId}` }),
  taskById: (taskId: string) => ({ gsi1pk: `TASK#${taskId}`, gsi1sk: 'TASK' }),
  applicantCases: (sub: string, createdAt: string, caseId: string) => ({
    gsi2pk: `APPLICANT#${sub}`,
    gsi2sk: `${createdAt}#${caseId}`,
  }),
  districtCases: (district: string, caseType: string, createdAt: string, caseId: string) => ({
    gsi3pk: `DISTRICT#${district}#${caseType}`,
    gsi3sk: `${createdAt}#${caseId}`,
  }),
} as const;
