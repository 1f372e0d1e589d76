import * as z from 'zod';
import { ClockMovedBackwardsError, ClockOutOfRangeError, type LocalClock } from './clock.ts';
import type { LocalSchedule } from './cloud-assembly.ts';
import { jobNameOf } from './dev-jobs.ts';
import type { LocalResponse, LocalRouteHandler } from './gateway/types.ts';
import { InvalidIsoDurationError } from './iso-duration.ts';
import type { LocalScheduler } from './scheduler/index.ts';

const clockMoveSchema = z.union([
  // A time without a zone would be read in whatever zone this process runs in.
  z.strictObject({ now: z.iso.datetime({ offset: true }) }),
  z.strictObject({ advance: z.string() }),
]);

export type ClockMove = z.infer<typeof clockMoveSchema>;

const runJobSchema = z.looseObject({ job: z.string().min(1) });

function badRequest(message: string): LocalResponse {
  return { statusCode: 400, body: { message } };
}

function parseJson(body: string): { json: unknown } | undefined {
  try {
    return { json: body ? JSON.parse(body) : {} };
  } catch {
    return undefined;
  }
}

function reading(clock: LocalClock): LocalResponse {
  return { statusCode: 200, body: { now: clock.now().toISOString(), offsetMs: clock.offsetMs } };
}

/**
 * `GET /dev/clock` → `{now, offsetMs}`: the local cloud's time. `POST /dev/clock` with
 * `{"now": "2026-12-01T09:00:00+08:00"}` or `{"advance": "P3D"}` (ISO 8601) moves it forward for
 * every part at once and answers the same; a time before the clock's current one, a time without
 * a zone, or a bad duration is a 400 with a message.
 */
export function devClockRoutes(clock: LocalClock): Record<string, LocalRouteHandler> {
  return {
    'GET /dev/clock': async () => reading(clock),
    'POST /dev/clock': async (request) => {
      const parsed = parseJson(request.body);
      if (!parsed) return badRequest('The body must be JSON');
      const move = clockMoveSchema.safeParse(parsed.json);
      if (!move.success) {
        return badRequest(
          'Expected {"now": "<ISO 8601 time with Z or an offset>"} or {"advance": "<ISO 8601 duration, e.g. P3D>"}',
        );
      }
      try {
        if ('now' in move.data) clock.set(new Date(move.data.now));
        else clock.advance(move.data.advance);
      } catch (error) {
        if (
          error instanceof ClockMovedBackwardsError ||
          error instanceof ClockOutOfRangeError ||
          error instanceof InvalidIsoDurationError
        ) {
          return badRequest(error.message);
        }
        throw error;
      }
      return reading(clock);
    },
  };
}

/**
 * `POST /dev/scheduler/run` `{"job": "DeliverDecisions", ...}` runs a scheduled job now through the
 * local scheduler, with the body's other fields merged into the job's input as `/dev/jobs` does:
 * 200 `{job, result}`, 404 for a job no schedule has, 500 `{job, error: {name, message}}` when the
 * job fails. It does not wait for a timer run under way, so the two may overlap (timer ticks skip
 * while it runs): that is fine because each job is idempotent per run (the schedules' retries rely
 * on that too). Going through the scheduler is what makes `stop()` wait for it.
 */
export function devSchedulerRoutes(
  schedules: readonly LocalSchedule[],
  scheduler: Pick<LocalScheduler, 'runNow'>,
): Record<string, LocalRouteHandler> {
  const known = () => schedules.map(jobNameOf).join(', ') || 'none';
  return {
    'POST /dev/scheduler/run': async (request) => {
      const parsed = parseJson(request.body);
      if (!parsed) return badRequest('The body must be JSON');
      const body = runJobSchema.safeParse(parsed.json);
      if (!body.success) {
        return badRequest(`Expected {"job": "<name>", ...input}; known jobs: ${known()}`);
      }
      const { job, ...extraInput } = body.data;
      const schedule = schedules.find((candidate) => jobNameOf(candidate) === job);
      if (!schedule) {
        return {
          statusCode: 404,
          body: { message: `No scheduled job named ${job}; known jobs: ${known()}` },
        };
      }
      try {
        // The logical id, not the function: one function may serve several schedules.
        const result = await scheduler.runNow(schedule.logicalId, extraInput);
        return { statusCode: 200, body: { job, result } };
      } catch (error) {
        const { name, message } =
          error instanceof Error ? error : { name: 'Error', message: String(error) };
        return { statusCode: 500, body: { job, error: { name, message } } };
      }
    },
  };
}
