import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleImportError, errorLineOf, measureImportMs } from '../../../bench/init-time.ts';

describe('errorLineOf', () => {
  it('keeps the error line and skips a minified source line of any length', () => {
    // Prepare
    const stderr = [
      'file:///x/index.mjs:74',
      `var a=1;${'x'.repeat(5_000)}throw new Error("boom")`,
      '',
      'Error: SUBSIDY_CLAIM_STATE_MACHINE_ARN is not set',
      '    at oA (file:///x/index.mjs:74:44725)',
    ].join('\n');

    // Act
    const line = errorLineOf(stderr);

    // Assess
    expect(line).toBe('Error: SUBSIDY_CLAIM_STATE_MACHINE_ARN is not set');
  });

  it('falls back to the first short line', () => {
    // Act
    const line = errorLineOf('\nsomething was logged\nand more\n');

    // Assess
    expect(line).toBe('something was logged');
  });
});

describe('measureImportMs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-init-'));
    writeFileSync(join(dir, 'fine.mjs'), 'export const handler = () => process.env.ONLY_THIS;');
    writeFileSync(join(dir, 'logs.mjs'), 'console.error("[ERROR] Missing trace data");');
    writeFileSync(join(dir, 'throws.mjs'), 'throw new TypeError("TABLE_NAME is not set");');
    writeFileSync(
      join(dir, 'env.mjs'),
      'if (process.env.ONLY_THIS !== "1" || process.env.HOME) throw new Error("env leaked");',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a module in a fresh process with exactly the environment given', async () => {
    // Act
    const fine = await measureImportMs(process.execPath, join(dir, 'fine.mjs'), {});
    const env = await measureImportMs(process.execPath, join(dir, 'env.mjs'), { ONLY_THIS: '1' });

    // Assess
    expect(fine.importMs).toBeGreaterThan(0);
    expect(fine.stderr).toBeUndefined();
    expect(env.importMs).toBeGreaterThan(0);
  });

  it('reports what an import logged', async () => {
    // Act
    const logs = await measureImportMs(process.execPath, join(dir, 'logs.mjs'), {});

    // Assess
    expect(logs.stderr).toBe('[ERROR] Missing trace data');
  });

  it('fails with the error the import threw', async () => {
    // Act
    const run = measureImportMs(process.execPath, join(dir, 'throws.mjs'), {});

    // Assess
    await expect(run).rejects.toThrow(BundleImportError);
    await expect(run).rejects.toMatchObject({ detail: 'TypeError: TABLE_NAME is not set' });
  });
});
