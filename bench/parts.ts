import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchPartRunner } from './bench-part.ts';

/**
 * The suite, in the order `npm run bench` runs it: one module per part, exporting `run`, and what
 * the part is for in a sentence a newcomer can follow (docs/benchmarks.md shows it even when the
 * part has not run).
 */
export const benchParts = [
  {
    key: 'coldStart',
    module: './cold-start.ts',
    title: 'Cold start per deployed function',
    measures:
      'How big each deployed function’s bundle is and how long a new Lambda sandbox takes to ' +
      'load it, compared with a function that only loads the DynamoDB client.',
  },
  {
    key: 'costPerCase',
    module: './cost-per-case.ts',
    title: 'Cost per case',
    measures:
      'What one case of each workflow costs in AWS: state transitions, Lambda invocations and ' +
      'their durations, DynamoDB capacity, priced per 10,000 cases.',
  },
  {
    key: 'throughput',
    module: './throughput.ts',
    title: 'Throughput and latency on the local cloud',
    measures:
      'How fast the API takes subsidy claims from many families at once, and how long they take ' +
      'to reach the provider, compared with a bare DynamoDB write.',
  },
  {
    key: 'scaling',
    module: './scaling.ts',
    title: 'Scaling with stored tasks',
    measures:
      'Whether an inbox page, a case-list page and a deadline sweep cost the same with ten times ' +
      'as many tasks stored.',
  },
] as const;

/** What docs/benchmarks.md needs to know of a part besides its results. */
export interface BenchPartInfo {
  readonly key: string;
  readonly title: string;
  readonly measures: string;
}

export type BenchPartEntry = (typeof benchParts)[number];
export const benchPartKeys: readonly string[] = benchParts.map((part) => part.key);

export class UnknownBenchPartError extends Error {
  constructor(names: readonly string[]) {
    super(`No benchmark part named ${names.join(', ')}; the parts are ${benchPartKeys.join(', ')}`);
    this.name = 'UnknownBenchPartError';
  }
}

export class BenchPartNotPresentError extends Error {
  constructor(part: BenchPartEntry) {
    super(`not present: bench/${part.module.slice(2)} does not exist yet`);
    this.name = 'BenchPartNotPresentError';
  }
}

export class InvalidBenchPartError extends Error {
  constructor(part: BenchPartEntry, problem: string) {
    super(`bench/${part.module.slice(2)} ${problem}`);
    this.name = 'InvalidBenchPartError';
  }
}

/** The parts named on the command line, in the suite's order; every part when none is named. */
export function selectParts(names: readonly string[]): BenchPartEntry[] {
  const unknown = names.filter((name) => !benchPartKeys.includes(name));
  if (unknown.length > 0) throw new UnknownBenchPartError(unknown);
  return names.length === 0
    ? [...benchParts]
    : benchParts.filter((part) => names.includes(part.key));
}

/**
 * The part's runner, imported only when it runs: a part whose module is missing (or broken)
 * fails alone, and the others still run.
 */
export async function loadPart(part: BenchPartEntry): Promise<BenchPartRunner> {
  const url = new URL(part.module, import.meta.url);
  if (!existsSync(fileURLToPath(url))) throw new BenchPartNotPresentError(part);
  const module = (await import(url.href)) as { run?: unknown };
  if (typeof module.run !== 'function') {
    throw new InvalidBenchPartError(part, 'exports no `run` function');
  }
  return module.run as BenchPartRunner;
}
