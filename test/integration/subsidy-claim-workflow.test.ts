import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiClient } from '../support/api-client.ts';
import { validClaimForm } from '../support/ids.ts';
import { eventually, localClients, openTaskOf } from '../support/local-aws-clients.ts';

const cloud = inject('cloud');
const api = new ApiClient(cloud.url);
const tableName = cloud.tables[0] ?? '';
const stateMachineArn = cloud.stateMachines.SubsidyClaim ?? '';
const { sfn, documents } = localClients(cloud.parts);

interface CaseBody {
  caseId: string;
  status: string;
  timeline: { type: string; toStatus?: string }[];
}

async function submitClaim(token: string): Promise<string> {
  const response = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
    token,
    body: validClaimForm(),
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(response.status).toBe(202);
  return response.body.caseId;
}

function executionArnOf(caseId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
}

async function finished(caseId: string) {
  return eventually(async () => {
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(caseId) }),
    );
    return execution.status === 'RUNNING' ? undefined : execution;
  });
}

describe('入托补助 workflow, as synthesized by CDK, on the local cloud', () => {
  let citizen: string;

  beforeAll(async () => {
    citizen = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
  });

  it('pauses at the provider’s confirmation and resumes on SendTaskSuccess', async () => {
    // Prepare
    const caseId = await submitClaim(citizen);
    const task = await eventually(() => openTaskOf(documents, tableName, caseId));
    const paused = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(caseId) }),
    );

    // Act
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: task.taskToken,
        output: JSON.stringify({ outcome: 'approve', decidedBy: 'provider-staff-1' }),
      }),
    );
    const execution = await finished(caseId);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: citizen });

    // Assess
    expect(task).toMatchObject({
      role: 'provider',
      taskType: 'confirm-enrollment',
      status: 'open',
    });
    expect(paused.status).toBe('RUNNING');
    expect(JSON.parse(paused.input ?? '{}')).toEqual({ caseId });
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('enrollment-confirmed');
    expect(view.body.timeline.map((e) => e.type)).toEqual([
      'case.submitted',
      'task.created',
      'case.enrollment-confirmed',
    ]);
  });

  it('routes SendTaskFailure to the rejection path', async () => {
    // Prepare
    const caseId = await submitClaim(citizen);
    const task = await eventually(() => openTaskOf(documents, tableName, caseId));

    // Act
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: task.taskToken,
        error: 'Rejected',
        cause: '未在本机构入托',
      }),
    );
    const execution = await finished(caseId);
    const view = await api.request<CaseBody>('GET', `/v1/cases/${caseId}`, { token: citizen });

    // Assess
    expect(execution.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('rejected');
  });

  it('fails the execution on an error the definition does not catch, and closes the token', async () => {
    // Prepare
    const caseId = await submitClaim(citizen);
    const task = await eventually(() => openTaskOf(documents, tableName, caseId));

    // Act
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: task.taskToken,
        error: 'ProviderSystemDown',
        cause: 'x',
      }),
    );
    const execution = await finished(caseId);
    const again = sfn.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' }));

    // Assess
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('ProviderSystemDown');
    await expect(again).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('records the execution history in Step Functions’ event types', async () => {
    // Prepare
    const caseId = await submitClaim(citizen);
    const task = await eventually(() => openTaskOf(documents, tableName, caseId));
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: task.taskToken,
        output: JSON.stringify({ outcome: 'reject' }),
      }),
    );
    await finished(caseId);

    // Act
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: executionArnOf(caseId) }),
    );

    // Assess
    const types = (history.events ?? []).map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    expect(types).toContain('TaskSucceeded');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });
});
