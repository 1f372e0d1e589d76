import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalStepFunctions,
  type LocalStepFunctions,
} from '../../../infra/local/stepfunctions/index.ts';
import { missingReasonNote } from '../../../workflows/subsidy-claim.ts';
import { type SubsidyClaimAsl, subsidyClaimAsl } from './fixtures/subsidy-claim-asl.ts';

const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Shanyu-Test-SubsidyClaim';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Call {
  functionArn: string;
  payload: Record<string, unknown>;
}

let asl: SubsidyClaimAsl;
let dataDir: string;
const services: LocalStepFunctions[] = [];

beforeAll(() => {
  asl = subsidyClaimAsl();
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-subsidy-'));
});

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The workflow on the local Step Functions, with fakes for its functions. */
async function startWorkflowService(clock: { ms: number }, eligible = true) {
  const calls: Call[] = [];
  const invokeLambda = async (functionArn: string, payload: unknown) => {
    const call = { functionArn, payload: payload as Record<string, unknown> };
    calls.push(call);
    if (functionArn === asl.functions.createTask) return { taskId: `task-${calls.length}` };
    if (functionArn === asl.functions.recordOutcome) return { recorded: call.payload.outcome };
    if (functionArn === asl.functions.checkEligibility) {
      return { eligible, policyVersion: '2025-01', reasons: eligible ? [] : ['CHILD_TOO_OLD'] };
    }
    if (functionArn === asl.functions.approveClaim) return { approved: true };
    throw new Error(`No fake for ${functionArn}`);
  };
  const service = await createLocalStepFunctions({
    stateMachines: [
      { arn: MACHINE_ARN, name: 'Shanyu-Test-SubsidyClaim', definition: asl.definition },
    ],
    invokeLambda,
    dataDir,
    now: () => new Date(clock.ms),
  });
  services.push(service);
  const { url } = await service.listen(0);
  const client = new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  return { service, client, calls };
}

async function until<T>(probe: () => T | Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The payload of the `n`th task the workflow opened (1-based), once it is open. */
function nthTask(calls: readonly Call[], n: number): Promise<Record<string, unknown>> {
  return until(
    () => calls.filter((call) => call.functionArn === asl.functions.createTask)[n - 1]?.payload,
    `task ${n}`,
  );
}

async function decide(client: SFNClient, task: Record<string, unknown>, decision: object) {
  await client.send(
    new SendTaskSuccessCommand({
      taskToken: String(task.taskToken),
      output: JSON.stringify({ decidedBy: 'sub-1', taskId: 'task', ...decision }),
    }),
  );
}

function untilEnded(client: SFNClient, executionArn: string) {
  return until(async (): Promise<DescribeExecutionCommandOutput | undefined> => {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    return described.status === 'RUNNING' ? undefined : described;
  }, `the end of ${executionArn}`);
}

/** What a task is, without its token and its step's state name (both checked elsewhere). */
const taskShape = (task: Record<string, unknown>) => {
  const { taskToken: _token, step: _step, ...rest } = task;
  return rest;
};

const provider = { taskType: 'confirm-enrollment', role: 'provider', dueInWorkingDays: 5 };
const review = { taskType: 'district-review', role: 'caseworker', dueInWorkingDays: 10 };
const family = (caseId: string, note: string) => ({
  caseId,
  taskType: 'supply-info',
  role: 'citizen',
  dueInWorkingDays: 10,
  note,
});

describe('the 入托补助 workflow on the local Step Functions', () => {
  it('checks, asks the family twice, goes through provider and district, and approves', async () => {
    // Prepare
    const { client, calls } = await startWorkflowService({ ms: Date.now() });
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: `${MACHINE_ARN}:live`,
        name: 'case-1',
        input: JSON.stringify({ caseId: 'case-1' }),
      }),
    );

    // Act
    await decide(client, await nthTask(calls, 1), {
      outcome: 'request-info',
      reason: '请补充入托缴费凭证',
    });
    await decide(client, await nthTask(calls, 2), {
      outcome: 'approve',
      data: { message: '已上传' },
    });
    await decide(client, await nthTask(calls, 3), { outcome: 'approve' });
    await decide(client, await nthTask(calls, 4), {
      outcome: 'request-info',
      reason: '请补充户口簿',
    });
    await decide(client, await nthTask(calls, 5), {
      outcome: 'approve',
      data: { message: '已补充' },
    });
    await decide(client, await nthTask(calls, 6), { outcome: 'approve', reason: '符合条件' });
    const finished = await untilEnded(client, String(executionArn));

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls[0]).toEqual({
      functionArn: asl.functions.checkEligibility,
      payload: { caseId: 'case-1' },
    });
    const opened = calls.filter((call) => call.functionArn === asl.functions.createTask);
    expect(opened.map((call) => taskShape(call.payload))).toEqual([
      { caseId: 'case-1', ...provider },
      family('case-1', '请补充入托缴费凭证'),
      { caseId: 'case-1', ...provider },
      { caseId: 'case-1', ...review },
      family('case-1', '请补充户口簿'),
      { caseId: 'case-1', ...review },
    ]);
    expect(calls.at(-1)).toEqual({
      functionArn: asl.functions.approveClaim,
      payload: {
        caseId: 'case-1',
        decision: { outcome: 'approve', reason: '符合条件', decidedBy: 'sub-1', taskId: 'task' },
        enrollment: { outcome: 'approve', decidedBy: 'sub-1', taskId: 'task' },
      },
    });
  });

  it('ends an ineligible claim after the checks, without a single task', async () => {
    // Prepare
    const { client, calls } = await startWorkflowService({ ms: Date.now() }, false);

    // Act
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: '{"caseId":"case-0"}' }),
    );
    const finished = await untilEnded(client, String(executionArn));

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls.map((call) => call.functionArn)).toEqual([asl.functions.checkEligibility]);
  });

  it('records a rejection when the provider or the district rejects', async () => {
    // Prepare
    const { client, calls } = await startWorkflowService({ ms: Date.now() });
    const byProvider = await client.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: '{"caseId":"case-2"}' }),
    );
    await decide(client, await nthTask(calls, 1), { outcome: 'reject', reason: '未入托' });
    const providerEnd = await untilEnded(client, String(byProvider.executionArn));
    const rejectedByProvider = calls.at(-1)?.payload;
    const byDistrict = await client.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: '{"caseId":"case-5"}' }),
    );

    // Act
    await decide(client, await nthTask(calls, 2), { outcome: 'approve' });
    await decide(client, await nthTask(calls, 3), { outcome: 'reject', reason: '户籍不符' });
    const districtEnd = await untilEnded(client, String(byDistrict.executionArn));

    // Assess
    expect(providerEnd.status).toBe('SUCCEEDED');
    expect(rejectedByProvider).toMatchObject({
      caseId: 'case-2',
      outcome: 'rejected',
      decision: { outcome: 'reject', reason: '未入托' },
    });
    expect(districtEnd.status).toBe('SUCCEEDED');
    expect(calls.at(-1)?.payload).toMatchObject({
      caseId: 'case-5',
      outcome: 'rejected',
      decision: { outcome: 'reject', reason: '户籍不符' },
    });
  });

  it('opens the family task with a fixed note when a request for information has no reason', async () => {
    // Prepare
    const { client, calls } = await startWorkflowService({ ms: Date.now() });
    await client.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: '{"caseId":"case-3"}' }),
    );

    // Act
    await decide(client, await nthTask(calls, 1), { outcome: 'request-info' });
    const familyTask = await nthTask(calls, 2);

    // Assess
    expect(taskShape(familyTask)).toEqual(family('case-3', missingReasonNote));
  });

  it('expires the claim when the family does not answer within 30 days', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const { service, client, calls } = await startWorkflowService(clock);
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: MACHINE_ARN, input: '{"caseId":"case-4"}' }),
    );
    await decide(client, await nthTask(calls, 1), { outcome: 'request-info', reason: '缺材料' });
    await nthTask(calls, 2);

    // Act
    clock.ms += 29 * DAY_MS;
    const firedEarly = service.fireDueTimeouts(new Date(clock.ms));
    clock.ms += 2 * DAY_MS;
    const firedLate = service.fireDueTimeouts(new Date(clock.ms));
    const finished = await untilEnded(client, String(executionArn));

    // Assess
    expect(firedEarly).toBe(0);
    expect(firedLate).toBe(1);
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls.at(-1)?.payload).toMatchObject({
      caseId: 'case-4',
      outcome: 'expired',
      decision: { Error: 'States.Timeout' },
    });
  });
});
