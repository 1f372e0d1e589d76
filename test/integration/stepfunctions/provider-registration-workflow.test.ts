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
import {
  type ProviderRegistrationAsl,
  providerRegistrationAsl,
} from './fixtures/provider-registration-asl.ts';

const MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:Shanyu-Test-ProviderRegistration';
const HOUR_MS = 60 * 60 * 1000;

interface Call {
  functionArn: string;
  payload: Record<string, unknown>;
}

/** What the fake standards check answers (check-registration-standards' output). */
interface StandardsResult {
  compliant: boolean;
  findingCount: number;
  codes: string[];
  note?: string;
  amendTimeoutSeconds: number;
  reviews: { health: boolean; fire: boolean; market: boolean; inspection: boolean };
}

const everyReview = { health: true, fire: true, market: true, inspection: true };
const compliant: StandardsResult = {
  compliant: true,
  findingCount: 0,
  codes: [],
  amendTimeoutSeconds: 21 * 24 * 60 * 60,
  reviews: everyReview,
};
const wanting: StandardsResult = {
  compliant: false,
  findingCount: 1,
  codes: ['STAFF_RATIO_LOW'],
  note: '保育人员配比不足：托小班 1:5',
  amendTimeoutSeconds: 21 * 24 * 60 * 60,
  reviews: everyReview,
};

let asl: ProviderRegistrationAsl;
let dataDir: string;
const services: LocalStepFunctions[] = [];

beforeAll(() => {
  asl = providerRegistrationAsl();
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-registration-'));
});

afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * The workflow on the local Step Functions, with fakes for its functions. The standards check
 * answers `checks` in order, the last one again once they run out.
 */
async function startWorkflowService(clock: { ms: number }, checks: StandardsResult[]) {
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
      case asl.functions.checkStandards:
        return remaining.length > 1 ? remaining.shift() : remaining[0];
      case asl.functions.applyAmendment:
        return { caseId };
      case asl.functions.issueReceipt:
        return { receiptNumber: `HZTY-20261128-${caseId}` };
      case asl.functions.registerProvider:
        return { caseId, providerId: 'P-WX-0099', status: 'approved' };
      default:
        throw new Error(`No fake for ${functionArn}`);
    }
  };
  const service = await createLocalStepFunctions({
    stateMachines: [
      { arn: MACHINE_ARN, name: 'Shanyu-Test-ProviderRegistration', definition: asl.definition },
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
  return { service, client, calls, start };
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
  taskId = `T-${String(task.taskType)}`,
) {
  await client.send(
    new SendTaskSuccessCommand({
      taskToken: String(task.taskToken),
      output: JSON.stringify({ ...decision, decidedBy: 'staff-1', taskId }),
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

/** Sorted, to compare with tasks opened side by side in any order. */
const departmentTaskTypes = ['fire-review', 'health-review', 'market-review'];

describe('the 托育机构备案 workflow on the local Step Functions', () => {
  it('reviews in parallel (answered in any order), inspects, confirms and registers once', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService({ ms: Date.now() }, [compliant]);
    const executionArn = await start('PR-1');
    const health = await taskOf(calls, 'health-review');
    const fire = await taskOf(calls, 'fire-review');
    const market = await taskOf(calls, 'market-review');

    // Act: the departments answer in another order than their tasks were opened.
    await decide(client, market, { outcome: 'approve', data: { findings: ['营业执照有效'] } });
    await decide(client, fire, { outcome: 'approve' });
    await decide(client, health, { outcome: 'approve', reason: '卫生评价合格' });
    const inspection = await taskOf(calls, 'on-site-inspection');
    await decide(client, inspection, {
      outcome: 'approve',
      data: { inspectedOn: '2026-12-01', findings: [{ item: '消防通道', passed: true }] },
    });
    const city = await taskOf(calls, 'city-confirmation');
    await decide(client, city, { outcome: 'approve', reason: '同意备案' });
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls.slice(0, 2).map((call) => call.functionArn)).toEqual([
      asl.functions.checkStandards,
      asl.functions.issueReceipt,
    ]);
    expect(
      tasksOpened(calls)
        .slice(0, 3)
        .map((task) => task.taskType)
        .sort(),
    ).toEqual(departmentTaskTypes);
    expect(tasksOpened(calls).map(taskShape).slice(3)).toEqual([
      { caseId: 'PR-1', taskType: 'on-site-inspection', role: 'caseworker', dueInWorkingDays: 10 },
      {
        caseId: 'PR-1',
        taskType: 'city-confirmation',
        role: 'supervisor',
        dueInWorkingDays: 5,
        district: 'city',
      },
    ]);
    expect(callsTo(calls, asl.functions.registerProvider)).toEqual([
      {
        functionArn: asl.functions.registerProvider,
        payload: {
          caseId: 'PR-1',
          confirmation: {
            outcome: 'approve',
            reason: '同意备案',
            decidedBy: 'staff-1',
            taskId: 'T-city-confirmation',
          },
        },
      },
    ]);
    expect(callsTo(calls, asl.functions.recordOutcome)).toEqual([]);
    // The branches' results come back in branch order, whatever order they were answered in.
    const output = JSON.parse(String(finished.output));
    expect(
      output.reviews.map((review: { department: string; decision: { taskId: string } }) => [
        review.department,
        review.decision.taskId,
      ]),
    ).toEqual([
      ['health', 'T-health-review'],
      ['fire', 'T-fire-review'],
      ['market', 'T-market-review'],
    ]);
  });

  it('ends the filing on a fire rejection while the other departments still review', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService({ ms: Date.now() }, [compliant]);
    const executionArn = await start('PR-2');
    const health = await taskOf(calls, 'health-review');
    const fire = await taskOf(calls, 'fire-review');
    await taskOf(calls, 'market-review');

    // Act
    await decide(
      client,
      fire,
      { outcome: 'reject', reason: '疏散通道不足两条', data: { findings: ['仅一条疏散通道'] } },
      'T-fire-1',
    );
    const finished = await untilEnded(client, executionArn);
    const lateAnswer = await decide(client, health, { outcome: 'approve' }).then(
      () => 'accepted',
      (error: Error) => error.name,
    );

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(callsTo(calls, asl.functions.recordOutcome)).toEqual([
      {
        functionArn: asl.functions.recordOutcome,
        payload: {
          caseId: 'PR-2',
          outcome: 'rejected',
          decision: {
            outcome: 'reject',
            reason: '疏散通道不足两条',
            data: { findings: ['仅一条疏散通道'] },
            decidedBy: 'staff-1',
            taskId: 'T-fire-1',
          },
        },
      },
    ]);
    expect(tasksOpened(calls)).toHaveLength(3);
    expect(callsTo(calls, asl.functions.registerProvider)).toEqual([]);
    // AWS answers a token of a branch the Parallel state stopped with TaskTimedOut.
    expect(lateAnswer).toBe('TaskTimedOut');
  });

  it('sends a filing that falls short back to the provider, applies the amendment and checks again', async () => {
    // Prepare
    const { client, calls, start } = await startWorkflowService({ ms: Date.now() }, [
      wanting,
      compliant,
    ]);
    await start('PR-3');
    const amend = await taskOf(calls, 'amend-registration');
    const changes = { staff: [{ name: '沈丽华', role: 'caregiver' }] };

    // Act
    await decide(client, amend, { outcome: 'approve', data: { changes, message: '已增聘保育员' } });
    await taskOf(calls, 'health-review');

    // Assess
    expect(taskShape(amend)).toEqual({
      caseId: 'PR-3',
      taskType: 'amend-registration',
      role: 'provider',
      dueInWorkingDays: 15,
      note: wanting.note,
    });
    expect(calls.slice(0, 5).map((call) => call.functionArn)).toEqual([
      asl.functions.checkStandards,
      asl.functions.createTask,
      asl.functions.applyAmendment,
      asl.functions.checkStandards,
      asl.functions.issueReceipt,
    ]);
    expect(callsTo(calls, asl.functions.applyAmendment)[0]?.payload).toEqual({
      caseId: 'PR-3',
      decision: {
        outcome: 'approve',
        data: { changes, message: '已增聘保育员' },
        decidedBy: 'staff-1',
        taskId: 'T-amend-registration',
      },
    });
    expect(callsTo(calls, asl.functions.checkStandards).map((call) => call.payload)).toEqual([
      { caseId: 'PR-3' },
      { caseId: 'PR-3' },
    ]);
  });

  it('reviews a change only where it needs: health, then the city, without a visit', async () => {
    // Prepare
    const change: StandardsResult = {
      ...compliant,
      reviews: { health: true, fire: false, market: false, inspection: false },
    };
    const { client, calls, start } = await startWorkflowService({ ms: Date.now() }, [change]);
    const executionArn = await start('PR-4');
    const health = await taskOf(calls, 'health-review');

    // Act
    await decide(client, health, { outcome: 'approve' });
    const city = await taskOf(calls, 'city-confirmation');
    await decide(client, city, { outcome: 'approve' });
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(tasksOpened(calls).map((task) => task.taskType)).toEqual([
      'health-review',
      'city-confirmation',
    ]);
    expect(callsTo(calls, asl.functions.registerProvider)).toHaveLength(1);
    expect(JSON.parse(String(finished.output)).reviews).toEqual([
      {
        department: 'health',
        decision: { outcome: 'approve', decidedBy: 'staff-1', taskId: 'T-health-review' },
      },
      { department: 'fire', skipped: true },
      { department: 'market', skipped: true },
    ]);
  });

  it('expires the filing when the provider does not amend within the time the check gave', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const shortly: StandardsResult = { ...wanting, amendTimeoutSeconds: 2 * 3600 };
    const { service, client, calls, start } = await startWorkflowService(clock, [shortly]);
    const executionArn = await start('PR-5');
    await taskOf(calls, 'amend-registration');

    // Act
    clock.ms += 2 * HOUR_MS - 1000;
    const firedEarly = service.fireDueTimeouts(new Date(clock.ms));
    clock.ms += 2000;
    const firedLate = service.fireDueTimeouts(new Date(clock.ms));
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(firedEarly).toBe(0);
    expect(firedLate).toBe(1);
    expect(finished.status).toBe('SUCCEEDED');
    expect(calls.at(-1)?.functionArn).toBe(asl.functions.recordOutcome);
    expect(calls.at(-1)?.payload).toMatchObject({
      caseId: 'PR-5',
      outcome: 'expired',
      decision: { Error: 'States.Timeout' },
    });
    expect(callsTo(calls, asl.functions.applyAmendment)).toEqual([]);
  });
});
