import type { LocalSchedule } from '../cloud-assembly.ts';
import { nextRun } from './next-run.ts';

/**
 * The local stand-in for EventBridge Scheduler: runs the synthesized `AWS::Scheduler::Schedule`
 * resources on timers, with the deployed retry policy's two retries, and never runs a schedule
 * while its previous run is still going.
 */

export {
  type AtExpression,
  type CronExpression,
  InvalidScheduleExpressionError,
  type ParsedScheduleExpression,
  parseScheduleExpression,
  type RateExpression,
  UnsupportedScheduleExpressionError,
} from './expression.ts';
export { nextRun, type ScheduleTiming } from './next-run.ts';
export { UnknownTimeZoneError, type WallTime } from './time-zone.ts';

export interface LocalSchedulerOptions {
  /** From `loadCloudModel`. */
  readonly schedules: readonly LocalSchedule[];
  readonly invoke: (functionName: string, input: unknown) => Promise<unknown>;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** The clock. When it is moved by hand, call `clockMoved()`. @default () => new Date() */
  readonly now?: () => Date;
  /** Pause before retrying a failed run. @default 1000 */
  readonly retryDelayMs?: number;
}

export interface LocalScheduler {
  /** Clears the timers, cancels pending retries and waits for the runs under way. */
  stop(): Promise<void>;
  /**
   * Invokes a schedule's function once, now, whether the schedule is enabled or not; resolves to
   * the function's result and rejects with its error (no retries: the caller sees the failure).
   * Accepts the schedule's logical id, its function's name, or its job id (`input.job`). It runs
   * even while a scheduled run is under way; timer ticks skip while it runs. `extraInput`'s fields
   * are merged over the schedule's input (an input that is not an object is replaced by them).
   */
  runNow(
    logicalIdOrFunctionName: string,
    extraInput?: Readonly<Record<string, unknown>>,
  ): Promise<unknown>;
  /**
   * Re-arms the timers on the clock's new time, after it was moved by hand: a schedule whose next
   * run the clock passed runs once, at once (the runs it jumped over are not replayed, as after a
   * sleeping laptop), and counts on from the new time.
   */
  clockMoved(): void;
}

export class ScheduleNotFoundError extends Error {
  public constructor(public readonly schedule: string) {
    super(`No schedule named ${schedule}`);
    this.name = 'ScheduleNotFoundError';
  }
}

export class SchedulerStoppedError extends Error {
  public constructor() {
    super('The local scheduler has been stopped');
    this.name = 'SchedulerStoppedError';
  }
}

/** As the deployed schedules' retry policy (`MaximumRetryAttempts` in the scheduling stack). */
export const localRetryAttempts = 2;
const defaultRetryDelayMs = 1000;
/** setTimeout's ceiling (about 24.8 days); longer waits are taken in steps. */
const maxTimerDelayMs = 2 ** 31 - 1;

interface Entry {
  readonly schedule: LocalSchedule;
  /** What log lines call the schedule: its job id when it has one. */
  readonly name: string;
  readonly input: unknown;
  running: number;
  timer?: NodeJS.Timeout;
  /** The run `timer` waits for. */
  due?: Date;
}

function jobOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || !('job' in input)) return undefined;
  return typeof input.job === 'string' ? input.job : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

export function startLocalScheduler(options: LocalSchedulerOptions): LocalScheduler {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? (() => new Date());
  const retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
  // Rates count from here, as the service counts them from the schedule's creation.
  const startedAt = now();
  const inFlight = new Set<Promise<void>>();
  const pendingPauses = new Set<() => void>();
  let stopped = false;

  const entries: Entry[] = options.schedules.map((schedule) => ({
    schedule,
    name: jobOf(schedule.input) ?? schedule.logicalId,
    input: schedule.input ?? { job: schedule.logicalId },
    running: 0,
  }));

  /** Counts a run as under way until it settles, for the overlap check and for `stop()`. */
  function track<T>(entry: Entry, run: () => Promise<T>): Promise<T> {
    entry.running += 1;
    const promise = run();
    const settled: Promise<void> = promise.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(settled);
    void settled.then(() => {
      entry.running -= 1;
      inFlight.delete(settled);
    });
    return promise;
  }

  /** A pause that `stop()` cuts short. */
  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        pendingPauses.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      pendingPauses.add(wake);
    });
  }

  async function attempt(
    entry: Entry,
    input: unknown = entry.input,
  ): Promise<{ result: unknown; ms: number }> {
    // Real time, not the clock: a clock moved by hand during a run is no part of how long it took.
    const started = Date.now();
    const result = await options.invoke(entry.schedule.functionName, input);
    return { result, ms: Date.now() - started };
  }

  async function runScheduled(entry: Entry): Promise<void> {
    let failure: unknown;
    for (let attempts = 1; attempts <= 1 + localRetryAttempts; attempts++) {
      if (attempts > 1) {
        await pause(retryDelayMs);
        if (stopped) {
          log(
            `[scheduler] ${entry.name} failed: ${errorName(failure)} (retries cancelled by stop)`,
          );
          return;
        }
      }
      try {
        const { ms } = await attempt(entry);
        const retried = attempts > 1 ? ` (attempt ${attempts})` : '';
        log(`[scheduler] ${entry.name} ok in ${ms} ms${retried}`);
        return;
      } catch (error) {
        failure = error;
      }
    }
    log(
      `[scheduler] ${entry.name} failed: ${errorName(failure)} (${1 + localRetryAttempts} attempts)`,
    );
  }

  function arm(entry: Entry, after: Date): void {
    if (stopped) return;
    const due = nextRun(entry.schedule, after, startedAt);
    if (!due) {
      log(`[scheduler] ${entry.name} has no further runs`);
      return;
    }
    waitFor(entry, due);
  }

  function waitFor(entry: Entry, due: Date): void {
    entry.due = due;
    const delay = due.getTime() - now().getTime();
    const clamped = delay > maxTimerDelayMs;
    entry.timer = setTimeout(
      () => (clamped ? waitFor(entry, due) : fire(entry, due)),
      Math.max(0, Math.min(delay, maxTimerDelayMs)),
    );
    // A schedule alone must not keep the process alive.
    entry.timer.unref();
  }

  function fire(entry: Entry, due: Date): void {
    entry.timer = undefined;
    entry.due = undefined;
    if (stopped) return;
    if (entry.running > 0) {
      log(`[scheduler] ${entry.name} skipped: its previous run is still going`);
    } else {
      void track(entry, () => runScheduled(entry));
    }
    // From the later of the two: a late timer (a sleeping laptop) skips the missed runs instead of
    // firing them all at once.
    arm(entry, new Date(Math.max(due.getTime(), now().getTime())));
  }

  for (const entry of entries) {
    if (!entry.schedule.enabled) continue;
    try {
      arm(entry, startedAt);
    } catch (error) {
      // One schedule the local scheduler cannot read must not stop the rest of the local cloud.
      const reason = error instanceof Error ? error.message : String(error);
      log(`[scheduler] ${entry.name} not scheduled: ${reason}`);
    }
  }

  return {
    async stop() {
      stopped = true;
      for (const entry of entries) {
        if (entry.timer) clearTimeout(entry.timer);
        entry.timer = undefined;
        entry.due = undefined;
      }
      for (const wake of [...pendingPauses]) wake();
      await Promise.all([...inFlight]);
    },

    clockMoved() {
      if (stopped) return;
      for (const entry of entries) {
        if (!entry.timer || !entry.due) continue;
        clearTimeout(entry.timer);
        // The same run, on the new time: at once when the clock passed it (then `fire` arms the
        // next run from the new time), sooner or later otherwise.
        waitFor(entry, entry.due);
      }
    },

    runNow(logicalIdOrFunctionName, extraInput) {
      if (stopped) return Promise.reject(new SchedulerStoppedError());
      const entry = entries.find(
        ({ schedule, name }) =>
          schedule.logicalId === logicalIdOrFunctionName ||
          schedule.functionName === logicalIdOrFunctionName ||
          name === logicalIdOrFunctionName,
      );
      if (!entry) return Promise.reject(new ScheduleNotFoundError(logicalIdOrFunctionName));
      const input =
        extraInput === undefined
          ? entry.input
          : { ...(isRecord(entry.input) ? entry.input : {}), ...extraInput };
      return track(entry, async () => {
        try {
          const { result, ms } = await attempt(entry, input);
          log(`[scheduler] ${entry.name} ok in ${ms} ms (run now)`);
          return result;
        } catch (error) {
          log(`[scheduler] ${entry.name} failed: ${errorName(error)} (run now)`);
          throw error;
        }
      });
    },
  };
}
