import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchPartInfo } from '../../../bench/parts.ts';
import {
  type BenchResults,
  formatBenchmarksPage,
  formatCell,
  type Machine,
  markdownTable,
  mergeResults,
  orderedParts,
  type PartOutcome,
  readResults,
  UnreadableResultsError,
} from '../../../bench/report.ts';

const machine: Machine = {
  cpuModel: 'AMD EPYC 7B13',
  cpuCount: 2,
  memoryGiB: 23.5,
  os: 'linux 6.1.0 (x64)',
  node: 'v22.23.3',
  java: 'openjdk version "17.0.15" 2025-04-15',
  commit: 'abc123def456',
};

function ok(key: string, met: boolean, ranAt = '2026-11-28T10:00:00.000Z'): PartOutcome {
  return {
    status: 'ok',
    ranAt,
    commit: 'abc123def456',
    result: {
      key,
      title: `Title of ${key}`,
      method: `How ${key} is measured.`,
      target: { description: `${key} ≤ 1.5×`, met },
      table: { columns: ['function', 'ms'], rows: [['get-me', 1234.5]] },
      figures: { ms: 1234.5 },
      notes: [`A note on ${key}`],
    },
  };
}

const failed: PartOutcome = {
  status: 'failed',
  ranAt: '2026-11-28T11:00:00.000Z',
  commit: 'abc123def456',
  key: 'costPerCase',
  error: 'BenchPartNotPresentError: not present: bench/cost-per-case.ts does not exist yet',
};

const suite = ['coldStart', 'costPerCase', 'throughput', 'scaling'].map((key) => ({
  key,
  title: `Catalogue title of ${key}`,
  measures: `What ${key} shows.`,
})) as [BenchPartInfo, BenchPartInfo, BenchPartInfo, BenchPartInfo];

describe('mergeResults', () => {
  it('replaces the parts that ran, keeps the others, and takes the new date and machine', () => {
    // Prepare
    const existing: BenchResults = {
      date: '2026-11-01T00:00:00.000Z',
      machine: { ...machine, commit: 'old' },
      parts: { coldStart: ok('coldStart', false), throughput: ok('throughput', true) },
    };
    const rerun = ok('coldStart', true, '2026-11-28T12:00:00.000Z');

    // Act
    const merged = mergeResults(
      existing,
      [rerun, failed],
      machine,
      new Date('2026-11-28T12:30:00Z'),
    );

    // Assess
    expect(merged.date).toBe('2026-11-28T12:30:00.000Z');
    expect(merged.machine.commit).toBe('abc123def456');
    expect(merged.parts.coldStart).toEqual(rerun);
    expect(merged.parts.throughput).toEqual(existing.parts.throughput);
    expect(merged.parts.costPerCase).toEqual(failed);
  });

  it('starts from nothing when there are no results yet', () => {
    // Act
    const merged = mergeResults(undefined, [ok('scaling', true)], machine, new Date(0));

    // Assess
    expect(Object.keys(merged.parts)).toEqual(['scaling']);
  });
});

describe('formatCell and markdownTable', () => {
  it('groups thousands, keeps decimals, and never lets a cell break its row', () => {
    // Act
    const cells = [
      formatCell(1234.5),
      formatCell(0.12345),
      formatCell(Number.NaN),
      formatCell('a | b\nc'),
    ];

    // Assess
    expect(cells).toEqual(['1,234.5', '0.123', '–', 'a \\| b c']);
  });

  it('right-aligns the columns that hold only numbers', () => {
    // Act
    const table = markdownTable({
      columns: ['function', 'KB', 'ratio'],
      rows: [
        ['get-me', 650.5, 1.2],
        ['worst', '', 'n/a'],
      ],
    });

    // Assess
    expect(table.split('\n')).toEqual([
      '| function | KB | ratio |',
      '| --- | ---: | --- |',
      '| get-me | 650.5 | 1.2 |',
      '| worst |  | n/a |',
    ]);
  });
});

describe('orderedParts', () => {
  it('lists the suite in its order, then any other part results.json holds', () => {
    // Prepare
    const results = mergeResults(
      undefined,
      [ok('zeta', true), ok('throughput', true), ok('alpha', true)],
      machine,
      new Date(0),
    );

    // Act
    const keys = orderedParts(results, [suite[0], suite[2]]).map((part) => part.key);

    // Assess
    expect(keys).toEqual(['coldStart', 'throughput', 'alpha', 'zeta']);
  });
});

describe('formatBenchmarksPage', () => {
  const results = mergeResults(
    undefined,
    [ok('coldStart', false), ok('throughput', true), failed],
    machine,
    new Date('2026-11-28T12:30:00Z'),
  );

  it('describes the machine and the date, and how to re-run', () => {
    // Act
    const page = formatBenchmarksPage(results, suite);

    // Assess
    expect(page).toMatch(/^# Benchmarks\n/);
    expect(page).toContain('| CPU | AMD EPYC 7B13 × 2 |');
    expect(page).toContain('| memory | 23.5 GiB |');
    expect(page).toContain('| Java (DynamoDB Local) | openjdk version "17.0.15" 2025-04-15 |');
    expect(page).toContain('| last run | 2026-11-28 12:30 UTC |');
    expect(page).toContain('`abc123def456`');
    expect(page).toContain('npm run bench -- throughput');
  });

  it('gives every part its verdict in the summary, in the suite’s order', () => {
    // Act
    const page = formatBenchmarksPage(results, suite);

    // Assess
    const summary = page.slice(page.indexOf('## Summary'), page.indexOf('## The machine'));
    expect(
      summary.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---')),
    ).toEqual([
      '| benchmark | target | result | last run |',
      '| Title of coldStart | coldStart ≤ 1.5× | ❌ not met | 2026-11-28 10:00 UTC |',
      '| Catalogue title of costPerCase |  | ⚠️ run failed | 2026-11-28 11:00 UTC |',
      '| Title of throughput | throughput ≤ 1.5× | ✅ met | 2026-11-28 10:00 UTC |',
      '| Catalogue title of scaling |  | not run yet |  |',
    ]);
  });

  it('shows each part’s method, target, table and notes; a failure with its error', () => {
    // Act
    const page = formatBenchmarksPage(results, suite);

    // Assess
    expect(page).toContain('## Title of coldStart\n\n**What it shows.** What coldStart shows.');
    expect(page).toContain('**How it is measured.** How coldStart is measured.');
    expect(page).toContain('**Target:** coldStart ≤ 1.5× — **not met**.');
    expect(page).toContain('**Target:** throughput ≤ 1.5× — **met**.');
    expect(page).toContain('| get-me | 1,234.5 |');
    expect(page).toContain('- A note on coldStart');
    expect(page).toContain('**The run failed**, so there are no figures: BenchPartNotPresentError');
    expect(page).toContain(
      '## Catalogue title of scaling\n\n**What it shows.** What scaling shows.\n\nNot run yet: `npm run bench -- scaling`.',
    );
    expect(page.indexOf('## Title of coldStart')).toBeLessThan(
      page.indexOf('## Catalogue title of costPerCase'),
    );
    expect(page.indexOf('## Catalogue title of costPerCase')).toBeLessThan(
      page.indexOf('## Title of throughput'),
    );
  });
});

describe('readResults', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads what mergeResults wrote, and nothing where there is no file', () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const path = join(dir, 'results.json');
    const results = mergeResults(undefined, [ok('coldStart', true), failed], machine, new Date(0));
    writeFileSync(path, JSON.stringify(results));

    // Act
    const read = readResults(path);
    const none = readResults(join(dir, 'missing.json'));

    // Assess
    expect(read).toEqual(results);
    expect(none).toBeUndefined();
  });

  it('refuses a file it cannot read rather than overwrite it', () => {
    // Prepare
    dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const path = join(dir, 'results.json');
    writeFileSync(path, JSON.stringify({ date: 'x', parts: {} }));

    // Act
    const read = () => readResults(path);

    // Assess
    expect(read).toThrow(UnreadableResultsError);
  });
});
