import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { documentClient } from '../../../shared/db/client.ts';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import {
  periodInstants,
  readStaffTasksDue,
  type SlaTask,
  slaFigures,
  slaPeriod,
  slaStats,
} from '../../../shared/stats/sla.ts';
import { decidedAt, staffTask, taskItem } from './fixtures.ts';
import { TaskIndexTable } from './task-index-table.ts';

function refusal(act: () => unknown): ValidationError {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('slaPeriod', () => {
  it.each([
    ['a day', '2026-03-01', '2026-03-01'],
    ['a month', '2026-03-01', '2026-03-31'],
    ['a leap year, 366 days', '2024-01-01', '2024-12-31'],
    ['366 days across a new year', '2025-03-01', '2026-03-01'],
  ])('accepts %s', (_, from, to) => {
    // Act
    const period = slaPeriod(from, to);

    // Assess
    expect(period).toEqual({ from, to });
  });

  it.each([
    ['a day that does not exist', '2026-02-29', '2026-03-01', ['query.from']],
    ['a month 13', '2026-03-01', '2026-13-01', ['query.to']],
    ['a month without its leading zero', '2026-3-01', '2026-03-31', ['query.from']],
    ['a time besides the date', '2026-03-01T00:00', '2026-03-31', ['query.from']],
    ['two bad dates', 'yesterday', '', ['query.from', 'query.to']],
  ])('refuses %s with DATE_INVALID', (_, from, to, paths) => {
    // Act
    const error = refusal(() => slaPeriod(from, to));

    // Assess
    expect(error.details.map((detail) => detail.path)).toEqual(paths);
    expect(error.details.every((detail) => detail.code === 'DATE_INVALID')).toBe(true);
    expect(error.details[0]?.message['zh-CN']).toContain('YYYY-MM-DD');
    expect(error.details[0]?.message.en).toContain('YYYY-MM-DD');
  });

  it('refuses a period that ends before it starts', () => {
    // Act
    const error = refusal(() => slaPeriod('2026-03-02', '2026-03-01'));

    // Assess
    expect(error.details).toEqual([
      expect.objectContaining({ path: 'query.to', code: 'PERIOD_REVERSED' }),
    ]);
  });

  it.each([
    ['367 days', '2024-01-01', '2025-01-01'],
    ['two years', '2025-01-01', '2026-12-31'],
  ])('refuses %s as too long', (_, from, to) => {
    // Act
    const error = refusal(() => slaPeriod(from, to));

    // Assess
    expect(error.details).toEqual([
      expect.objectContaining({ path: 'query.to', code: 'PERIOD_TOO_LONG' }),
    ]);
    expect(error.details[0]?.message['zh-CN']).toContain('366');
  });
});

describe('periodInstants', () => {
  it('runs from midnight of the first day to midnight after the last, Huzhou time', () => {
    // Act
    const instants = periodInstants({ from: '2026-03-01', to: '2026-03-31' });

    // Assess
    expect(instants.startsAt.toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(instants.endsBefore.toISOString()).toBe('2026-03-31T16:00:00.000Z');
  });
});

describe('slaFigures', () => {
  const now = new Date('2026-03-20T02:00:00.000Z');
  const due = '2026-03-10T09:30:00.000Z';

  const task = (taskId: string, fields: Partial<SlaTask>): SlaTask => ({
    taskId,
    taskType: 'district-review',
    status: 'open',
    createdAt: '2026-03-03T02:00:00.000Z',
    dueAt: due,
    ...fields,
  });

  it('sorts each task into exactly one figure', () => {
    // Prepare
    const tasks = [
      task('on-time', { status: 'done', decision: { decidedAt: '2026-03-09T02:00:00.000Z' } }),
      task('at-the-minute', { status: 'done', decision: { decidedAt: due } }),
      task('late', { status: 'done', decision: { decidedAt: '2026-03-10T09:30:00.001Z' } }),
      task('expired', { status: 'expired' }),
      task('expired-late', { status: 'expired', closedAt: '2026-03-11T01:00:00.000Z' }),
      task('expired-early', { status: 'expired', closedAt: '2026-03-05T01:00:00.000Z' }),
      task('waiting-past-due', { status: 'claimed' }),
      task('not-yet-due', { status: 'open', dueAt: '2026-03-25T09:30:00.000Z' }),
      task('due-right-now', { status: 'claimed', dueAt: now.toISOString() }),
      task('withdrawn', { status: 'cancelled' }),
    ];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures.total).toMatchObject({
      due: 8,
      decidedOnTime: 2,
      overdue: 4,
      open: 2,
      cancelled: 1,
      closedEarly: 1,
    });
  });

  it.each([
    ['after its due time', '2026-03-10T09:30:00.001Z', { due: 1, overdue: 1, closedEarly: 0 }],
    ['at its due time', due, { due: 0, overdue: 0, closedEarly: 1 }],
    ['before its due time', '2026-03-08T01:00:00.000Z', { due: 0, overdue: 0, closedEarly: 1 }],
    [
      'at no recorded time (before closings were recorded)',
      undefined,
      { due: 1, overdue: 1, closedEarly: 0 },
    ],
    ['at an unreadable time', 'last week', { due: 1, overdue: 1, closedEarly: 0 }],
  ])('counts a task expired with its case %s accordingly', (_, closedAt, expected) => {
    // Prepare
    const tasks = [task('expired', { status: 'expired', ...(closedAt ? { closedAt } : {}) })];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures.total).toEqual({
      decidedOnTime: 0,
      open: 0,
      cancelled: 0,
      medianWorkingDaysToDecide: null,
      ...expected,
    });
  });

  it('counts a withdrawn task as cancelled, closed before or after its due time', () => {
    // Prepare
    const tasks = [
      task('withdrawn-early', { status: 'cancelled', closedAt: '2026-03-08T01:00:00.000Z' }),
      task('withdrawn-late', { status: 'cancelled', closedAt: '2026-03-12T01:00:00.000Z' }),
    ];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures.total).toMatchObject({ due: 0, overdue: 0, cancelled: 2, closedEarly: 0 });
  });

  it('counts a done task without a decision as overdue, and leaves it out of the median', () => {
    // Prepare
    const tasks = [task('odd', { status: 'done' })];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures.total).toEqual({
      due: 1,
      decidedOnTime: 0,
      overdue: 1,
      open: 0,
      cancelled: 0,
      closedEarly: 0,
      medianWorkingDaysToDecide: null,
    });
  });

  it('takes the median of working days on the State Council calendar', () => {
    // Prepare
    const tasks = [
      // Fri 02-13 → Tue 02-24 2026: 02-14 (调休 Saturday) and 02-24 count, 春节 02-15..23 not.
      task('spring-festival', {
        status: 'done',
        createdAt: '2026-02-13T02:00:00.000Z',
        decision: { decidedAt: '2026-02-24T03:00:00.000Z' },
      }),
      // Same day: 0.
      task('same-day', {
        status: 'done',
        createdAt: '2026-03-02T01:00:00.000Z',
        decision: { decidedAt: '2026-03-02T08:00:00.000Z' },
      }),
      // Created Fri 03-06 01:00 in Huzhou (still Thursday in UTC), decided Mon 03-09: 1.
      task('weekend', {
        status: 'done',
        createdAt: '2026-03-05T17:00:00.000Z',
        decision: { decidedAt: '2026-03-09T01:00:00.000Z' },
      }),
    ];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures.total.medianWorkingDaysToDecide).toBe(1);
  });

  it('averages the middle two of an even count, and has no median with nothing decided', () => {
    // Prepare
    const decided = [
      task('zero', {
        taskType: 'city-confirmation',
        status: 'done',
        createdAt: '2026-03-02T01:00:00.000Z',
        decision: { decidedAt: '2026-03-02T08:00:00.000Z' },
      }),
      task('one', {
        taskType: 'city-confirmation',
        status: 'done',
        createdAt: '2026-03-02T01:00:00.000Z',
        decision: { decidedAt: '2026-03-03T08:00:00.000Z' },
      }),
    ];
    const undecided = [task('waiting', { taskType: 'amend-registration', status: 'expired' })];

    // Act
    const figures = slaFigures([...decided, ...undecided], now);

    // Assess
    expect(figures.byTaskType.map((row) => [row.taskType, row.medianWorkingDaysToDecide])).toEqual([
      ['amend-registration', null],
      ['city-confirmation', 0.5],
    ]);
  });

  it('gives one row per task type, sorted by name, and totals over all', () => {
    // Prepare
    const tasks = [
      task('a', { taskType: 'fire-review', status: 'expired' }),
      task('b', { taskType: 'district-review', status: 'cancelled' }),
      task('c', { taskType: 'fire-review', status: 'done', decision: { decidedAt: due } }),
      task('d', { taskType: 'confirm-enrollment', status: 'open', dueAt: '2026-04-01T09:30:00Z' }),
    ];

    // Act
    const figures = slaFigures(tasks, now);

    // Assess
    expect(figures).toEqual({
      byTaskType: [
        {
          taskType: 'confirm-enrollment',
          due: 1,
          decidedOnTime: 0,
          overdue: 0,
          open: 1,
          cancelled: 0,
          closedEarly: 0,
          medianWorkingDaysToDecide: null,
        },
        {
          taskType: 'district-review',
          due: 0,
          decidedOnTime: 0,
          overdue: 0,
          open: 0,
          cancelled: 1,
          closedEarly: 0,
          medianWorkingDaysToDecide: null,
        },
        {
          taskType: 'fire-review',
          due: 2,
          decidedOnTime: 1,
          overdue: 1,
          open: 0,
          cancelled: 0,
          closedEarly: 0,
          // Created Tue 03-03, decided Tue 03-10: five working days.
          medianWorkingDaysToDecide: 5,
        },
      ],
      total: {
        due: 3,
        decidedOnTime: 1,
        overdue: 1,
        open: 1,
        cancelled: 1,
        closedEarly: 0,
        medianWorkingDaysToDecide: 5,
      },
    });
  });

  it('has nothing to show for no tasks', () => {
    // Act
    const figures = slaFigures([], now);

    // Assess
    expect(figures).toEqual({
      byTaskType: [],
      total: {
        due: 0,
        decidedOnTime: 0,
        overdue: 0,
        open: 0,
        cancelled: 0,
        closedEarly: 0,
        medianWorkingDaysToDecide: null,
      },
    });
  });
});

describe('readStaffTasksDue', () => {
  let table: TaskIndexTable;
  const march = { from: '2026-03-01', to: '2026-03-31' };

  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 't');
    table = new TaskIndexTable();
    vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('queries the inbox index of every staff role and status of the district, and nothing else', async () => {
    // Act
    await readStaffTasksDue('wuxing', march);

    // Assess
    const roles = ['caseworker', 'supervisor', 'civil-affairs', 'fire', 'market', 'finance'];
    const statuses = ['open', 'claimed', 'done', 'expired', 'cancelled'];
    const expected = roles.flatMap((role) =>
      statuses.map((status) => `INBOX#${role}#D:wuxing#${status}`),
    );
    const asked = table.queries.map(
      (query) => (query.ExpressionAttributeValues as Record<string, string>)[':pk'],
    );
    expect(asked.sort()).toEqual(expected.sort());
    for (const query of table.queries) {
      expect(query).toMatchObject({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':from': '2026-02-28T16:00:00.000Z',
          ':to': '2026-03-31T16:00:00.000Z',
        },
        ReturnConsumedCapacity: 'TOTAL',
      });
    }
  });

  it('takes tasks due from the first moment of the period up to, not including, the next day', async () => {
    // Prepare
    const dues = {
      'just-before': '2026-02-28T15:59:59.999Z',
      'first-moment': '2026-02-28T16:00:00.000Z',
      'last-moment': '2026-03-31T15:59:59.999Z',
      'next-day': '2026-03-31T16:00:00.000Z',
    };
    for (const [taskId, dueAt] of Object.entries(dues))
      table.put(taskItem(staffTask({ taskId, dueAt })));

    // Act
    const { tasks } = await readStaffTasksDue('wuxing', march);

    // Assess
    expect(tasks.map((task) => task.taskId).sort()).toEqual(['first-moment', 'last-moment']);
  });

  it('counts only the district’s staff tasks: not other districts’, the city’s, providers’ or families’', async () => {
    // Prepare
    table.put(taskItem(staffTask({ taskId: 'ours' })));
    table.put(
      taskItem(
        staffTask({
          taskId: 'fire',
          role: 'fire',
          status: 'done',
          decision: decidedAt('2026-03-09T02:00:00.000Z'),
        }),
      ),
    );
    table.put(taskItem(staffTask({ taskId: 'anji', district: 'anji' })));
    table.put(taskItem(staffTask({ taskId: 'city', role: 'supervisor', district: 'city' })));
    table.put(
      taskItem(
        staffTask({
          taskId: 'provider',
          role: 'provider',
          district: 'wuxing',
          providerId: 'P-WX-0042',
        }),
      ),
    );
    table.put(
      taskItem(
        staffTask({ taskId: 'family', role: 'citizen', district: 'wuxing', applicantSub: 'fam-1' }),
      ),
    );

    // Act
    const wuxing = await readStaffTasksDue('wuxing', march);
    const city = await readStaffTasksDue('city', march);

    // Assess
    expect(wuxing.tasks.map((task) => task.taskId).sort()).toEqual(['fire', 'ours']);
    expect(city.tasks.map((task) => task.taskId)).toEqual(['city']);
  });

  it('reads every page and sums the capacity DynamoDB reports', async () => {
    // Prepare
    table.pageSize = 2;
    for (let day = 1; day <= 5; day += 1) {
      const dueAt = `2026-03-0${day}T09:30:00.000Z`;
      table.put(taskItem(staffTask({ taskId: `T-${day}`, dueAt })));
    }

    // Act
    const { tasks, consumedReadUnits } = await readStaffTasksDue('wuxing', march);

    // Assess
    expect(tasks).toHaveLength(5);
    // 29 empty partitions at one page each, plus pages of 2, 2 and 1: 32 pages at half a unit.
    expect(table.queries).toHaveLength(32);
    expect(consumedReadUnits).toBe(16);
  });

  it('reads when the case closed a task, so an early expiry is told from a late one', async () => {
    // Prepare
    const closings = {
      early: '2026-03-08T01:00:00.000Z',
      late: '2026-03-11T01:00:00.000Z',
    };
    for (const [taskId, closedAt] of Object.entries(closings))
      table.put(taskItem(staffTask({ taskId, status: 'expired', closedAt })));

    // Act
    const { tasks } = await readStaffTasksDue('wuxing', march);

    // Assess
    const read = Object.fromEntries(tasks.map((task) => [task.taskId, task.closedAt]));
    expect(read).toEqual(closings);
    expect(slaFigures(tasks, new Date('2026-03-20T02:00:00.000Z')).total).toMatchObject({
      due: 1,
      overdue: 1,
      closedEarly: 1,
    });
  });

  it('keeps the later state of a task read in two partitions while it moved', async () => {
    // Prepare
    const open = staffTask({ taskId: 'moving' });
    const done = staffTask({
      taskId: 'moving',
      status: 'done',
      decision: decidedAt('2026-03-09T02:00:00.000Z'),
    });
    table.put(taskItem(open));
    table.put({ ...taskItem(done), sk: 'TASK#moving-copy' });

    // Act
    const { tasks } = await readStaffTasksDue('wuxing', march);

    // Assess
    expect(tasks).toEqual([
      {
        taskId: 'moving',
        taskType: 'district-review',
        status: 'done',
        createdAt: '2026-03-03T02:00:00.000Z',
        dueAt: '2026-03-10T09:30:00.000Z',
        decision: { decidedAt: '2026-03-09T02:00:00.000Z' },
      },
    ]);
  });
});

describe('slaStats', () => {
  let table: TaskIndexTable;

  beforeEach(() => {
    vi.stubEnv('TABLE_NAME', 't');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-20T02:00:00.000Z'));
    table = new TaskIndexTable();
    vi.spyOn(documentClient, 'send').mockImplementation(table.send as never);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.useRealTimers();
  });

  it('judges waiting tasks by the shared clock, moved or not', async () => {
    // Prepare
    table.put(taskItem(staffTask({ taskId: 'waiting', dueAt: '2026-03-25T09:30:00.000Z' })));
    const period = { from: '2026-03-01', to: '2026-03-31' };

    // Act
    const today = await slaStats('wuxing', period);
    vi.stubEnv('SHANYU_CLOCK_OFFSET_MS', String(10 * 24 * 60 * 60 * 1000));
    const tenDaysOn = await slaStats('wuxing', period);

    // Assess
    expect(today).toMatchObject({
      district: 'wuxing',
      from: '2026-03-01',
      to: '2026-03-31',
      scope: 'staff tasks',
      total: { due: 1, open: 1, overdue: 0 },
      consumedReadUnits: 15,
    });
    expect(tenDaysOn.total).toMatchObject({ due: 1, open: 0, overdue: 1 });
  });
});
