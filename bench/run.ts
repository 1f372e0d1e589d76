import { stopBenchClouds } from './bench-cloud.ts';
import { type BenchPartResult, benchPart } from './bench-part.ts';
import { type BenchPartEntry, benchParts, loadPart, selectParts } from './parts.ts';
import {
  describeMachine,
  mergeResults,
  type PartOutcome,
  pagePath,
  readResults,
  resultsPath,
  writeReport,
} from './report.ts';

/**
 * `npm run bench [part…]`: runs the benchmark parts (all, or those named) one after another,
 * writing bench/results.json and docs/benchmarks.md after each, so that a crash keeps what ran.
 * Exits non-zero only when a part crashed; a missed target is a result, not an error.
 */

async function runPart(part: BenchPartEntry, commit: string): Promise<PartOutcome> {
  const ranAt = new Date().toISOString();
  try {
    const runner = await loadPart(part);
    const result: BenchPartResult = benchPart.parse(await runner());
    if (result.key !== part.key) throw new Error(`returned key ${result.key}, not ${part.key}`);
    return { status: 'ok', ranAt, commit, result };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { status: 'failed', ranAt, commit, key: part.key, error: message };
  }
}

async function main(): Promise<number> {
  const selected = selectParts(process.argv.slice(2));
  const machine = describeMachine();
  // Fails before any part runs if results.json cannot be read (rather than overwrite it later).
  readResults();
  let crashed = 0;
  for (const part of selected) {
    const started = performance.now();
    console.log(`[bench] ${part.key}: running`);
    const outcome = await runPart(part, machine.commit);
    const seconds = Math.round((performance.now() - started) / 1000);
    if (outcome.status === 'failed') {
      crashed++;
      console.error(`[bench] ${part.key}: FAILED after ${seconds} s: ${outcome.error}`);
    } else {
      const { target } = outcome.result;
      console.log(
        `[bench] ${part.key}: done in ${seconds} s; target ${target.met ? 'met' : 'NOT met'}: ${target.description}`,
      );
    }
    // Read again: another run (of another part) may have written since this one started.
    writeReport(mergeResults(readResults(), [outcome], machine, new Date()), benchParts);
  }
  console.log(`[bench] wrote ${resultsPath} and ${pagePath}`);
  return crashed > 0 ? 1 : 0;
}

// Local clouds run in process groups of their own: Ctrl-C must stop them too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopBenchClouds().finally(() => process.exit(130));
  });
}

main()
  .then((code) => stopBenchClouds().then(() => code))
  .then(
    // Exit even if a part left a socket open: every figure is written by now.
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      void stopBenchClouds().finally(() => process.exit(2));
    },
  );
