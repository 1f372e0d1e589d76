import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../infra/local/free-port.ts';
import { type CloudProcess, startCloudProcess } from '../test/support/cloud-process.ts';
import { benchAssembly } from './bench-assembly.ts';

export interface BenchCloud {
  readonly cloud: CloudProcess;
  /** The cloud's log, kept after the run (under the system's temporary directory). */
  readonly logFile: string;
  stop(): Promise<void>;
}

const running = new Set<BenchCloud>();

/** Stops every bench cloud still running (a part that threw, or Ctrl-C). */
export async function stopBenchClouds(): Promise<void> {
  await Promise.all([...running].map((cloud) => cloud.stop()));
}

/**
 * A local cloud of the benchmark's own, started as `npm start` starts it, on the benchmark
 * assembly and a throw-away data directory. Jobs run only when asked (`SCHEDULES=manual`) so
 * that nothing but the measured requests works on the table.
 */
export async function startBenchCloud(
  name: string,
  env: Readonly<Record<string, string>> = {},
): Promise<BenchCloud> {
  const cdkOut = await benchAssembly();
  const dataDir = await mkdtemp(join(tmpdir(), `shanyu-bench-${name}-`));
  const logFile = join(tmpdir(), `shanyu-bench-${name}.log`);
  const cloud = await startCloudProcess({
    dataDir,
    port: await freePort(),
    cdkOut,
    synth: false,
    logFile,
    // Two cores shared with other work: DynamoDB Local and the functions may take a while to start.
    timeoutMs: 300_000,
    env: { SCHEDULES: 'manual', ...env },
  });
  const bench: BenchCloud = {
    cloud,
    logFile,
    async stop() {
      running.delete(bench);
      await cloud.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  running.add(bench);
  return bench;
}
