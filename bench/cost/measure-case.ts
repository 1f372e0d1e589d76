import type { InvocationMeter } from './invocation-meter.ts';
import type { CostContext, Scenario } from './scenarios.ts';
import { allExecutions, executionHistory, transitionsByStateType } from './state-transitions.ts';
import type { CaseUsage } from './usage.ts';

export interface MeteredCloud extends CostContext {
  readonly meter: InvocationMeter;
  /** Functions behind API routes: each of their invocations is an API Gateway request. */
  readonly routeFunctions: ReadonlySet<string>;
}

/** A job the local cloud runs on request (POST /dev/jobs/<name>); its answer is the job's result. */
export async function runJob(cloud: CostContext, job: string): Promise<Record<string, unknown>> {
  const response = await cloud.api.request<{ result?: Record<string, unknown> }>(
    'POST',
    `/dev/jobs/${job}`,
  );
  if (response.status !== 200) throw new Error(`job ${job}: ${response.status}`);
  return response.body.result ?? {};
}

/**
 * Drives one case and measures what it used: every Lambda invocation reported while it ran
 * (cases run one at a time on a cloud whose schedules run only on request), the executions it
 * started and the states they entered, and the notifications its outbox entries became — the
 * SendNotifications run that sends them is part of the case.
 */
export async function measureCase(cloud: MeteredCloud, scenario: Scenario): Promise<CaseUsage> {
  const drive = await scenario.prepare(cloud);
  const machines = Object.values(cloud.stateMachines);
  const before = await allExecutions(cloud.sfn, machines);
  const mark = cloud.meter.mark();
  const caseId = await drive();
  const sent = await runJob(cloud, 'SendNotifications');
  await cloud.meter.quiet();
  const invocations = cloud.meter.since(mark);
  const started = [...(await allExecutions(cloud.sfn, machines))].filter((arn) => !before.has(arn));
  const stateTransitions: Record<string, number> = {};
  for (const executionArn of started) {
    const byType = transitionsByStateType(await executionHistory(cloud.sfn, executionArn));
    for (const [type, count] of Object.entries(byType)) {
      stateTransitions[type] = (stateTransitions[type] ?? 0) + count;
    }
  }
  return {
    caseId,
    invocations,
    apiRequests: invocations.filter((report) => cloud.routeFunctions.has(report.functionName))
      .length,
    executions: started.length,
    stateTransitions,
    notifications: Number(sent.sent ?? 0),
  };
}
