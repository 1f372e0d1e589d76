import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, arch as osArch, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { projectRoot } from '../test/support/cloud-process.ts';
import { benchPart } from './bench-part.ts';
import type { BenchPartInfo } from './parts.ts';

export const resultsPath = join(projectRoot, 'bench', 'results.json');
export const pagePath = join(projectRoot, 'docs', 'benchmarks.md');

/** The machine a run was made on: absolute figures mean nothing without it. */
export const machine = z.object({
  cpuModel: z.string(),
  cpuCount: z.number().int(),
  memoryGiB: z.number(),
  os: z.string(),
  node: z.string(),
  /** DynamoDB Local runs on it. */
  java: z.string(),
  /** `abc123def456`, with ` + uncommitted changes` when the work tree differs from it. */
  commit: z.string(),
});
export type Machine = z.infer<typeof machine>;

/** One part's last run: its figures, or why it produced none. */
export const partOutcome = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    ranAt: z.string(),
    commit: z.string(),
    result: benchPart,
  }),
  z.object({
    status: z.literal('failed'),
    ranAt: z.string(),
    commit: z.string(),
    key: z.string(),
    error: z.string(),
  }),
]);
export type PartOutcome = z.infer<typeof partOutcome>;

/** `bench/results.json`: the last run's date and machine, and every part's last outcome. */
export const benchResults = z.object({
  date: z.string(),
  machine,
  parts: z.record(z.string(), partOutcome),
});
export type BenchResults = z.infer<typeof benchResults>;

export class UnreadableResultsError extends Error {
  constructor(path: string, cause: unknown) {
    super(`${path} is not a results file this version can read; move it away to start afresh`, {
      cause,
    });
    this.name = 'UnreadableResultsError';
  }
}

/** What a command prints (stdout, else stderr: `java -version` answers there), if it runs. */
function commandOutput(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    encoding: 'utf8',
    // Status neither refreshes nor writes the index: the run only reads the repository.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout || result.stderr;
}

function javaVersion(): string {
  return commandOutput('java', ['-version'])?.split('\n')[0]?.trim() || 'not found';
}

function gitCommit(): string {
  const head = commandOutput('git', ['rev-parse', '--short=12', 'HEAD'])?.trim();
  if (!head || !/^[0-9a-f]+$/.test(head)) return 'unknown';
  const changes = commandOutput('git', ['status', '--porcelain', '--untracked-files=no']);
  return changes?.trim() ? `${head} + uncommitted changes` : head;
}

/** Describes this machine (and the commit checked out) as results.json records it. */
export function describeMachine(): Machine {
  const [cpu] = cpus();
  return {
    cpuModel: cpu?.model.trim() ?? 'unknown',
    cpuCount: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: `${platform()} ${release()} (${osArch()})`,
    node: process.version,
    java: javaVersion(),
    commit: gitCommit(),
  };
}

/** The results file as it stands, or nothing when there is none yet. */
export function readResults(path = resultsPath): BenchResults | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return benchResults.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new UnreadableResultsError(path, error);
  }
}

/**
 * The results after a run: this run's date and machine, each part it ran replaced by its new
 * outcome, the parts it did not run kept as they were (so one part can be re-run alone).
 */
export function mergeResults(
  existing: BenchResults | undefined,
  outcomes: readonly PartOutcome[],
  runMachine: Machine,
  date: Date,
): BenchResults {
  const parts = { ...existing?.parts };
  for (const outcome of outcomes) {
    parts[outcome.status === 'ok' ? outcome.result.key : outcome.key] = outcome;
  }
  return { date: date.toISOString(), machine: runMachine, parts };
}

/** A cell as Markdown: numbers with thousands separators, no pipe or line break to break the row. */
export function formatCell(cell: string | number): string {
  if (typeof cell === 'number') {
    return Number.isFinite(cell) ? cell.toLocaleString('en-US', { maximumFractionDigits: 3 }) : '–';
  }
  return cell.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A Markdown table; a column whose every filled cell is a number is right-aligned. */
export function markdownTable(table: {
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}): string {
  const numeric = table.columns.map((_, c) => {
    const cells = table.rows
      .map((row) => row[c])
      .filter((cell) => cell !== undefined && cell !== '');
    return cells.length > 0 && cells.every((cell) => typeof cell === 'number');
  });
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(table.columns.map(formatCell)),
    line(numeric.map((right) => (right ? '---:' : '---'))),
    ...table.rows.map((row) => line(table.columns.map((_, c) => formatCell(row[c] ?? '')))),
  ].join('\n');
}

/** The parts in the suite's order, then any others results.json holds, by key. */
export function orderedParts(
  results: BenchResults,
  suite: readonly BenchPartInfo[],
): BenchPartInfo[] {
  const extra = Object.keys(results.parts)
    .filter((key) => !suite.some((part) => part.key === key))
    .sort()
    .map((key) => ({ key, title: key, measures: '' }));
  return [...suite, ...extra];
}

function day(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function verdict(outcome: PartOutcome | undefined): string {
  if (!outcome) return 'not run yet';
  if (outcome.status === 'failed') return '⚠️ run failed';
  return outcome.result.target.met ? '✅ met' : '❌ not met';
}

function partSection(part: BenchPartInfo, outcome: PartOutcome | undefined): string {
  const title = outcome?.status === 'ok' ? outcome.result.title : part.title;
  const head = [`## ${title}`, ...(part.measures ? [`**What it shows.** ${part.measures}`] : [])];
  if (!outcome) return [...head, `Not run yet: \`npm run bench -- ${part.key}\`.`].join('\n\n');
  const ran = `*Ran ${day(outcome.ranAt)} at commit \`${outcome.commit}\`.*`;
  if (outcome.status === 'failed') {
    return [
      ...head,
      ran,
      `**The run failed**, so there are no figures: ${formatCell(outcome.error)}`,
    ].join('\n\n');
  }
  const { result } = outcome;
  const lines = [
    ...head,
    ran,
    `**How it is measured.** ${result.method}`,
    `**Target:** ${result.target.description} — **${result.target.met ? 'met' : 'not met'}**.`,
    markdownTable(result.table),
  ];
  if (result.notes.length > 0) {
    lines.push(`**Notes**\n\n${result.notes.map((note) => `- ${note}`).join('\n')}`);
  }
  return lines.join('\n\n');
}

/** `docs/benchmarks.md`: what each benchmark measures, on what machine, and what it found. */
export function formatBenchmarksPage(
  results: BenchResults,
  suite: readonly BenchPartInfo[],
): string {
  const parts = orderedParts(results, suite);
  const m = results.machine;
  const summaryRows = parts.map((part) => {
    const outcome = results.parts[part.key];
    const title = outcome?.status === 'ok' ? outcome.result.title : part.title;
    const target = outcome?.status === 'ok' ? outcome.result.target.description : '';
    return [title, target, verdict(outcome), outcome ? day(outcome.ranAt) : ''];
  });
  return `${[
    '# Benchmarks',
    '<!-- Written by `npm run bench` (bench/report.ts) from bench/results.json: edit those, not this page. -->',
    'How fast and how lean Shanyu is, in figures from runs that could have missed their targets. ' +
      'Every benchmark measures its own baseline in the same run (a floor function, a raw ' +
      'DynamoDB write, a smaller data set) and reports the ratio to it, so that a ratio holds ' +
      'even where the absolute figures depend on the machine described below. The benchmarks are ' +
      'never part of `npm test`: a missed target is a finding to act on, not a failed build.',
    '## Summary',
    markdownTable({ columns: ['benchmark', 'target', 'result', 'last run'], rows: summaryRows }),
    '## The machine',
    markdownTable({
      columns: ['', ''],
      rows: [
        ['last run', day(results.date)],
        ['CPU', `${m.cpuModel} × ${m.cpuCount}`],
        ['memory', `${m.memoryGiB} GiB`],
        ['OS', m.os],
        ['Node.js', m.node],
        ['Java (DynamoDB Local)', m.java],
        ['commit', `\`${m.commit}\``],
      ],
    }),
    'A part re-run alone keeps the others’ figures; each part says when and at which commit it ran.',
    '## How to re-run',
    [
      '```sh',
      `npm run bench                      # every part, in order: ${suite.map((p) => p.key).join(', ')}`,
      'npm run bench -- throughput        # only the parts named; the others keep their figures',
      'BENCH_CLAIMS=100 npm run bench -- throughput   # a smaller run while working on it',
      '```',
    ].join('\n'),
    'It synthesizes the app into `.shanyu/cdk.out-bench`, starts local clouds of its own (Java ' +
      'for DynamoDB Local, as `npm start`), writes `bench/results.json` and this page, and ' +
      'exits non-zero only if a part crashed. Run it on a quiet machine: the ratios are robust ' +
      'to noise, the absolute milliseconds are not.',
    ...parts.map((part) => partSection(part, results.parts[part.key])),
  ].join('\n\n')}\n`;
}

/** Writes results.json (formatted as `npm run lint` wants it) and the Markdown page. */
export function writeReport(results: BenchResults, suite: readonly BenchPartInfo[]): void {
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  spawnSync(
    join(projectRoot, 'node_modules', '.bin', 'biome'),
    ['format', '--write', resultsPath],
    {
      cwd: projectRoot,
      stdio: 'ignore',
    },
  );
  mkdirSync(dirname(pagePath), { recursive: true });
  writeFileSync(pagePath, formatBenchmarksPage(results, suite));
}
