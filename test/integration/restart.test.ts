import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.ts';
import { ApiClient } from '../support/api-client.ts';
import { type CloudProcess, startCloudProcess } from '../support/cloud-process.ts';
import { eventually, localClients, openTaskOf } from '../support/local-aws-clients.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';

const { cdkOut } = inject('cloud');

/** Java processes of DynamoDB Local serving this data directory. */
async function dynamoDbProcessesFor(dataDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('DynamoDBLocal') && cmdline.includes(dataDir)) pids.push(Number(entry));
  }
  return pids;
}

describe('a paused execution survives a restart of the local cloud', () => {
  const running: CloudProcess[] = [];
  let dataDir = '';

  afterAll(async () => {
    for (const cloud of running) await cloud.kill('SIGKILL');
    // KEEP_TEST_DATA=1 keeps the data directory and the clouds' log for a post-mortem.
    if (dataDir && process.env.KEEP_TEST_DATA !== '1')
      await rm(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`restart test data kept in ${dataDir}`);
  });

  it('crash (SIGKILL), start again on the same data, send the token: the case completes', async () => {
    // Prepare
    dataDir = await mkdtemp(join(tmpdir(), 'shanyu-restart-'));
    const start = async () => {
      const cloud = await startCloudProcess({
        dataDir,
        port: await freePort(),
        cdkOut,
        synth: false,
        logFile: join(dataDir, 'local-cloud.log'),
      });
      running.push(cloud);
      return cloud;
    };
    const first = await start();
    const api = new ApiClient(first.url);
    const token = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });
    const providerId = await registerProvider(api);
    const child = await registerChild(api);
    const submitted = await api.request<{ caseId: string }>('POST', '/v1/subsidy-claims', {
      token,
      body: eligibleClaim(child, providerId),
      headers: { 'idempotency-key': randomUUID() },
    });
    const { caseId } = submitted.body;
    const before = localClients(first.health.parts);
    const tableName = first.health.tables[0] ?? '';
    const task = await eventually(() => openTaskOf(before.documents, tableName, caseId), {
      timeoutMs: 60_000,
    });
    const executionArn = `${(first.health.stateMachines.SubsidyClaim ?? '').replace(':stateMachine:', ':execution:')}:${caseId}`;

    // Act: a crash of the local cloud's process, leaving its Java child orphaned
    await first.crash();
    const orphans = await dynamoDbProcessesFor(dataDir);
    const second = await start();
    const after = localClients(second.health.parts);
    const resumed = await after.sfn.send(new DescribeExecutionCommand({ executionArn }));
    await after.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: task.taskToken,
        output: JSON.stringify({ outcome: 'reject', reason: '未在本园入托' }),
      }),
    );
    const done = await eventually(async () => {
      const execution = await after.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status === 'RUNNING' ? undefined : execution;
    });
    const view = await new ApiClient(second.url).request<{
      status: string;
      timeline: { type: string }[];
    }>('GET', `/v1/cases/${caseId}`, { token });
    await second.kill('SIGINT');
    const leftover = await dynamoDbProcessesFor(dataDir);

    // Assess
    expect(submitted.status).toBe(202);
    expect(orphans).toHaveLength(1);
    expect(resumed.status).toBe('RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('rejected');
    expect(view.body.timeline.map((e) => e.type)).toEqual([
      'case.submitted',
      'checks.passed',
      'task.created',
      'case.rejected',
    ]);
    expect(leftover).toEqual([]);
  });
});
