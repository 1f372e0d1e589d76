import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionDocument } from '../../../../infra/local/stepfunctions/execution-document.ts';
import { ExecutionStore } from '../../../../infra/local/stepfunctions/execution-store.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-sfn-store-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function documentFor(name: string): ExecutionDocument {
  return {
    version: 1,
    record: {
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:Approval:${name}`,
      stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:Approval',
      name,
      input: '{}',
      status: 'RUNNING',
      startDate: 1,
    },
    history: [],
    journal: {},
    pending: {},
  };
}

describe('ExecutionStore', () => {
  it('keeps its token secret across openings of the same dataDir', async () => {
    // Prepare
    const first = await ExecutionStore.open(dataDir, () => {});

    // Act
    const second = await ExecutionStore.open(dataDir, () => {});

    // Assess
    expect(first.secret.length).toBe(32);
    expect(second.secret.equals(first.secret)).toBe(true);
  });

  it('lands the latest state of a document saved many times in a row', async () => {
    // Prepare
    const store = await ExecutionStore.open(dataDir, () => {});
    const document = documentFor('busy');

    // Act
    const saves: Promise<void>[] = [];
    for (let index = 0; index < 20; index += 1) {
      document.journal[`k#${index}`] = { kind: 'result', value: index };
      saves.push(store.save(document));
    }
    document.record.status = 'SUCCEEDED';
    saves.push(store.save(document));
    await Promise.all(saves);
    const [loaded] = await (await ExecutionStore.open(dataDir, () => {})).loadAll();

    // Assess
    expect(loaded?.record.status).toBe('SUCCEEDED');
    expect(Object.keys(loaded?.journal ?? {})).toHaveLength(20);
  });

  it('lets queued saves land on close and drops later ones', async () => {
    // Prepare
    const store = await ExecutionStore.open(dataDir, () => {});
    const document = documentFor('closing');
    void store.save(document);
    document.record.status = 'FAILED';
    void store.save(document);

    // Act
    await store.close();
    document.record.status = 'SUCCEEDED';
    await store.save(document);
    const [loaded] = await (await ExecutionStore.open(dataDir, () => {})).loadAll();

    // Assess
    expect(loaded?.record.status).toBe('FAILED');
  });

  it('loads whole documents only, removing leftovers of interrupted writes', async () => {
    // Prepare
    const store = await ExecutionStore.open(dataDir, () => {});
    await store.save(documentFor('kept'));
    const folder = join(dataDir, 'stepfunctions', 'executions');
    const leftover = join(folder, 'abc.json.123.1.tmp');
    await writeFile(leftover, '{"version":1,"rec');
    await writeFile(join(folder, 'broken.json'), '{');
    const lines: string[] = [];

    // Act
    const loaded = await (await ExecutionStore.open(dataDir, (line) => lines.push(line))).loadAll();

    // Assess
    expect(loaded.map((document) => document.record.name)).toEqual(['kept']);
    expect(existsSync(leftover)).toBe(false);
    expect(lines.some((line) => line.includes('broken.json'))).toBe(true);
    expect((await readdir(folder)).filter((entry) => entry.endsWith('.tmp'))).toEqual([]);
  });
});
