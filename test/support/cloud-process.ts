import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Health {
  status: string;
  parts: { api: string; dynamodb: string; stepfunctions: string };
  tables: string[];
  stateMachines: Record<string, string>;
}

export interface CloudProcess {
  readonly url: string;
  readonly health: Health;
  readonly child: ChildProcess;
  /** Signals the whole process group (the local cloud and its Java child), as Ctrl-C does. */
  kill(signal: NodeJS.Signals): Promise<void>;
  /** Kills only the local cloud's own process, the way a crash would, leaving its children behind. */
  crash(): Promise<void>;
}

export interface StartCloudOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly cdkOut: string;
  readonly synth: boolean;
  readonly logFile: string;
  readonly timeoutMs?: number;
  /** Further settings of the local cloud (infra/local/local-config.ts). */
  readonly env?: Readonly<Record<string, string>>;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`local cloud exited early (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return (await response.json()) as Health;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`local cloud not healthy within ${timeoutMs} ms`);
}

/** Starts `infra/local/main.ts` in its own process group, as `npm start` would, and waits for /health. */
export async function startCloudProcess(options: StartCloudOptions): Promise<CloudProcess> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    ['--import', 'tsx', join(projectRoot, 'infra/local/main.ts')],
    {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: `${join(projectRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
        PORT: String(options.port),
        DATA_DIR: options.dataDir,
        SHANYU_CDK_OUT: options.cdkOut,
        SHANYU_SKIP_SYNTH: options.synth ? '0' : '1',
        FUNCTION_LOG_LEVEL: 'WARN',
        ...options.env,
      },
    },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const url = `http://127.0.0.1:${options.port}`;
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
    await exited;
  };
  const crash = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  try {
    const health = await waitForHealth(url, child, options.timeoutMs ?? 120_000);
    return { url, health, child, kill, crash };
  } catch (error) {
    await kill('SIGKILL');
    throw error;
  }
}
