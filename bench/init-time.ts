import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** What the fresh process runs: import the bundle, call nothing, say how long the import took. */
const importScript = `
const started = performance.now();
await import(process.argv[1]);
const importMs = performance.now() - started;
process.stdout.write(JSON.stringify({ importMs }), () => process.exit(0));
`;

export class BundleImportError extends Error {
  constructor(
    modulePath: string,
    /** What the import threw, in one line. */
    readonly detail: string,
  ) {
    super(`Importing ${modulePath} failed: ${detail}`);
    this.name = 'BundleImportError';
  }
}

export interface ImportTiming {
  readonly importMs: number;
  /** The first line the import wrote to stderr (a warning, an error logged at init), if any. */
  readonly stderr?: string;
}

/**
 * The error line of a failed import (or of what an import logged). Node prints the offending source line first, and a
 * minified bundle is one line of hundreds of kilobytes: keep only the `…Error: message` line.
 */
export function errorLineOf(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line.length < 2_000);
  // Node prints what was thrown as `TypeError: message` at the start of a line.
  const thrown = lines.find((line) => /^[\w.]*Error\b[^:]*:/.test(line));
  const error = lines.find((line) => /\b\w*Error\b/.test(line));
  return (thrown ?? error ?? lines[0] ?? 'no output').slice(0, 500);
}

/**
 * Imports `modulePath` in a fresh Node process whose environment is exactly `env` (nothing
 * inherited, so that no NODE_OPTIONS or compile cache of ours skews it) and returns the import
 * time, measured in that process with `performance.now()`.
 */
export function measureImportMs(
  nodePath: string,
  modulePath: string,
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<ImportTiming> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      nodePath,
      ['--input-type=module', '-e', importScript, pathToFileURL(modulePath).href],
      { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Enough to find the error line; a minified source line can run to megabytes.
      if (stderr.length < 4_000_000) stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code !== 0) {
        reject(new BundleImportError(modulePath, signal ?? errorLineOf(stderr)));
        return;
      }
      let importMs: number;
      try {
        ({ importMs } = JSON.parse(stdout) as { importMs: number });
      } catch {
        reject(new BundleImportError(modulePath, `unreadable report: ${stdout.slice(0, 200)}`));
        return;
      }
      resolve(stderr.trim() === '' ? { importMs } : { importMs, stderr: errorLineOf(stderr) });
    });
  });
}
