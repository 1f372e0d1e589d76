import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../infra/local/free-port.ts';
import { type Health, projectRoot, startCloudProcess } from '../support/cloud-process.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cloud: Health & { url: string; cdkOut: string };
  }
}

/**
 * Integration tests share one local cloud, started the way `npm start` starts it, on a free port
 * with a throw-away data directory. It synthesizes once; tests that need their own cloud (the
 * restart test) reuse that assembly.
 */
export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'shanyu-test-'));
  const cdkOut = join(projectRoot, '.shanyu', 'cdk.out-test');
  const cloud = await startCloudProcess({
    dataDir,
    port: await freePort(),
    cdkOut,
    synth: true,
    // SHANYU_TEST_LOG keeps the cloud's log after the run (the data directory is removed).
    logFile: process.env.SHANYU_TEST_LOG ?? join(dataDir, 'local-cloud.log'),
  });
  project.provide('cloud', { ...cloud.health, url: cloud.url, cdkOut });
  return async () => {
    await cloud.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  };
}
