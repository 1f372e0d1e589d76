import { join } from 'node:path';
import { hasAssembly, synthesize } from '../infra/local/synth.ts';
import { projectRoot } from '../test/support/cloud-process.ts';

/** The benchmarks' own cloud assembly: never one a test run or `npm start` is writing. */
export const benchCdkOut = join(projectRoot, '.shanyu', 'cdk.out-bench');

let synthesized: Promise<string> | undefined;

/**
 * Synthesizes the app into `.shanyu/cdk.out-bench` once per run, so every part measures the
 * bundles this commit would deploy. `BENCH_REUSE_SYNTH=1` keeps an assembly already there
 * (while working on the benchmarks themselves; never for published figures).
 */
export function benchAssembly(): Promise<string> {
  synthesized ??= Promise.resolve().then(() => {
    if (process.env.BENCH_REUSE_SYNTH === '1' && hasAssembly(benchCdkOut)) return benchCdkOut;
    console.log(`[bench] synthesizing the app into ${benchCdkOut}`);
    return synthesize(benchCdkOut);
  });
  return synthesized;
}
