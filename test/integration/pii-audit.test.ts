import { randomInt, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.ts';
import { ApiClient } from '../support/api-client.ts';
import { type CloudProcess, startCloudProcess } from '../support/cloud-process.ts';
import { occurrencesOf, validIdNumbersIn } from '../support/id-number-scan.ts';
import { bornMonthsAgo, idNumberFor, monthAgo } from '../support/ids.ts';
import { eventually, localClients, openTaskOfType } from '../support/local-aws-clients.ts';
import { readyFiling } from '../support/registration-fixtures.ts';
import { eligibleClaim, registerChild, registerProvider } from '../support/registry-fixtures.ts';

/*
 * Issue 8: no 身份证 number in logs or in Step Functions execution history. A cloud of its own,
 * with the functions at DEBUG (the shared one runs them at WARN), so that every line any handler
 * can write for this scenario is written: a subsidy claim through the provider's confirmation and
 * the district's approval, a tuition waiver to its first task, and a provider-registration filing
 * to its receipt. Then its log and its executions' histories are searched for the numbers the
 * forms carried, and for any valid number at all.
 */

const { cdkOut } = inject('cloud');

interface Scenario {
  /** Every 身份证 number any form of the scenario carried. */
  readonly idNumbers: string[];
  /** Each case the scenario started, with the name of its state machine. */
  readonly executions: { machine: string; caseId: string }[];
}

const executionArnOf = (machineArn: string, caseId: string) =>
  `${machineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;

async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, nextToken }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** Every file under `directory`, as text with its path relative to it. */
async function filesUnder(directory: string): Promise<{ path: string; text: string }[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path: path.slice(directory.length + 1), text: await readFile(path, 'utf8') };
      }),
  );
}

/**
 * The log file once the stopped cloud's output has all been written: its pipes closed, and the
 * file no longer growing (the pipe into it writes asynchronously).
 */
async function settledLog(cloud: CloudProcess, file: string): Promise<string> {
  for (const stream of [cloud.child.stdout, cloud.child.stderr]) {
    if (stream && !stream.closed) await new Promise((resolve) => stream.once('close', resolve));
  }
  let previous = '';
  for (;;) {
    const text = await readFile(file, 'utf8');
    if (text === previous) return text;
    previous = text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The three cases, driven through the API as their people would. */
async function runScenario(cloud: CloudProcess): Promise<Scenario> {
  const api = new ApiClient(cloud.url);
  const { documents } = localClients(cloud.health.parts);
  const tableName = cloud.health.tables[0] ?? '';
  const openTask = (caseId: string, taskType: string) =>
    openTaskOfType(documents, tableName, caseId, taskType);
  const decide = (token: string, taskId: string, body: unknown) =>
    api.request('POST', `/v1/tasks/${taskId}/decision`, { token, body });
  const submit = (token: string, path: string, body: unknown) =>
    api.request<{ caseId: string }>('POST', path, {
      token,
      body,
      headers: { 'idempotency-key': randomUUID() },
    });
  const family = await api.token({ sub: `family-${randomUUID()}`, roles: ['citizen'] });

  // 入托补助: provider confirms, district approves.
  const claimProvider = await registerProvider(api, { district: 'wuxing' });
  const claimChild = await registerChild(api);
  const claim = eligibleClaim(claimChild, claimProvider);
  const claimed = await submit(family, '/v1/subsidy-claims', claim);
  if (claimed.status !== 202) throw new Error(`claim not accepted: ${claimed.status}`);
  const claimCase = claimed.body.caseId;
  const confirm = await openTask(claimCase, 'confirm-enrollment');
  const providerStaff = await api.token({
    sub: `${claimProvider}-staff`,
    roles: ['provider'],
    providerId: claimProvider,
  });
  await decide(providerStaff, confirm.taskId, {
    outcome: 'approve',
    data: { monthlyFeeYuan: 1500, months: claim.months },
  });
  const review = await openTask(claimCase, 'district-review');
  const caseworker = await api.token({
    sub: 'wx-cw-pii',
    roles: ['caseworker'],
    district: 'wuxing',
  });
  await decide(caseworker, review.taskId, { outcome: 'approve', reason: '材料齐全，符合条件' });

  // 学费减免: a 低保 guardian known to civil affairs, to the provider's confirmation task.
  const waiverProvider = await registerProvider(api, { district: 'wuxing', inclusive: false });
  const waiverChild = await registerChild(api, { birthDate: bornMonthsAgo(14) });
  const guardian = {
    idNumber: idNumberFor(`1990${String(randomInt(1, 13)).padStart(2, '0')}15`),
    name: '沈秀英',
    phone: '13857200001',
  };
  const resident = await api.request('POST', '/dev/registry/residents', {
    body: {
      idNumber: guardian.idNumber,
      name: guardian.name,
      hukouDistrict: 'wuxing',
      hardship: { category: 'dibao', validUntil: `${monthAgo(-24)}-28` },
    },
  });
  if (resident.status !== 201) throw new Error(`guardian not registered: ${resident.status}`);
  const waived = await submit(family, '/v1/tuition-waivers', {
    child: waiverChild,
    guardian,
    providerId: waiverProvider,
    hardship: { category: 'dibao', certificateNo: 'HZ-DB-2026-0012' },
    term: { from: monthAgo(0), to: monthAgo(-2) },
    monthlyTuitionYuan: 1600,
    milkSubsidy: true,
  });
  if (waived.status !== 202) throw new Error(`waiver not accepted: ${waived.status}`);
  const waiverCase = waived.body.caseId;
  await openTask(waiverCase, 'confirm-tuition');

  // 托育机构备案: a compliant filing, to its receipt (the department reviews then open).
  const filingProviderId = `P-R${randomUUID().slice(0, 8).toUpperCase()}`;
  const filer = await api.token({
    sub: `${filingProviderId}-admin`,
    roles: ['provider'],
    providerId: filingProviderId,
  });
  const filing = await readyFiling(api, filer, {});
  const filed = await submit(filer, '/v1/provider-registrations', filing);
  if (filed.status !== 202) throw new Error(`filing not accepted: ${filed.status}`);
  const filingCase = filed.body.caseId;
  await openTask(filingCase, 'health-review');

  // Notifications go to the log locally: send what the three cases queued.
  await api.request('POST', '/dev/jobs/SendNotifications', { body: {} });

  return {
    idNumbers: [
      claimChild.idNumber,
      claim.guardian.idNumber,
      waiverChild.idNumber,
      guardian.idNumber,
      filing.organisation.legalRepresentative.idNumber,
      ...filing.staff.map((member) => member.idNumber),
    ],
    executions: [
      { machine: 'SubsidyClaim', caseId: claimCase },
      { machine: 'TuitionWaiver', caseId: waiverCase },
      { machine: 'ProviderRegistration', caseId: filingCase },
    ],
  };
}

describe('no 身份证 number reaches the logs or the execution history', () => {
  let dataDir = '';
  let cloud: CloudProcess | undefined;
  let scenario: Scenario;
  let log = '';
  /** Execution ARN → its history, as GetExecutionHistory gives it. */
  const histories = new Map<string, HistoryEvent[]>();
  const statuses = new Map<string, string | undefined>();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shanyu-pii-'));
    cloud = await startCloudProcess({
      dataDir,
      port: await freePort(),
      cdkOut,
      synth: false,
      logFile: join(dataDir, 'local-cloud.log'),
      env: { FUNCTION_LOG_LEVEL: 'DEBUG' },
    });
    scenario = await runScenario(cloud);
    const { sfn } = localClients(cloud.health.parts);
    for (const { machine, caseId } of scenario.executions) {
      const executionArn = executionArnOf(cloud.health.stateMachines[machine] ?? '', caseId);
      // The claim ends on its own after the approval; wait for it, so its whole run is searched.
      const execution = await eventually(async () => {
        const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        return machine === 'SubsidyClaim' && described.status === 'RUNNING' ? undefined : described;
      });
      statuses.set(machine, execution.status);
      histories.set(executionArn, await historyOf(sfn, executionArn));
    }
    // Stopped before reading, so that every line the functions wrote is in the file.
    await cloud.kill('SIGTERM');
    log = await settledLog(cloud, join(dataDir, 'local-cloud.log'));
  }, 300_000);

  afterAll(async () => {
    await cloud?.kill('SIGKILL');
    // KEEP_TEST_DATA=1 keeps the data directory and the cloud's log for a post-mortem.
    if (dataDir && process.env.KEEP_TEST_DATA !== '1')
      await rm(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`PII audit data kept in ${dataDir}`);
  });

  it('ran the scenario with the functions logging at DEBUG', () => {
    // Assess: the cases got where they should, and the functions' lines are in the log
    expect(scenario.idNumbers.length).toBeGreaterThanOrEqual(9);
    expect(Object.fromEntries(statuses)).toEqual({
      SubsidyClaim: 'SUCCEEDED',
      TuitionWaiver: 'RUNNING',
      ProviderRegistration: 'RUNNING',
    });
    for (const message of ['Eligibility checked', 'Task open', 'Receipt issued', 'Claim approved'])
      expect(log).toContain(message);
  });

  it('leaves no number of the forms, and no valid number at all, in the cloud’s log', () => {
    // Act
    const used = occurrencesOf(scenario.idNumbers, log);
    const any = validIdNumbersIn(log);

    // Assess
    expect(used).toEqual([]);
    expect(any).toEqual([]);
  });

  it('passes no number between states: every event of every execution’s history is clean', () => {
    // Prepare
    expect(histories.size).toBe(3);

    // Act
    const found = [...histories].flatMap(([executionArn, events]) =>
      events.flatMap((event) => {
        const text = JSON.stringify(event);
        return [...occurrencesOf(scenario.idNumbers, text), ...validIdNumbersIn(text)].map(
          (finding) => ({ executionArn, event: event.id, type: event.type, ...finding }),
        );
      }),
    );

    // Assess
    expect(found).toEqual([]);
  });

  it('keeps no number in the local Step Functions journal either', async () => {
    // Prepare
    const files = await filesUnder(join(dataDir, 'stepfunctions'));

    // Act
    const found = files.flatMap(({ path, text }) =>
      [...occurrencesOf(scenario.idNumbers, text), ...validIdNumbersIn(text)].map((finding) => ({
        path,
        ...finding,
      })),
    );

    // Assess
    expect(files.length).toBeGreaterThan(0);
    expect(found).toEqual([]);
  });
});
