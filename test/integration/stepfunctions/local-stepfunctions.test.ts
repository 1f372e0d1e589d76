import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionDocument } from '../../../infra/local/stepfunctions/execution-document.ts';
import {
  createLocalStepFunctions,
  type LocalStepFunctions,
} from '../../../infra/local/stepfunctions/index.ts';
import { executionId } from '../../../infra/local/stepfunctions/task-token.ts';
import {
  APPROVAL_ARN,
  DELAYED_ARN,
  FUNCTIONS,
  fakeLambdas,
  HEARTBEAT_APPROVAL_ARN,
  type LambdaCall,
  QUICK_APPROVAL_ARN,
  STATE_MACHINES,
} from './fixtures/approval-workflow.ts';

const SERVICE_PROCESS = join(import.meta.dirname, 'fixtures', 'service-process.ts');

let dataDir: string;
const services: LocalStepFunctions[] = [];
const children: ChildProcess[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-sfn-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const service of services.splice(0)) await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

function clientFor(url: string): SFNClient {
  return new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
}

async function startService(now?: () => Date) {
  const lambdas = fakeLambdas();
  const logs: string[] = [];
  const service = await createLocalStepFunctions({
    stateMachines: STATE_MACHINES,
    invokeLambda: lambdas.invokeLambda,
    dataDir,
    log: (line) => logs.push(line),
    now,
  });
  services.push(service);
  const { url } = await service.listen(0);
  return { service, client: clientFor(url), calls: lambdas.calls, logs, url };
}

async function until<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 8000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function untilEnded(
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> {
  return until(async () => {
    const description = await client.send(new DescribeExecutionCommand({ executionArn }));
    return description.status === 'RUNNING' ? undefined : description;
  }, `the end of ${executionArn}`);
}

function tokenOf(calls: readonly LambdaCall[]): string | undefined {
  const call = calls.find((candidate) => candidate.functionArn === FUNCTIONS.createTask);
  return call ? String(call.payload.taskToken) : undefined;
}

function functionsCalled(calls: readonly LambdaCall[]): string[] {
  return calls.map((call) => call.functionArn);
}

async function historyTypes(client: SFNClient, executionArn: string): Promise<string[]> {
  const { events } = await client.send(
    new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
  );
  return (events ?? []).map((event) => String(event.type));
}

/** The execution as the service last wrote it to disk. */
function documentOnDisk(executionArn: string): ExecutionDocument | undefined {
  const file = join(dataDir, 'stepfunctions', 'executions', `${executionId(executionArn)}.json`);
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as ExecutionDocument)
    : undefined;
}

/** Starts an approval and waits until its token was issued, delivered and is on disk. */
async function startAndPause(
  client: SFNClient,
  calls: readonly LambdaCall[],
  caseId: string,
  stateMachineArn = APPROVAL_ARN,
) {
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, name: caseId, input: JSON.stringify({ caseId }) }),
  );
  const token = await until(() => tokenOf(calls), 'the task token');
  await until(
    () =>
      Object.values(documentOnDisk(String(executionArn))?.pending ?? {}).some(
        (task) => task.invoked,
      ),
    'the delivered token on disk',
  );
  return { executionArn: String(executionArn), token };
}

const SUCCESS_PATH = [
  'ExecutionStarted',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSucceeded',
  'TaskStateExited',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSubmitted',
  'TaskSucceeded',
  'TaskStateExited',
  'TaskStateEntered',
  'TaskScheduled',
  'TaskStarted',
  'TaskSucceeded',
  'TaskStateExited',
  'ExecutionSucceeded',
];

describe('local Step Functions through @aws-sdk/client-sfn', () => {
  it('pauses on a waitForTaskToken step and completes with the output sent to SendTaskSuccess', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(client, calls, 'case-1');
    const paused = await client.send(new DescribeExecutionCommand({ executionArn }));

    // Act
    await client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ outcome: 'approve', by: 'provider-7' }),
      }),
    );
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(paused.status).toBe('RUNNING');
    expect(token.length).toBeGreaterThanOrEqual(64);
    expect(finished.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(finished.output))).toEqual({
      caseId: 'case-1',
      case: { applicant: 'applicant of case-1' },
      approval: { outcome: 'approve', by: 'provider-7' },
      record: { recorded: 'approved' },
    });
    expect(functionsCalled(calls)).toEqual([
      FUNCTIONS.loadCase,
      FUNCTIONS.createTask,
      FUNCTIONS.recordOutcome,
    ]);
    const delivered = calls[1]?.payload ?? {};
    expect(delivered.executionArn).toBe(executionArn);
    expect(
      Math.abs(Date.parse(String(delivered.startedAt)) - Number(paused.startDate?.getTime())),
    ).toBeLessThan(2);
    expect(calls[2]?.payload.decision).toEqual({ outcome: 'approve', by: 'provider-7' });
    expect(finished.stopDate?.getTime()).toBeGreaterThanOrEqual(
      Number(paused.startDate?.getTime()),
    );
  });

  it('routes SendTaskFailure to the Catch on its error name', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(client, calls, 'case-2');

    // Act
    await client.send(
      new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not enrolled' }),
    );
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    const output = JSON.parse(String(finished.output));
    expect(output.error).toEqual({ Error: 'Rejected', Cause: 'not enrolled' });
    expect(output.record).toEqual({ recorded: 'rejected' });
    expect(calls.at(-1)?.payload).toEqual({
      caseId: 'case-2',
      outcome: 'rejected',
      decision: { Error: 'Rejected', Cause: 'not enrolled' },
    });
  });

  it('routes SendTaskFailure without an error to the States.TaskFailed Catch', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(client, calls, 'case-2b');

    // Act
    await client.send(new SendTaskFailureCommand({ taskToken: token }));
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(finished.status).toBe('FAILED');
    expect(finished.error).toBe('TaskBroken');
    expect(functionsCalled(calls)).not.toContain(FUNCTIONS.recordOutcome);
  });

  it('extends a waiting task with SendTaskHeartbeat and fails it when heartbeats stop', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const { service, client, calls } = await startService(() => new Date(clock.ms));
    const { executionArn, token } = await startAndPause(
      client,
      calls,
      'case-2c',
      HEARTBEAT_APPROVAL_ARN,
    );
    clock.ms += 50_000;
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));

    // Act
    clock.ms += 50_000;
    const firedWhileBeating = service.fireDueTimeouts(new Date(clock.ms));
    clock.ms += 20_000;
    const firedAfterSilence = service.fireDueTimeouts(new Date(clock.ms));
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(firedWhileBeating).toBe(0);
    expect(firedAfterSilence).toBe(1);
    // AWS: States.HeartbeatTimeout falls under the States.TaskFailed wildcard.
    expect(finished.error).toBe('TaskBroken');
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const timedOut = events?.find((event) => event.type === 'TaskTimedOut');
    expect(timedOut?.taskTimedOutEventDetails?.error).toBe('States.HeartbeatTimeout');
  });

  it('routes a task that outlives its TimeoutSeconds to the States.Timeout Catch, not States.TaskFailed', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(
      client,
      calls,
      'case-3',
      QUICK_APPROVAL_ARN,
    );

    // Act
    const finished = await untilEnded(client, executionArn);
    const lateAnswer = client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    const output = JSON.parse(String(finished.output));
    expect(output.error.Error).toBe('States.Timeout');
    expect(output.record).toEqual({ recorded: 'expired' });
    await expect(lateAnswer).rejects.toBeInstanceOf(TaskTimedOut);
    expect(await historyTypes(client, executionArn)).toContain('TaskTimedOut');
  });

  it('routes a Lambda error to the Catch on its error type', async () => {
    // Prepare
    const { client, calls } = await startService();

    // Act
    const { executionArn } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: APPROVAL_ARN,
        input: JSON.stringify({ caseId: 'missing' }),
      }),
    );
    const finished = await untilEnded(client, String(executionArn));

    // Assess
    expect(finished.status).toBe('FAILED');
    expect(finished.error).toBe('CaseMissing');
    expect(finished.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(functionsCalled(calls)).toEqual([FUNCTIONS.loadCase]);
    const types = await historyTypes(client, String(executionArn));
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'FailStateEntered',
      'ExecutionFailed',
    ]);
  });

  it('resumes a paused execution after close: the old token completes it and done steps are not re-run', async () => {
    // Prepare
    const first = await startService();
    const { executionArn, token } = await startAndPause(first.client, first.calls, 'case-4');
    await first.service.close();

    // Act
    const second = await startService();
    await second.service.resumed;
    await second.client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ outcome: 'approve' }),
      }),
    );
    const finished = await untilEnded(second.client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(finished.output)).case).toEqual({ applicant: 'applicant of case-4' });
    expect(functionsCalled(first.calls)).toEqual([FUNCTIONS.loadCase, FUNCTIONS.createTask]);
    expect(functionsCalled(second.calls)).toEqual([FUNCTIONS.recordOutcome]);
    expect(second.logs).toContain('[sfn] Approval/case-4 resumed');
    expect(await historyTypes(second.client, executionArn)).toEqual(SUCCESS_PATH);
  });

  it('accepts the answer sent right after a restart, before the replay reached the task', async () => {
    // Prepare
    const first = await startService();
    const { executionArn, token } = await startAndPause(first.client, first.calls, 'case-4b');
    await first.service.close();

    // Act
    const second = await startService();
    await second.client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ outcome: 'approve' }),
      }),
    );
    await second.service.resumed;
    const finished = await untilEnded(second.client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(finished.output)).approval).toEqual({ outcome: 'approve' });
    expect(functionsCalled(second.calls)).toEqual([FUNCTIONS.recordOutcome]);
    expect(await historyTypes(second.client, executionArn)).toEqual(SUCCESS_PATH);
  });

  it('resumes a paused execution left by an instance that was abandoned without close', async () => {
    // Prepare
    const crashed = await startService();
    const { executionArn, token } = await startAndPause(crashed.client, crashed.calls, 'case-5');

    // Act
    const second = await startService();
    await second.service.resumed;
    const resumed = await second.client.send(new DescribeExecutionCommand({ executionArn }));
    await second.client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ outcome: 'approve' }),
      }),
    );
    const finished = await untilEnded(second.client, executionArn);

    // Assess
    expect(resumed.status).toBe('RUNNING');
    expect(finished.status).toBe('SUCCEEDED');
    expect(functionsCalled(crashed.calls)).toEqual([FUNCTIONS.loadCase, FUNCTIONS.createTask]);
    expect(functionsCalled(second.calls)).toEqual([FUNCTIONS.recordOutcome]);
    expect(await historyTypes(second.client, executionArn)).toEqual(SUCCESS_PATH);
  });

  it('resumes a paused execution after its process was killed with SIGKILL', async () => {
    // Prepare
    const callsFile = join(dataDir, 'child-calls.jsonl');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', SERVICE_PROCESS, dataDir, callsFile],
      {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    if (!child.stdout) throw new Error('The child has no stdout');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const childClient = clientFor(JSON.parse(line).url);
    const childCalls = () =>
      existsSync(callsFile)
        ? readFileSync(callsFile, 'utf8')
            .trim()
            .split('\n')
            .map((entry) => JSON.parse(entry) as LambdaCall)
        : [];
    const { executionArn } = await childClient.send(
      new StartExecutionCommand({
        stateMachineArn: APPROVAL_ARN,
        name: 'case-6',
        input: '{"caseId":"case-6"}',
      }),
    );
    const token = await until(() => tokenOf(childCalls()), 'the token issued by the child');
    await until(
      () =>
        Object.values(documentOnDisk(String(executionArn))?.pending ?? {}).some(
          (task) => task.invoked,
        ),
      'the delivered token on disk',
    );
    child.kill('SIGKILL');
    await once(child, 'exit');

    // Act
    const second = await startService();
    await second.service.resumed;
    await second.client.send(
      new SendTaskSuccessCommand({
        taskToken: token,
        output: JSON.stringify({ outcome: 'approve' }),
      }),
    );
    const finished = await untilEnded(second.client, String(executionArn));

    // Assess
    expect(child.signalCode).toBe('SIGKILL');
    expect(finished.status).toBe('SUCCEEDED');
    expect(functionsCalled(childCalls())).toEqual([FUNCTIONS.loadCase, FUNCTIONS.createTask]);
    expect(functionsCalled(second.calls)).toEqual([FUNCTIONS.recordOutcome]);
    expect(await historyTypes(second.client, String(executionArn))).toEqual(SUCCESS_PATH);
  }, 30_000);

  it('keeps counting a task deadline from its original entry across a restart', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const now = () => new Date(clock.ms);
    const first = await startService(now);
    const { executionArn } = await startAndPause(first.client, first.calls, 'case-7');
    await first.service.close();
    clock.ms += 3_600_000;

    // Act
    const second = await startService(now);
    await second.service.resumed;
    const finished = await untilEnded(second.client, executionArn);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(finished.output)).error.Error).toBe('States.Timeout');
    expect(functionsCalled(second.calls)).toEqual([FUNCTIONS.recordOutcome]);
    expect(second.calls[0]?.payload.outcome).toBe('expired');
  });

  it('fires deadlines a hand-moved clock jumped over with fireDueTimeouts', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const { service, client, calls } = await startService(() => new Date(clock.ms));
    const { executionArn } = await startAndPause(client, calls, 'case-8');
    clock.ms += 3_600_000;

    // Act
    const fired = service.fireDueTimeouts(new Date(clock.ms));
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(fired).toBe(1);
    expect(JSON.parse(String(finished.output)).record).toEqual({ recorded: 'expired' });
  });

  it('resumes a Wait state after a restart without restarting the wait', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const now = () => new Date(clock.ms);
    const first = await startService(now);
    const { executionArn } = await first.client.send(
      new StartExecutionCommand({
        stateMachineArn: DELAYED_ARN,
        name: 'case-9',
        input: '{"caseId":"case-9"}',
      }),
    );
    await until(
      () =>
        Object.values(documentOnDisk(String(executionArn))?.journal ?? {}).some(
          (entry) => entry.kind === 'wait',
        ),
      'the wait on disk',
    );
    await first.service.close();
    clock.ms += 3_600_000;

    // Act
    const second = await startService(now);
    await second.service.resumed;
    const finished = await untilEnded(second.client, String(executionArn));

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    expect(JSON.parse(String(finished.output))).toEqual({
      caseId: 'case-9',
      case: { caseId: 'case-9', applicant: 'applicant of case-9' },
      status: 'done',
    });
    expect(functionsCalled(first.calls)).toEqual([FUNCTIONS.loadCase]);
    expect(second.calls).toEqual([]);
    expect(await historyTypes(second.client, String(executionArn))).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('times the whole execution out after the top-level TimeoutSeconds', async () => {
    // Prepare
    const clock = { ms: Date.now() };
    const { service, client } = await startService(() => new Date(clock.ms));
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn: DELAYED_ARN, input: '{"caseId":"case-9b"}' }),
    );
    await until(
      () =>
        Object.values(documentOnDisk(String(executionArn))?.journal ?? {}).some(
          (entry) => entry.kind === 'wait',
        ),
      'the wait on disk',
    );
    clock.ms += 7_200_000;

    // Act
    const fired = service.fireDueTimeouts(new Date(clock.ms));
    const finished = await untilEnded(client, String(executionArn));

    // Assess
    expect(fired).toBe(2);
    expect(finished.status).toBe('TIMED_OUT');
    expect(finished.error).toBe('States.Timeout');
    expect((await historyTypes(client, String(executionArn))).at(-1)).toBe('ExecutionTimedOut');
  });

  it('is idempotent by execution name like AWS', async () => {
    // Prepare
    const { client, calls } = await startService();
    const request = {
      stateMachineArn: APPROVAL_ARN,
      name: 'case-10',
      input: '{"caseId":"case-10"}',
    };
    const first = await client.send(new StartExecutionCommand(request));

    // Act
    const again = await client.send(
      new StartExecutionCommand({ ...request, input: '{ "caseId" : "case-10" }' }),
    );
    const otherInput = client.send(
      new StartExecutionCommand({ ...request, input: '{"caseId":"case-11"}' }),
    );

    // Assess
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:Approval:case-10',
    );
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(otherInput).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await until(() => tokenOf(calls), 'the task token');
    expect(functionsCalled(calls).filter((arn) => arn === FUNCTIONS.loadCase)).toHaveLength(1);
  });

  it('refuses the name of an execution that already ended, even with the same input', async () => {
    // Prepare
    const { client } = await startService();
    const request = {
      stateMachineArn: APPROVAL_ARN,
      name: 'case-11',
      input: '{"caseId":"missing"}',
    };
    const { executionArn } = await client.send(new StartExecutionCommand(request));
    await untilEnded(client, String(executionArn));

    // Act
    const again = client.send(new StartExecutionCommand(request));

    // Assess
    await expect(again).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('pages the history in both orders with ids and previous ids', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(client, calls, 'case-12');
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"outcome":"approve"}' }),
    );
    await untilEnded(client, executionArn);

    // Act
    const reversed: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: true,
          maxResults: 5,
          nextToken,
        }),
      );
      reversed.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);

    // Assess
    expect(reversed.map((event) => event.type)).toEqual([...SUCCESS_PATH].reverse());
    expect(reversed.map((event) => event.id)).toEqual(
      SUCCESS_PATH.map((_, index) => SUCCESS_PATH.length - index),
    );
    expect(reversed.every((event) => event.previousEventId === Number(event.id) - 1)).toBe(true);
    expect(reversed.every((event) => event.timestamp instanceof Date)).toBe(true);
    const scheduled = reversed.find(
      (event) =>
        event.type === 'TaskScheduled' &&
        event.taskScheduledEventDetails?.resource === 'invoke.waitForTaskToken',
    );
    expect(scheduled?.taskScheduledEventDetails?.timeoutInSeconds).toBe(3600);
    expect(
      JSON.parse(String(scheduled?.taskScheduledEventDetails?.parameters)).Payload.taskToken,
    ).toBe(token);
    const entered = reversed.filter((event) => event.type === 'TaskStateEntered');
    expect(entered.map((event) => event.stateEnteredEventDetails?.name)).toEqual([
      'RecordApproved',
      'AwaitApproval',
      'LoadCase',
    ]);
  });

  it('stops an execution, forgetting its pending token', async () => {
    // Prepare
    const { client, calls } = await startService();
    const { executionArn, token } = await startAndPause(client, calls, 'case-13');

    // Act
    await client.send(
      new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'by the parent' }),
    );
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));
    const answer = client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));
    const heartbeat = client.send(new SendTaskHeartbeatCommand({ taskToken: token }));

    // Assess
    expect(stopped.status).toBe('ABORTED');
    expect(stopped.error).toBe('Withdrawn');
    await expect(answer).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(heartbeat).rejects.toBeInstanceOf(TaskTimedOut);
    expect((await historyTypes(client, executionArn)).at(-1)).toBe('ExecutionAborted');
    expect(functionsCalled(calls)).not.toContain(FUNCTIONS.recordOutcome);
  });

  it('maps failures to the SDK exception classes', async () => {
    // Prepare
    const { client, url } = await startService();
    const unknownExecution = 'arn:aws:states:us-east-1:000000000000:execution:Approval:nobody';

    // Act
    const described = client.send(new DescribeExecutionCommand({ executionArn: unknownExecution }));
    const badToken = client.send(
      new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }),
    );
    const forged = client.send(
      new SendTaskSuccessCommand({ taskToken: 'A'.repeat(87), output: '{}' }),
    );
    const unknownMachine = client.send(
      new StartExecutionCommand({
        stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Nope',
      }),
    );
    const unknownAction = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.DoMagic',
      },
      body: '{}',
    });

    // Assess
    await expect(described).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(badToken).rejects.toBeInstanceOf(InvalidToken);
    await expect(forged).rejects.toBeInstanceOf(InvalidToken);
    await expect(unknownMachine).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    expect(unknownAction.status).toBe(400);
    expect(((await unknownAction.json()) as { __type: string }).__type).toMatch(
      /#UnknownOperationException$/,
    );
  });

  it('answers TaskDoesNotExist for a genuine-looking token of an execution it never had', async () => {
    // Prepare
    const first = await startService();
    const { token } = await startAndPause(first.client, first.calls, 'case-14');
    await first.service.close();
    await rm(join(dataDir, 'stepfunctions', 'executions'), { recursive: true });

    // Act
    const second = await startService();
    const answer = second.client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{}' }),
    );

    // Assess
    await expect(answer).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('lists executions by status and describes its state machines', async () => {
    // Prepare
    const { client, calls } = await startService();
    await startAndPause(client, calls, 'case-15');
    const { executionArn: failed } = await client.send(
      new StartExecutionCommand({
        stateMachineArn: APPROVAL_ARN,
        name: 'case-16',
        input: '{"caseId":"missing"}',
      }),
    );
    await untilEnded(client, String(failed));

    // Act
    const running = await client.send(
      new ListExecutionsCommand({ stateMachineArn: APPROVAL_ARN, statusFilter: 'RUNNING' }),
    );
    const all = await client.send(new ListExecutionsCommand({ stateMachineArn: APPROVAL_ARN }));
    const machine = await client.send(
      new DescribeStateMachineCommand({ stateMachineArn: APPROVAL_ARN }),
    );
    const machines = await client.send(new ListStateMachinesCommand({}));

    // Assess
    expect(running.executions?.map((execution) => execution.name)).toEqual(['case-15']);
    expect(all.executions?.map((execution) => execution.name).sort()).toEqual([
      'case-15',
      'case-16',
    ]);
    expect(JSON.parse(String(machine.definition)).StartAt).toBe('LoadCase');
    expect(machines.stateMachines?.map((item) => item.name)).toEqual([
      'Approval',
      'Delayed',
      'HeartbeatApproval',
      'QuickApproval',
    ]);
  });
});

describe('versions and aliases of the local Step Functions', () => {
  it('runs an execution started through an alias and reports the alias and its version', async () => {
    // Prepare
    const { client, calls } = await startService();
    const aliasArn = `${APPROVAL_ARN}:live`;

    // Act
    const { executionArn, token } = await startAndPause(client, calls, 'case-20', aliasArn);
    const running = await client.send(new DescribeExecutionCommand({ executionArn }));
    await client.send(
      new SendTaskSuccessCommand({ taskToken: token, output: '{"outcome":"approve"}' }),
    );
    const finished = await untilEnded(client, executionArn);

    // Assess
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Approval:case-20');
    expect(running.stateMachineArn).toBe(APPROVAL_ARN);
    expect(running.stateMachineVersionArn).toBe(`${APPROVAL_ARN}:1`);
    expect(running.stateMachineAliasArn).toBe(aliasArn);
    expect(finished.status).toBe('SUCCEEDED');
    expect(functionsCalled(calls)).toEqual([
      FUNCTIONS.loadCase,
      FUNCTIONS.createTask,
      FUNCTIONS.recordOutcome,
    ]);
  });

  it('reports only the version for an execution started through a version', async () => {
    // Prepare
    const { client, calls } = await startService();
    const versionArn = `${APPROVAL_ARN}:1`;

    // Act
    const { executionArn } = await startAndPause(client, calls, 'case-21', versionArn);
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));

    // Assess
    expect(executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:Approval:case-21');
    expect(described.stateMachineArn).toBe(APPROVAL_ARN);
    expect(described.stateMachineVersionArn).toBe(versionArn);
    expect(described.stateMachineAliasArn).toBeUndefined();
    expect(described.status).toBe('RUNNING');
  });

  it('reports neither for an execution started through the unqualified ARN', async () => {
    // Prepare
    const { client, calls } = await startService();

    // Act
    const { executionArn } = await startAndPause(client, calls, 'case-22');
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));

    // Assess
    expect(described.stateMachineArn).toBe(APPROVAL_ARN);
    expect(described.stateMachineVersionArn).toBeUndefined();
    expect(described.stateMachineAliasArn).toBeUndefined();
  });

  it('refuses versions and aliases the state machine does not have', async () => {
    // Prepare
    const { client } = await startService();
    const start = (stateMachineArn: string) =>
      client.send(new StartExecutionCommand({ stateMachineArn, input: '{"caseId":"x"}' }));

    // Act
    const otherVersion = start(`${APPROVAL_ARN}:2`);
    const otherAlias = start(`${APPROVAL_ARN}:beta`);
    const aliasOfUnknownMachine = start(
      'arn:aws:states:us-east-1:000000000000:stateMachine:Nope:live',
    );

    // Assess
    await expect(otherVersion).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(otherAlias).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(aliasOfUnknownMachine).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('accepts the aliases a state machine is given instead of live', async () => {
    // Prepare
    const lambdas = fakeLambdas();
    const service = await createLocalStepFunctions({
      stateMachines: STATE_MACHINES.map((machine) => ({ ...machine, aliases: ['prod'] })),
      invokeLambda: lambdas.invokeLambda,
      dataDir,
    });
    services.push(service);
    const client = clientFor((await service.listen(0)).url);
    const start = (stateMachineArn: string, name: string) =>
      client.send(new StartExecutionCommand({ stateMachineArn, name, input: '{"caseId":"y"}' }));

    // Act
    const prod = await start(`${APPROVAL_ARN}:prod`, 'case-23');
    const live = start(`${APPROVAL_ARN}:live`, 'case-24');

    // Assess
    expect(prod.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:Approval:case-23',
    );
    await expect(live).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('records the version and alias in ExecutionStarted and keeps them across a restart', async () => {
    // Prepare
    const first = await startService();
    const aliasArn = `${APPROVAL_ARN}:live`;
    const { executionArn } = await startAndPause(first.client, first.calls, 'case-25', aliasArn);
    await first.service.close();

    // Act
    const second = await startService();
    await second.service.resumed;
    const described = await second.client.send(new DescribeExecutionCommand({ executionArn }));
    const { events } = await second.client.send(new GetExecutionHistoryCommand({ executionArn }));

    // Assess
    expect(described.status).toBe('RUNNING');
    expect(described.stateMachineAliasArn).toBe(aliasArn);
    expect(described.stateMachineVersionArn).toBe(`${APPROVAL_ARN}:1`);
    expect(events?.[0]?.executionStartedEventDetails).toMatchObject({
      stateMachineAliasArn: aliasArn,
      stateMachineVersionArn: `${APPROVAL_ARN}:1`,
    });
  });

  it('lists by alias or version the executions started through it, and all by the machine', async () => {
    // Prepare
    const { client } = await startService();
    const aliasArn = `${APPROVAL_ARN}:live`;
    const versionArn = `${APPROVAL_ARN}:1`;
    const starts: [string, string][] = [
      [aliasArn, 'case-26'],
      [versionArn, 'case-27'],
      [APPROVAL_ARN, 'case-28'],
    ];
    for (const [stateMachineArn, name] of starts) {
      await client.send(
        new StartExecutionCommand({ stateMachineArn, name, input: '{"caseId":"missing"}' }),
      );
    }
    const names = async (stateMachineArn: string) =>
      (await client.send(new ListExecutionsCommand({ stateMachineArn }))).executions
        ?.map((execution) => execution.name)
        .sort();

    // Act
    const byAlias = await names(aliasArn);
    const byVersion = await names(versionArn);
    const all = await names(APPROVAL_ARN);
    const listed = await client.send(new ListExecutionsCommand({ stateMachineArn: aliasArn }));

    // Assess
    expect(byAlias).toEqual(['case-26']);
    expect(byVersion).toEqual(['case-26', 'case-27']);
    expect(all).toEqual(['case-26', 'case-27', 'case-28']);
    expect(listed.executions?.[0]).toMatchObject({
      stateMachineArn: APPROVAL_ARN,
      stateMachineAliasArn: aliasArn,
      stateMachineVersionArn: versionArn,
    });
  });
});
