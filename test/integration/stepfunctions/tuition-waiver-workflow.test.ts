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
import { type TuitionWaiverAsl, tuitionWaiverAsl } from './fixtures/tuition-waiver-asl.ts';

const MACHINE_ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Shanyu-Test-TuitionWaiver';

interface Call {
  functionArn: string;
  payload: Record<string, unknown>;
}

/** What the fake waiver check answers (check-waiver-eligibility's output). */
type CheckResult = Record<string, unknown> & {
  outcome: 'eligible' | 'needs-verification' | 'rejected';
};

const eligible: CheckResult = {
  outcome: 'eligible',
  policyVersion: '2026-09',
  category: 'dibao',
  percent: 100,
  months: ['2026-09', '2026-10', '2026-11'],
  cuts: [],
};
const needsVerification: CheckResult = {
  outcome: 'needs-verification',
  hukouDistrict: 'nanxun',
  note: '请核验困难家庭认定：类别 低保，证书编号 NX-2026-0001',
};
const rejected: CheckResult = { outcome: 'rejected', codes: ['CHILD_TOO_OLD'] };

let asl: TuitionWaiverAsl;
let dataDir: string;
const services: LocalStepFunctions[] = [];

beforeAll(() => {
  asl = tuitionWaiverAsl();
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-waiver-'));
});

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * The workflow on the local Step Functions, with fakes for its functions. The check answers
 * `checks` in order, the last one again once they run out.
 */
async function startWorkflowService(checks: CheckResult[]) {
  const calls: Call[] = [];
  const remaining = [...checks];
  const invokeLambda = async (functionArn: string, payload: unknown) => {
    const call = { functionArn, payload: payload as Record<string, unknown> };
    calls.push(call);
    const caseId = String(call.payload.caseId);
    switch (functionArn) {
      case asl.functions.createTask:
        return { taskId: `task-${calls.length}` };
      case asl.functions.recordOutcome:
        return { caseId, status: call.payload.outcome };
      case asl.functions.checkWaiver:
        return remaining.length > 1 ? remaining.shift() : remaining[0];
      case asl.functions.approveWaiver:
        return { caseId, status: 'approved' };
      default:
        throw new Error(`No fake for ${functionArn}`);
    }
  };
  const service = await createLocalStepFunctions({
    stateMachines: [
      { arn: MACHINE_ARN, name: 'Shanyu-Test-TuitionWaiver', definition: asl.definition },
    ],
    invokeLambda,
    dataDir,
  });
  services.push(service);
  const { url } = await service.listen(0);
  const client = new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  const start = async (caseId: string) => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: `${MACHINE_ARN}:live`,
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
    return String(executionArn);
  };
  return { client, calls, start };
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

const tasksOpened = (calls: readonly Call[]) =>
  calls.filter((call) => call.functionArn === asl.functions.createTask).map((call) => call.payload);

const callsTo = (calls: readonly Call[], functionArn: string) =>
  calls.filter((call) => call.functionArn === functionArn);

/** The payload of the `n`th task of `taskType` the workflow opened (1-based), once it is open. */
function taskOf(calls: readonly Call[], taskType: string, n = 1) {
  return until(
    () => tasksOpened(calls).filter((task) => task.taskType === taskType)[n - 1],
    `${taskType} task ${n}`,
  );
}

/** Answers a task as the API does: the decision with who made it and the task's id. */
async function decide(
  client: SFNClient,
  task: Record<string, unknown>,
  decision: { outcome: string; reason?: string; data?: object },
) {
  await client.send(
    new SendTaskSuccessCommand({
      taskToken: String(task.taskToken),
      output: JSON.stringify({ ...decision, decidedBy: 'staff-1', taskId: `T-${task.taskType}` }),
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

const tuition = { outcome: 'approve', data: { monthlyTuitionYuan: 2200, months: ['2026-09'] } };
const decided = (decision: object, taskType: string) => ({
  ...decision,
  decidedBy: 'staff-1',
  taskId: `T-${taskType}`,
});

describe('the 学费减免 workflow on the local Step Functions', () => {
  it('checks, has the provider confirm and the district approve, then approves once', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([eligible]);
    const executionArn = await start('TW-1');

    // Act
    await decide(client, await taskOf(calls, 'confirm-tuition'), tuition);
    await decide(client, await taskOf(calls, 'district-review'), {
      outcome: 'approve',
      reason: '材料齐全',
    });
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls[0]).toEqual({
      functionArn: asl.functions.checkWaiver,
      payload: { caseId: 'TW-1' },
    });
    expect(tasksOpened(calls).map(taskShape)).toEqual([
      { caseId: 'TW-1', taskType: 'confirm-tuition', role: 'provider', dueInWorkingDays: 5 },
      { caseId: 'TW-1', taskType: 'district-review', role: 'caseworker', dueInWorkingDays: 10 },
    ]);
    expect(callsTo(calls, asl.functions.approveWaiver)).toEqual([
      {
        functionArn: asl.functions.approveWaiver,
        payload: {
          caseId: 'TW-1',
          checks: eligible,
          enrollment: decided(tuition, 'confirm-tuition'),
          decision: decided({ outcome: 'approve', reason: '材料齐全' }, 'district-review'),
        },
      },
    ]);
    expect(callsTo(calls, asl.functions.recordOutcome)).toEqual([]);
  });

  it("asks the family's 户籍 district to verify the hardship status, then checks again with its finding", async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([needsVerification, eligible]);
    const executionArn = await start('TW-2');
    const finding = { category: 'dibao', validUntil: '2027-06-30' };

    // Act
    const verify = await taskOf(calls, 'verify-hardship');
    await decide(client, verify, { outcome: 'approve', data: finding });
    await decide(client, await taskOf(calls, 'confirm-tuition'), tuition);
    await decide(client, await taskOf(calls, 'district-review'), { outcome: 'approve' });
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(taskShape(verify)).toEqual({
      caseId: 'TW-2',
      taskType: 'verify-hardship',
      role: 'civil-affairs',
      dueInWorkingDays: 5,
      district: 'nanxun',
      note: needsVerification.note,
    });
    expect(callsTo(calls, asl.functions.checkWaiver).map((call) => call.payload)).toEqual([
      { caseId: 'TW-2' },
      { caseId: 'TW-2', hardshipVerified: finding },
    ]);
    expect(tasksOpened(calls).map((task) => task.taskType)).toEqual([
      'verify-hardship',
      'confirm-tuition',
      'district-review',
    ]);
    // The approval grants what the check after verification found, not the first one's verdict.
    expect(callsTo(calls, asl.functions.approveWaiver).map((call) => call.payload)).toEqual([
      expect.objectContaining({ caseId: 'TW-2', checks: eligible }),
    ]);
  });

  it('records the rejection when civil affairs does not confirm the hardship status', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([needsVerification]);
    const executionArn = await start('TW-3');
    const refusal = { outcome: 'reject', reason: '证书已注销' };

    // Act
    await decide(client, await taskOf(calls, 'verify-hardship'), refusal);
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(callsTo(calls, asl.functions.recordOutcome).map((call) => call.payload)).toEqual([
      { caseId: 'TW-3', outcome: 'rejected', decision: decided(refusal, 'verify-hardship') },
    ]);
    expect(callsTo(calls, asl.functions.checkWaiver)).toHaveLength(1);
    expect(tasksOpened(calls).map((task) => task.taskType)).toEqual(['verify-hardship']);
    expect(callsTo(calls, asl.functions.approveWaiver)).toEqual([]);
  });

  it('ends an application the check rejected, without a single task', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([rejected]);

    // Act
    const finished = await untilEnded(client, await start('TW-4'));

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    // The check recorded the rejection, with every reason, itself.
    expect(calls.map((call) => call.functionArn)).toEqual([asl.functions.checkWaiver]);
  });

  it('asks the family what the district needs, then has the district review again', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([eligible]);
    const executionArn = await start('TW-5');
    await decide(client, await taskOf(calls, 'confirm-tuition'), tuition);

    // Act
    await decide(client, await taskOf(calls, 'district-review'), {
      outcome: 'request-info',
      reason: '请补充低保证书复印件',
    });
    const family = await taskOf(calls, 'supply-info');
    await decide(client, family, { outcome: 'approve', data: { message: '已上传' } });
    await decide(client, await taskOf(calls, 'district-review', 2), { outcome: 'approve' });
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(taskShape(family)).toEqual({
      caseId: 'TW-5',
      taskType: 'supply-info',
      role: 'citizen',
      dueInWorkingDays: 10,
      note: '请补充低保证书复印件',
    });
    expect(tasksOpened(calls).map((task) => task.taskType)).toEqual([
      'confirm-tuition',
      'district-review',
      'supply-info',
      'district-review',
    ]);
    expect(callsTo(calls, asl.functions.approveWaiver)).toHaveLength(1);
    expect(callsTo(calls, asl.functions.approveWaiver)[0]?.payload.decision).toEqual(
      decided({ outcome: 'approve' }, 'district-review'),
    );
  });

  it('records the rejection when the provider says the child is not enrolled', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService([eligible]);
    const executionArn = await start('TW-6');
    const refusal = { outcome: 'reject', reason: '未在本园入托' };

    // Act
    await decide(client, await taskOf(calls, 'confirm-tuition'), refusal);
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(callsTo(calls, asl.functions.recordOutcome).map((call) => call.payload)).toEqual([
      { caseId: 'TW-6', outcome: 'rejected', decision: decided(refusal, 'confirm-tuition') },
    ]);
    expect(tasksOpened(calls).map((task) => task.taskType)).toEqual(['confirm-tuition']);
  });
});
