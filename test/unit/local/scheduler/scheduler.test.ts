import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalSchedule } from '../../../../infra/local/cloud-assembly.ts';
import {
  type LocalScheduler,
  localRetryAttempts,
  ScheduleNotFoundError,
  SchedulerStoppedError,
  startLocalScheduler,
} from '../../../../infra/local/scheduler/index.ts';

const minute = 60_000;

function schedule(overrides: Partial<LocalSchedule> = {}): LocalSchedule {
  return {
    logicalId: 'DeliverDecisionsScheduleF00B7690',
    expression: 'rate(1 minute)',
    timezone: 'Asia/Shanghai',
    enabled: true,
    functionName: 'DeliverDecisions712E9625',
    input: { job: 'DeliverDecisions' },
    ...overrides,
  };
}

/** A promise settled from outside: an invocation that is still running until the test says so. */
function deferred<T = unknown>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

class ServiceError extends Error {
  public constructor() {
    super('the function failed');
    this.name = 'ServiceError';
  }
}

describe('startLocalScheduler', () => {
  let scheduler: LocalScheduler | undefined;
  let lines: string[];
  const log = (line: string) => lines.push(line);

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-03-02T00:30:00Z') });
    lines = [];
  });

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
  });

  it('invokes each enabled schedule on its own timer with its input, one log line per run', async () => {
    // Prepare
    const invoke = vi.fn(async () => ({ delivered: 0 }));
    scheduler = startLocalScheduler({
      schedules: [
        schedule(),
        schedule({
          logicalId: 'SendNotificationsScheduleADC60E6D',
          functionName: 'SendNotifications372991EC',
          expression: 'rate(5 minutes)',
          input: { job: 'SendNotifications' },
        }),
      ],
      invoke,
      log,
    });

    // Act
    await vi.advanceTimersByTimeAsync(minute - 1);
    const beforeDue = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(5 * minute);

    // Assess
    expect(beforeDue).toBe(0);
    const calls = invoke.mock.calls as unknown[][];
    expect(calls.filter(([name]) => name === 'DeliverDecisions712E9625')).toHaveLength(5);
    expect(calls.filter(([name]) => name === 'SendNotifications372991EC')).toEqual([
      ['SendNotifications372991EC', { job: 'SendNotifications' }],
    ]);
    expect(calls[0]).toEqual(['DeliverDecisions712E9625', { job: 'DeliverDecisions' }]);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe('[scheduler] DeliverDecisions ok in 0 ms');
    expect(lines).toContain('[scheduler] SendNotifications ok in 0 ms');
  });

  it('logs how long a run took', async () => {
    // Prepare
    const invoke = vi.fn(async () => {
      vi.setSystemTime(Date.now() + 12);
    });
    scheduler = startLocalScheduler({ schedules: [schedule()], invoke, log });

    // Act
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(lines).toEqual(['[scheduler] DeliverDecisions ok in 12 ms']);
  });

  it('runs a cron schedule at its wall-clock time in the schedule time zone', async () => {
    // Prepare
    const runs: string[] = [];
    const invoke = vi.fn(async () => {
      runs.push(new Date().toISOString());
    });
    scheduler = startLocalScheduler({
      schedules: [schedule({ expression: 'cron(0 9 * * ? *)' })],
      invoke,
      log,
    });

    // Act
    await vi.advanceTimersByTimeAsync(2 * 24 * 60 * minute);

    // Assess
    expect(runs).toEqual(['2026-03-02T01:00:00.000Z', '2026-03-03T01:00:00.000Z']);
  });

  it('runs a one-time schedule once', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    scheduler = startLocalScheduler({
      schedules: [schedule({ expression: 'at(2026-03-02T09:00:00)' })],
      invoke,
      log,
    });

    // Act
    await vi.advanceTimersByTimeAsync(3 * 24 * 60 * minute);

    // Assess
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      '[scheduler] DeliverDecisions has no further runs',
      '[scheduler] DeliverDecisions ok in 0 ms',
    ]);
  });

  it('leaves disabled schedules alone', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    scheduler = startLocalScheduler({ schedules: [schedule({ enabled: false })], invoke, log });

    // Act
    await vi.advanceTimersByTimeAsync(10 * minute);

    // Assess
    expect(invoke).not.toHaveBeenCalled();
    expect(lines).toEqual([]);
  });

  it('invokes a schedule without input with its logical id as the job', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    const { input: _, ...withoutInput } = schedule();
    scheduler = startLocalScheduler({ schedules: [withoutInput], invoke, log });

    // Act
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(invoke).toHaveBeenCalledWith('DeliverDecisions712E9625', {
      job: 'DeliverDecisionsScheduleF00B7690',
    });
    expect(lines).toEqual(['[scheduler] DeliverDecisionsScheduleF00B7690 ok in 0 ms']);
  });

  it('skips a tick while the previous run of the same schedule is still going', async () => {
    // Prepare
    const slow = deferred();
    const invoke = vi.fn(() => (invoke.mock.calls.length === 1 ? slow.promise : Promise.resolve()));
    scheduler = startLocalScheduler({ schedules: [schedule()], invoke, log });

    // Act
    await vi.advanceTimersByTimeAsync(3 * minute);
    const whileRunning = invoke.mock.calls.length;
    slow.resolve(undefined);
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(whileRunning).toBe(1);
    expect(invoke).toHaveBeenCalledTimes(2);
    expect(lines.slice(0, 2)).toEqual([
      '[scheduler] DeliverDecisions skipped: its previous run is still going',
      '[scheduler] DeliverDecisions skipped: its previous run is still going',
    ]);
    // The slow run took the two skipped minutes.
    expect(lines.slice(2)).toEqual([
      '[scheduler] DeliverDecisions ok in 120000 ms',
      '[scheduler] DeliverDecisions ok in 0 ms',
    ]);
  });

  it('retries a failed run twice after a short delay, as the deployed retry policy does', async () => {
    // Prepare
    const invoke = vi.fn(async () => {
      if (invoke.mock.calls.length <= 2) throw new ServiceError();
      return 'done';
    });
    scheduler = startLocalScheduler({
      schedules: [schedule()],
      invoke,
      log,
      retryDelayMs: 1000,
    });

    // Act
    await vi.advanceTimersByTimeAsync(minute);
    const firstAttempt = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(999);
    const beforeDelay = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1001);

    // Assess
    expect(localRetryAttempts).toBe(2);
    expect([firstAttempt, beforeDelay]).toEqual([1, 1]);
    expect(invoke).toHaveBeenCalledTimes(3);
    expect(lines).toEqual(['[scheduler] DeliverDecisions ok in 0 ms (attempt 3)']);
  });

  it('logs the error name once every attempt failed, and runs again at the next tick', async () => {
    // Prepare
    const invoke = vi.fn(async () => {
      throw new ServiceError();
    });
    scheduler = startLocalScheduler({ schedules: [schedule()], invoke, log, retryDelayMs: 10 });

    // Act
    await vi.advanceTimersByTimeAsync(minute + 20);
    const firstRun = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(firstRun).toBe(3);
    expect(invoke).toHaveBeenCalledTimes(6);
    expect(lines).toEqual([
      '[scheduler] DeliverDecisions failed: ServiceError (3 attempts)',
      '[scheduler] DeliverDecisions failed: ServiceError (3 attempts)',
    ]);
  });

  it('stop() clears the timers and waits for the runs under way', async () => {
    // Prepare
    const slow = deferred();
    const invoke = vi.fn(() => slow.promise);
    const running = startLocalScheduler({ schedules: [schedule()], invoke, log });
    await vi.advanceTimersByTimeAsync(minute);
    let stopped = false;

    // Act
    const stopping = running.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    const stoppedBeforeRunEnded = stopped;
    slow.resolve('late');
    await stopping;
    await vi.advanceTimersByTimeAsync(10 * minute);

    // Assess
    expect(stoppedBeforeRunEnded).toBe(false);
    expect(stopped).toBe(true);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop() cancels the retries still to come', async () => {
    // Prepare
    const invoke = vi.fn(async () => {
      throw new ServiceError();
    });
    const running = startLocalScheduler({
      schedules: [schedule()],
      invoke,
      log,
      retryDelayMs: 5000,
    });
    await vi.advanceTimersByTimeAsync(minute);

    // Act
    await running.stop();
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(lines).toEqual([
      '[scheduler] DeliverDecisions failed: ServiceError (retries cancelled by stop)',
    ]);
  });

  it('runNow() invokes a schedule at once by job id, logical id or function name', async () => {
    // Prepare
    const invoke = vi.fn(async (functionName: string) => ({ ran: functionName }));
    scheduler = startLocalScheduler({ schedules: [schedule({ enabled: false })], invoke, log });

    // Act
    const results = [
      await scheduler.runNow('DeliverDecisions'),
      await scheduler.runNow('DeliverDecisionsScheduleF00B7690'),
      await scheduler.runNow('DeliverDecisions712E9625'),
    ];

    // Assess
    expect(results).toEqual(Array(3).fill({ ran: 'DeliverDecisions712E9625' }));
    expect(invoke).toHaveBeenCalledWith('DeliverDecisions712E9625', { job: 'DeliverDecisions' });
    expect(lines).toEqual(Array(3).fill('[scheduler] DeliverDecisions ok in 0 ms (run now)'));
  });

  it('runNow() hands back the first failure, and refuses unknown schedules and a stopped scheduler', async () => {
    // Prepare
    const invoke = vi.fn(async () => {
      throw new ServiceError();
    });
    const running = startLocalScheduler({ schedules: [schedule()], invoke, log });

    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error) => error,
      );

    // Act
    const failed = await failure(running.runNow('DeliverDecisions'));
    const unknown = await failure(running.runNow('NoSuchJob'));
    await running.stop();
    const afterStop = await failure(running.runNow('DeliverDecisions'));

    // Assess
    expect(failed).toBeInstanceOf(ServiceError);
    expect(unknown).toBeInstanceOf(ScheduleNotFoundError);
    expect(afterStop).toBeInstanceOf(SchedulerStoppedError);
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(lines).toEqual(['[scheduler] DeliverDecisions failed: ServiceError (run now)']);
  });

  it('runNow() merges extra fields into the schedule’s input', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    const { input: _, ...withoutInput } = schedule({ logicalId: 'Bare' });
    scheduler = startLocalScheduler({
      schedules: [schedule(), withoutInput, schedule({ logicalId: 'Text', input: 'tick' })],
      invoke,
      log,
    });

    // Act
    await scheduler.runNow('DeliverDecisions', { month: '2026-12', job: 'Other' });
    await scheduler.runNow('Bare', { month: '2026-12' });
    await scheduler.runNow('Text', { month: '2026-12' });
    await scheduler.runNow('DeliverDecisions');

    // Assess
    expect(invoke.mock.calls).toEqual([
      ['DeliverDecisions712E9625', { job: 'Other', month: '2026-12' }],
      ['DeliverDecisions712E9625', { job: 'Bare', month: '2026-12' }],
      ['DeliverDecisions712E9625', { month: '2026-12' }],
      ['DeliverDecisions712E9625', { job: 'DeliverDecisions' }],
    ]);
  });

  it('logs a schedule it cannot run and keeps running the others', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    scheduler = startLocalScheduler({
      schedules: [
        schedule({ logicalId: 'LastDay', input: undefined, expression: 'cron(0 9 L * ? *)' }),
        schedule(),
      ],
      invoke,
      log,
    });

    // Act
    await vi.advanceTimersByTimeAsync(minute);

    // Assess
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(lines[0]).toMatch(/^\[scheduler\] LastDay not scheduled: .*"L" in day-of-month/);
    expect(lines[1]).toBe('[scheduler] DeliverDecisions ok in 0 ms');
  });

  it('follows an injected clock', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    // The clock says 08:59:30 in Shanghai while the fake timers start at 08:30.
    const offset = 29.5 * minute;
    scheduler = startLocalScheduler({
      schedules: [schedule({ expression: 'cron(0 9 * * ? *)' })],
      invoke,
      log,
      now: () => new Date(Date.now() + offset),
    });

    // Act
    await vi.advanceTimersByTimeAsync(29_999);
    const early = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(early).toBe(0);
    expect(invoke).toHaveBeenCalledTimes(1);
  });
});

describe('startLocalScheduler clockMoved()', () => {
  let scheduler: LocalScheduler | undefined;
  let lines: string[];
  let offset: number;
  const log = (line: string) => lines.push(line);
  const day = 24 * 60 * minute;

  beforeEach(() => {
    // 08:30 in Shanghai.
    vi.useFakeTimers({ now: new Date('2026-03-02T00:30:00Z') });
    lines = [];
    offset = 0;
  });

  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
  });

  function startDaily(invoke: () => Promise<unknown>): LocalScheduler {
    return startLocalScheduler({
      schedules: [schedule({ expression: 'cron(0 9 * * ? *)' })],
      invoke,
      log,
      now: () => new Date(Date.now() + offset),
    });
  }

  it('runs a schedule the moved clock passed once, not once per missed run, then counts from the new time', async () => {
    // Prepare
    const runs: string[] = [];
    const invoke = vi.fn(async () => {
      runs.push(new Date(Date.now() + offset).toISOString());
    });
    scheduler = startDaily(invoke);

    // Act: three days later, three 09:00 runs were jumped over.
    offset = 3 * day;
    scheduler.clockMoved();
    await vi.advanceTimersByTimeAsync(0);
    const atOnce = [...runs];
    await vi.advanceTimersByTimeAsync(30 * minute - 1);
    const beforeNine = runs.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(atOnce).toEqual(['2026-03-05T00:30:00.000Z']);
    expect(beforeNine).toBe(1);
    expect(runs).toEqual(['2026-03-05T00:30:00.000Z', '2026-03-05T01:00:00.000Z']);
  });

  it('brings a run closer when the clock moved towards it without passing it', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    scheduler = startDaily(invoke);

    // Act: 08:50 now, so 09:00 is ten minutes away instead of thirty.
    offset = 20 * minute;
    scheduler.clockMoved();
    await vi.advanceTimersByTimeAsync(10 * minute - 1);
    const early = invoke.mock.calls.length;
    await vi.advanceTimersByTimeAsync(1);

    // Assess
    expect(early).toBe(0);
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  it('is needed: without it, a timer armed before the move wakes at the old time', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    scheduler = startDaily(invoke);

    // Act
    offset = 20 * minute;
    await vi.advanceTimersByTimeAsync(10 * minute);

    // Assess
    expect(invoke).not.toHaveBeenCalled();
  });

  it('leaves disabled and finished schedules alone, and does nothing once stopped', async () => {
    // Prepare
    const invoke = vi.fn(async () => undefined);
    const running = startLocalScheduler({
      schedules: [
        schedule({ enabled: false }),
        schedule({ logicalId: 'Once', expression: 'at(2026-03-01T09:00:00)', input: undefined }),
      ],
      invoke,
      log,
      now: () => new Date(Date.now() + offset),
    });
    offset = 10 * day;

    // Act
    running.clockMoved();
    await vi.advanceTimersByTimeAsync(minute);
    await running.stop();
    running.clockMoved();

    // Assess
    expect(invoke).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('startLocalScheduler timers', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('do not keep the process alive', async () => {
    // Prepare
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const scheduler = startLocalScheduler({
      schedules: [schedule({ expression: 'rate(1 day)' })],
      invoke: async () => undefined,
      log: () => undefined,
    });

    // Act
    const timers = setTimeoutSpy.mock.results.map((result) => result.value as NodeJS.Timeout);
    await scheduler.stop();

    // Assess
    expect(timers).toHaveLength(1);
    expect(timers[0]?.hasRef()).toBe(false);
  });
});
