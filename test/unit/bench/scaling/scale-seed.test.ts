import { describe, expect, it } from 'vitest';
import { scaleBatchItems, scaleDistricts } from '../../../../bench/scaling/scale-seed.ts';
import { caseRecordSchema, caseSummarySchema } from '../../../../shared/cases/case-record.ts';
import { taskRecordSchema } from '../../../../shared/tasks/task-record.ts';

const now = new Date('2026-12-03T02:00:00.000Z');

describe('scaleBatchItems', () => {
  it('stores a case in review, its form and its open task per item, spread over the district queues', () => {
    // Prepare / Act
    const items = scaleBatchItems({ from: 100, to: 160, now, dueTasks: 5 });

    // Assess
    const cases = items.filter((item) => item.sk === 'CASE');
    const tasks = items.filter((item) => String(item.sk).startsWith('TASK#'));
    expect(cases).toHaveLength(60);
    expect(tasks).toHaveLength(60);
    for (const item of cases) expect(caseSummarySchema.parse(item).status).toBe('in-review');
    // Each case readable as getCase reads it: the record and its form item, of one version.
    const forms = new Map(
      items.filter((item) => item.sk === 'CASE#FORM').map((item) => [item.pk, item]),
    );
    for (const item of cases) {
      const form = forms.get(item.pk);
      expect(form?.version).toBe(item.formVersion);
      expect(caseRecordSchema.parse({ ...item, form: form?.form }).caseId).toBe(item.caseId);
      expect(Object.keys(form ?? {}).some((name) => name.startsWith('gsi'))).toBe(false);
    }
    for (const item of tasks) expect(taskRecordSchema.parse(item).status).toBe('open');
    const queues = new Set(tasks.map((task) => task.gsi2pk));
    expect(queues.size).toBe(scaleDistricts.length);
    expect(new Set(tasks.map((task) => task.taskId)).size).toBe(60);
  });

  it('makes only the batch’s first tasks due at the run’s time, and not again after a reminder', () => {
    // Prepare / Act
    const tasks = scaleBatchItems({ from: 1000, to: 1100, now, dueTasks: 20 })
      .filter((item) => String(item.sk).startsWith('TASK#'))
      .map((item) => taskRecordSchema.parse(item));

    // Assess
    const due = tasks.filter((task) => task.followUpAt <= now.toISOString());
    expect(due).toHaveLength(20);
    expect(due.every((task) => task.dueAt > now.toISOString())).toBe(true);
    expect(due.map((task) => task.caseId)).toEqual(tasks.slice(0, 20).map((task) => task.caseId));
  });
});
