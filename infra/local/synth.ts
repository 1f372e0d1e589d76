import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../app.ts';

/**
 * Synthesizes the CDK app in-process (no CLI, no credentials), so the local cloud runs exactly
 * the templates, state machine definitions and bundled functions that `cdk deploy` would ship.
 */
export function synthesize(outdir: string): string {
  // The CLI turns asset metadata on; in-process synthesis must ask for it, as the local cloud
  // finds each function's bundle through it.
  const assembly = buildApp({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } }).synth();
  return assembly.directory;
}

export function hasAssembly(outdir: string): boolean {
  return existsSync(join(outdir, 'manifest.json'));
}
