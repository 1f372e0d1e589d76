import type { LocalSchedule } from './cloud-assembly.ts';
import type { LocalRouteHandler } from './gateway/types.ts';

/** The job's name as the catalogue has it: the logical id without CDK's hash. */
export const jobNameOf = (schedule: LocalSchedule) =>
  schedule.functionName.replace(/[0-9A-F]{8}$/, '');

/**
 * `POST /dev/jobs/<Job>` runs a scheduled job now, with the request's JSON body (if any) merged
 * into the job's input — so a developer or a test need not wait for the schedule.
 */
export function devJobRoutes(
  schedules: readonly LocalSchedule[],
  invoke: (functionName: string, input: unknown) => Promise<unknown>,
): Record<string, LocalRouteHandler> {
  return Object.fromEntries(
    schedules.map((schedule) => [
      `POST /dev/jobs/${jobNameOf(schedule)}`,
      async (request) => {
        let extra: unknown = {};
        try {
          extra = request.body ? JSON.parse(request.body) : {};
        } catch {
          return { statusCode: 400, body: { message: 'The body must be JSON' } };
        }
        try {
          const input = { ...(schedule.input as object | undefined), ...(extra as object) };
          const result = await invoke(schedule.functionName, input);
          return { statusCode: 200, body: { job: jobNameOf(schedule), result } };
        } catch (error) {
          const { name, message } = error as Error;
          return { statusCode: 500, body: { job: jobNameOf(schedule), error: { name, message } } };
        }
      },
    ]),
  );
}
