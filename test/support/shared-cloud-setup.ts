import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/local/free-port.ts';
import { type Health, projectRoot, startCloudProcess } from './cloud-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cloud: Health & { url: string; cdkOut: string; dataDir: string };
  }
}

export interface SharedCloudOptions {
  /** Names the assembly directory (`.shanyu/cdk.out-<name>`) and the data directory. */
  readonly name: string;
  /** Further settings of the local cloud (infra/local/local-config.ts). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A vitest global setup that starts one local cloud the way `npm start` starts it, on a free port
 * with a throw-away data directory, and provides it to the project's files as `cloud`. It
 * synthesizes into an assembly of its own, so that two projects' setups never write one directory.
 */
export function sharedCloudSetup(options: SharedCloudOptions) {
  return async function setup(project: TestProject) {
    const dataDir = await mkdtemp(join(tmpdir(), `shanyu-${options.name}-`));
    const cdkOut = join(projectRoot, '.shanyu', `cdk.out-${options.name}`);
    const cloud = await startCloudProcess({
      dataDir,
      port: await freePort(),
      cdkOut,
      synth: true,
      // Synthesizing (bundling every function) comes first: minutes on a busy 2-core machine.
      timeoutMs: 420_000,
      // SHANYU_TEST_LOG keeps the cloud's log after the run (the data directory is removed).
      logFile: process.env.SHANYU_TEST_LOG ?? join(dataDir, 'local-cloud.log'),
      ...(options.env ? { env: options.env } : {}),
    });
    project.provide('cloud', { ...cloud.health, url: cloud.url, cdkOut, dataDir });
    return async () => {
      await cloud.kill('SIGTERM');
      await rm(dataDir, { recursive: true, force: true });
    };
  };
}
