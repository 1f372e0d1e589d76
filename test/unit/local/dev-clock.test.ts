import { describe, expect, it, vi } from 'vitest';
import { LocalClock } from '../../../infra/local/clock.ts';
import type { LocalSchedule } from '../../../infra/local/cloud-assembly.ts';
import { devClockRoutes, devSchedulerRoutes } from '../../../infra/local/dev-clock.ts';
import type { LocalRequest } from '../../../infra/local/gateway/types.ts';
import { ScheduleNotFoundError } from '../../../infra/local/scheduler/index.ts';

const start = Date.parse('2026-03-01T00:00:00Z');

function request(method: string, path: string, body = ''): LocalRequest {
  return {
    method,
    path,
    headers: { 'content-type': 'application/json' },
    body,
    query: new URLSearchParams(),
  };
}

const post = (path: string, body: unknown) =>
  request('POST', path, typeof body === 'string' ? body : JSON.stringify(body));

function clockRoutes(offsetMs = 0) {
  const clock = new LocalClock({ offsetMs, systemNow: () => start });
  const routes = devClockRoutes(clock);
  const handler = (key: 'GET /dev/clock' | 'POST /dev/clock') => {
    const route = routes[key];
    if (!route) throw new Error(`no route ${key}`);
    return route;
  };
  return { clock, get: handler('GET /dev/clock'), move: handler('POST /dev/clock') };
}

function schedule(job: string, hash: string, overrides: Partial<LocalSchedule> = {}) {
  return {
    logicalId: `${job}Schedule${hash}`,
    expression: 'rate(1 minute)',
    timezone: 'Asia/Shanghai',
    enabled: true,
    functionName: `${job}${hash}`,
    input: { job },
    ...overrides,
  } satisfies LocalSchedule;
}

const schedules = [
  schedule('DeliverDecisions', '712E9625'),
  schedule('SendNotifications', '372991EC'),
  schedule('RecheckHardship', 'A1B2C3D4', { enabled: false }),
];

class JobFailedError extends Error {
  public constructor() {
    super('the table is gone');
    this.name = 'JobFailedError';
  }
}

function schedulerRoute(
  runNow: (name: string, extra?: Record<string, unknown>) => Promise<unknown>,
) {
  const route = devSchedulerRoutes(schedules, { runNow })['POST /dev/scheduler/run'];
  if (!route) throw new Error('no route');
  return route;
}

describe('devClockRoutes', () => {
  it('GET /dev/clock tells the time and the offset', async () => {
    // Prepare
    const { get } = clockRoutes(86_400_000);

    // Act
    const response = await get(request('GET', '/dev/clock'));

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      body: { now: '2026-03-02T00:00:00.000Z', offsetMs: 86_400_000 },
    });
  });

  it('POST /dev/clock {now} sets the clock to a time with a zone', async () => {
    // Prepare
    const { clock, move } = clockRoutes();

    // Act
    const response = await move(post('/dev/clock', { now: '2026-03-05T09:00:00+08:00' }));

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      body: { now: '2026-03-05T01:00:00.000Z', offsetMs: 4 * 86_400_000 + 3_600_000 },
    });
    expect(clock.now().toISOString()).toBe('2026-03-05T01:00:00.000Z');
  });

  it('POST /dev/clock {advance} moves the clock by an ISO 8601 duration, and tells its listeners', async () => {
    // Prepare
    const { clock, move } = clockRoutes();
    const listener = vi.fn();
    clock.onChange(listener);

    // Act
    const response = await move(post('/dev/clock', { advance: 'P3D' }));

    // Assess
    expect(response).toEqual({
      statusCode: 200,
      body: { now: '2026-03-04T00:00:00.000Z', offsetMs: 3 * 86_400_000 },
    });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['not JSON', '{now', /must be JSON/],
    ['neither field', {}, /Expected \{"now"/],
    ['both fields', { now: '2026-03-05T00:00:00Z', advance: 'P1D' }, /Expected \{"now"/],
    ['a time without a zone', { now: '2026-03-05T09:00:00' }, /Expected \{"now"/],
    ['an impossible date', { now: '2026-02-30T09:00:00Z' }, /Expected \{"now"/],
    ['a number of days', { advance: 3 }, /Expected \{"now"/],
    ['a time in the past', { now: '2026-02-28T00:00:00Z' }, /only moves forward/],
    ['a negative duration', { advance: '-P1D' }, /negative durations are refused/],
    ['an empty duration', { advance: 'PT' }, /"T" must be followed/],
    ['a bad duration', { advance: '3 days' }, /Invalid ISO 8601 duration "3 days"/],
  ])(
    'POST /dev/clock answers 400 with a message for %s, leaving the clock',
    async (_case, body, message) => {
      // Prepare
      const { clock, move } = clockRoutes();

      // Act
      const response = await move(post('/dev/clock', body));

      // Assess
      expect(response.statusCode).toBe(400);
      expect((response.body as { message: string }).message).toMatch(message);
      expect(clock.offsetMs).toBe(0);
    },
  );
});

describe('devSchedulerRoutes', () => {
  it('runs the named job now through the scheduler, by its schedule, with extra fields as input', async () => {
    // Prepare
    const runNow = vi.fn(async () => ({ delivered: 2 }));
    const route = schedulerRoute(runNow);

    // Act
    const plain = await route(post('/dev/scheduler/run', { job: 'DeliverDecisions' }));
    const withInput = await route(
      post('/dev/scheduler/run', { job: 'RecheckHardship', month: '2026-12' }),
    );

    // Assess
    expect(plain).toEqual({
      statusCode: 200,
      body: { job: 'DeliverDecisions', result: { delivered: 2 } },
    });
    expect(withInput.statusCode).toBe(200);
    expect(runNow.mock.calls).toEqual([
      ['DeliverDecisionsSchedule712E9625', {}],
      ['RecheckHardshipScheduleA1B2C3D4', { month: '2026-12' }],
    ]);
  });

  it('answers 404 for a job no schedule has, naming the known ones', async () => {
    // Prepare
    const runNow = vi.fn(async () => undefined);
    const route = schedulerRoute(runNow);

    // Act
    const response = await route(post('/dev/scheduler/run', { job: 'DeliverDecisions712E9625' }));

    // Assess
    expect(response).toEqual({
      statusCode: 404,
      body: {
        message:
          'No scheduled job named DeliverDecisions712E9625; known jobs: DeliverDecisions, SendNotifications, RecheckHardship',
      },
    });
    expect(runNow).not.toHaveBeenCalled();
  });

  it('answers 500 with the job’s error name and message when it fails', async () => {
    // Prepare
    const route = schedulerRoute(async () => {
      throw new JobFailedError();
    });

    // Act
    const response = await route(post('/dev/scheduler/run', { job: 'SendNotifications' }));

    // Assess
    expect(response).toEqual({
      statusCode: 500,
      body: {
        job: 'SendNotifications',
        error: { name: 'JobFailedError', message: 'the table is gone' },
      },
    });
  });

  it('answers 500 when the scheduler does not know the schedule either', async () => {
    // Prepare
    const route = schedulerRoute(async (name) => {
      throw new ScheduleNotFoundError(name);
    });

    // Act
    const response = await route(post('/dev/scheduler/run', { job: 'SendNotifications' }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).toMatchObject({ error: { name: 'ScheduleNotFoundError' } });
  });

  it.each([
    ['not JSON', 'job=DeliverDecisions'],
    ['no job', { month: '2026-12' }],
    ['an empty job', { job: '' }],
    ['a job that is not a string', { job: 7 }],
    ['an array', ['DeliverDecisions']],
  ])('answers 400 with a message for %s', async (_case, body) => {
    // Prepare
    const runNow = vi.fn(async () => undefined);
    const route = schedulerRoute(runNow);

    // Act
    const response = await route(post('/dev/scheduler/run', body));

    // Assess
    expect(response.statusCode).toBe(400);
    expect((response.body as { message: string }).message).toMatch(
      /JSON|known jobs: DeliverDecisions/,
    );
    expect(runNow).not.toHaveBeenCalled();
  });
});
