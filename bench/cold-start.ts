import { mkdir, readFile, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type LocalFunction, loadCloudModel } from '../infra/local/cloud-assembly.ts';
import { projectRoot } from '../test/support/cloud-process.ts';
import { benchAssembly } from './bench-assembly.ts';
import type { BenchPart, BenchPartRunner } from './bench-part.ts';
import {
  type BundleShare,
  bundleShares,
  describeShares,
  entryOfSources,
  folderOf,
} from './bundle-contents.ts';
import { lambdaBundleOptions } from './floor/lambda-bundle-options.ts';
import { BundleImportError, measureImportMs } from './init-time.ts';
import { commonEnvironment, plausible, sandboxEnvironment } from './sandbox-environment.ts';
import { median, round } from './stats.ts';
import { type InitCall, type StubAwsEndpoint, startStubAwsEndpoint } from './stub-aws-endpoint.ts';

/** The target: no function's init more than 1.5× the floor's. */
const targetRatio = 1.5;
/** Node 22 as the project pins it (the `node` package), not whatever `node` is on the PATH. */
const nodePath = join(projectRoot, 'node_modules', 'node', 'bin', 'node');
const floorEntry = join(projectRoot, 'bench', 'floor', 'floor-handler.ts');
const floorDir = join(projectRoot, '.shanyu', 'bench-floor');

interface Bundle {
  /** As shown in the table: the handler's source file, e.g. `http/submit-subsidy-claim`. */
  readonly name: string;
  readonly logicalId: string;
  /** The handler's source file, relative to the project root (read from the source map). */
  readonly entry: string | undefined;
  readonly modulePath: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The source map next to it, which Node reads at import under --enable-source-maps. */
  readonly mapBytes: number;
  readonly env: Record<string, string>;
}

interface Measured extends Bundle {
  readonly samples: number[];
  /** The floor's runs, each taken just before one of this bundle's. */
  readonly floorSamples: number[];
  error?: string;
  /** What the import logged to stderr, if anything (the first such line seen). */
  logged?: string;
}

/** Runs per bundle: the issue asks for a median of at least 10. */
function runsPerBundle(): number {
  const runs = Number(process.env.BENCH_COLD_RUNS ?? 10);
  return Number.isInteger(runs) && runs > 0 ? runs : 10;
}

async function sizes(modulePath: string) {
  const code = await readFile(modulePath);
  const map = await stat(`${modulePath}.map`).catch(() => undefined);
  return {
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    mapBytes: map?.size ?? 0,
  };
}

async function deployedBundle(fn: LocalFunction, awsEndpoint: string): Promise<Bundle> {
  const modulePath = join(fn.assetDir, `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.mjs`);
  const map = JSON.parse(await readFile(`${modulePath}.map`, 'utf8')) as { sources: string[] };
  const entry = entryOfSources(map.sources);
  return {
    name: entry?.replace(/^functions\//, '').replace(/\.ts$/, '') ?? fn.logicalId,
    logicalId: fn.logicalId,
    entry,
    modulePath,
    ...(await sizes(modulePath)),
    env: {
      ...sandboxEnvironment(fn.functionName, fn.memorySize, fn.assetDir, awsEndpoint),
      ...plausible(fn.environment),
    },
  };
}

/** Bundles the floor with the deployed functions' esbuild options, next to them in the project. */
async function floorBundle(defaults: Record<string, string>, awsEndpoint: string): Promise<Bundle> {
  await mkdir(floorDir, { recursive: true });
  const modulePath = join(floorDir, 'index.mjs');
  await build({
    ...lambdaBundleOptions,
    entryPoints: [floorEntry],
    absWorkingDir: projectRoot,
    outfile: modulePath,
    logLevel: 'silent',
  });
  return {
    name: 'floor (DynamoDB client only)',
    logicalId: 'Floor',
    entry: 'bench/floor/floor-handler.ts',
    modulePath,
    ...(await sizes(modulePath)),
    env: {
      ...sandboxEnvironment('Floor', 512, floorDir, awsEndpoint),
      ...plausible(defaults),
    },
  };
}

/**
 * Rebuilds a function's handler with the floor's options (in memory): identical bytes prove the
 * options still match the deployed ones, and the metafile says what the bundle is made of.
 */
async function rebuild(
  bundle: Bundle,
): Promise<{ identical: boolean; shares: BundleShare[]; folders: BundleShare[] }> {
  if (!bundle.entry) return { identical: false, shares: [], folders: [] };
  const result = await build({
    ...lambdaBundleOptions,
    entryPoints: [join(projectRoot, bundle.entry)],
    absWorkingDir: projectRoot,
    outfile: join(floorDir, 'rebuild', 'index.mjs'),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.mjs'));
  const deployed = await readFile(bundle.modulePath);
  return {
    identical: code !== undefined && Buffer.compare(Buffer.from(code.contents), deployed) === 0,
    shares: bundleShares(result.metafile),
    folders: bundleShares(result.metafile, folderOf),
  };
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Every round imports each bundle once, in a new random order, each right after a floor run:
 * whatever else the machine is doing slows a bundle and the floor it is compared with alike.
 * One unmeasured round first, so that no bundle pays for a cold file cache.
 */
async function measureAll(
  label: string,
  stub: StubAwsEndpoint,
  floor: Bundle,
  bundles: readonly Bundle[],
  runs: number,
) {
  const measured: Measured[] = bundles.map((b) => ({ ...b, samples: [], floorSamples: [] }));
  for (let round = 0; round <= runs; round++) {
    for (const bundle of shuffled(measured)) {
      if (bundle.error) continue;
      try {
        stub.current = floor.name;
        const floorRun = await measureImportMs(nodePath, floor.modulePath, floor.env);
        stub.current = bundle.name;
        const run = await measureImportMs(nodePath, bundle.modulePath, bundle.env);
        bundle.logged ??= run.stderr;
        if (round === 0) continue;
        bundle.floorSamples.push(floorRun.importMs);
        bundle.samples.push(run.importMs);
      } catch (error) {
        bundle.error = error instanceof BundleImportError ? error.detail : String(error);
      }
    }
    if (round > 0) console.log(`[bench] ${label}: round ${round} of ${runs}`);
  }
  return measured;
}

/**
 * The worst function again with NODE_OPTIONS=--enable-source-maps left out, for it and its floor:
 * Node then reads no source map at import, and the difference says what the maps cost at init.
 */
async function withoutSourceMaps(
  stub: StubAwsEndpoint,
  floor: Bundle,
  bundle: Bundle,
  runs: number,
) {
  const strip = ({ NODE_OPTIONS: _, ...env }: Record<string, string>) => env;
  const [measured] = await measureAll(
    'cold start without source maps',
    stub,
    { ...floor, env: strip(floor.env) },
    [{ ...bundle, env: strip(bundle.env) }],
    runs,
  );
  if (!measured || measured.error || measured.samples.length === 0) return undefined;
  const initMs = median(measured.samples);
  const floorMs = median(measured.floorSamples);
  return { name: bundle.name, initMs, floorMs, ratio: initMs / floorMs };
}

const kb = (bytes: number) => round(bytes / 1024, 1);

export const run: BenchPartRunner = async (): Promise<BenchPart> => {
  const stub = await startStubAwsEndpoint();
  try {
    return await measureColdStarts(stub);
  } finally {
    await stub.close();
  }
};

/** Which AWS calls each bundle made while loading, e.g. `secretsmanager.GetSecretValue`. */
function callsByBundle(calls: readonly InitCall[]): Map<string, string[]> {
  const byBundle = new Map<string, string[]>();
  for (const { bundle, operation } of calls) {
    const seen = byBundle.get(bundle) ?? [];
    if (!seen.includes(operation)) seen.push(operation);
    byBundle.set(bundle, seen);
  }
  return byBundle;
}

async function measureColdStarts(stub: StubAwsEndpoint): Promise<BenchPart> {
  const loadAtStart = loadavg()[0] ?? 0;
  const cdkOut = await benchAssembly();
  const model = await loadCloudModel(cdkOut);
  const bundles = await Promise.all(model.functions.map((fn) => deployedBundle(fn, stub.url)));
  const floor = await floorBundle(
    commonEnvironment(model.functions.map((f) => f.environment)),
    stub.url,
  );
  const rebuilt = new Map<string, Awaited<ReturnType<typeof rebuild>>>();
  for (const bundle of bundles) rebuilt.set(bundle.logicalId, await rebuild(bundle));
  const runs = runsPerBundle();
  console.log(
    `[bench] cold start: ${bundles.length} functions and the floor, ${runs} runs each (+1 warm-up)`,
  );
  const measured = await measureAll('cold start', stub, floor, bundles, runs);
  const initCalls = callsByBundle(stub.calls);

  const floorAll = measured.flatMap((m) => m.floorSamples);
  const floorMs = floorAll.length > 0 ? median(floorAll) : Number.NaN;
  const results = measured
    .map((m) => {
      const ok = !m.error && m.samples.length > 0;
      const initMs = ok ? median(m.samples) : undefined;
      const pairedFloorMs = ok ? median(m.floorSamples) : undefined;
      return {
        name: m.name,
        logicalId: m.logicalId,
        entry: m.entry,
        bytes: m.bytes,
        gzipBytes: m.gzipBytes,
        mapBytes: m.mapBytes,
        initMsMedian: initMs,
        floorMsMedian: pairedFloorMs,
        ratio: initMs !== undefined && pairedFloorMs ? initMs / pairedFloorMs : undefined,
        initMsSamples: m.samples.map((s) => round(s, 1)),
        error: m.error,
        loggedAtInit: m.logged,
        awsCallsAtInit: initCalls.get(m.name) ?? [],
        rebuiltIdentical: rebuilt.get(m.logicalId)?.identical ?? false,
      };
    })
    .sort((a, b) => (b.ratio ?? Number.POSITIVE_INFINITY) - (a.ratio ?? Number.POSITIVE_INFINITY));
  const ratios = results.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
  const failed = results.filter((r) => r.error);
  const worstRatio = ratios.length > 0 ? Math.max(...ratios) : Number.NaN;
  const medianRatio = ratios.length > 0 ? median(ratios) : Number.NaN;
  const missing = results.filter((r) => r.ratio !== undefined && r.ratio > targetRatio);
  const identical = results.filter((r) => r.rebuiltIdentical).length;
  const worst = results[0]?.ratio === undefined ? undefined : results[0];
  const worstBundle = bundles.find((b) => b.logicalId === worst?.logicalId);
  const sourceMapsOff = worstBundle?.env.NODE_OPTIONS?.includes('--enable-source-maps')
    ? await withoutSourceMaps(stub, floor, worstBundle, runs)
    : undefined;

  const notes: string[] = [];
  if (identical !== results.length) {
    notes.push(
      `Only ${identical} of ${results.length} bundles came out byte-identical when rebuilt with ` +
        "the floor's esbuild options (bench/floor/lambda-bundle-options.ts) from the sources as " +
        'they are now: the assembly is older than the sources (BENCH_REUSE_SYNTH=1), or the ' +
        'options have drifted from infra/constructs/shanyu-function.ts and the ratios compare ' +
        'unlike builds.',
    );
  } else {
    notes.push(
      `All ${identical} bundles came out byte-identical when rebuilt with the floor's esbuild ` +
        'options, so the floor is built exactly as the deployed functions are.',
    );
  }
  for (const failure of failed) notes.push(`${failure.name} failed to import: ${failure.error}`);
  const callers = results.filter((r) => initCalls.has(r.name));
  if (callers.length > 0) {
    const operations = [...new Set(callers.flatMap((r) => initCalls.get(r.name) ?? []))];
    notes.push(
      `${callers.length} function(s) call AWS while they load (${operations.join(', ')}, a ` +
        `top-level await): ${callers.map((r) => r.name).join(', ')}. Here a local stand-in ` +
        'answers in about a millisecond; in AWS each such call adds a network round trip to the ' +
        'cold start that these figures do not show.',
    );
    const ratiosOf = (rows: typeof results) =>
      rows.flatMap((r) => (r.ratio === undefined ? [] : [r.ratio]));
    const callerRatios = ratiosOf(callers);
    const otherRatios = ratiosOf(results.filter((r) => !initCalls.has(r.name)));
    if (callerRatios.length > 0 && otherRatios.length > 0) {
      notes.push(
        `Those ${callerRatios.length} take a median ${round(median(callerRatios), 2)}× the floor ` +
          `(worst ${round(Math.max(...callerRatios), 2)}×); the other ${otherRatios.length}, ` +
          `${round(median(otherRatios), 2)}× (worst ${round(Math.max(...otherRatios), 2)}×), with ` +
          `${otherRatios.filter((ratio) => ratio <= targetRatio).length} of them within ` +
          `${targetRatio}×.`,
      );
    }
  }
  const logging = results.filter((r) => r.loggedAtInit && !r.error);
  const byLine = new Map<string, typeof logging>();
  for (const r of logging)
    byLine.set(r.loggedAtInit ?? '', [...(byLine.get(r.loggedAtInit ?? '') ?? []), r]);
  for (const [line, names] of byLine) {
    const sameAsCallers =
      names.length === callers.length && names.every((n) => initCalls.has(n.name));
    const who = sameAsCallers
      ? `The same ${names.length} function(s) write to stderr while they load`
      : `${names.length} function(s) write to stderr while they load (${names.map((n) => n.name).join(', ')})`;
    notes.push(`${who}: “${line}”`);
  }
  if (missing.length > 0) {
    notes.push(
      `${missing.length} of ${ratios.length} functions are above ${targetRatio}× the floor. ` +
        'What their bundles are made of (share of the minified bytes, from esbuild’s metafile):',
    );
    for (const miss of missing.slice(0, 5)) {
      const shares = rebuilt.get(miss.logicalId)?.shares ?? [];
      notes.push(
        `${miss.name} (${round(miss.ratio ?? 0, 2)}×, ${kb(miss.bytes)} KB): ${describeShares(shares, 5)}`,
      );
    }
    const worstFolders = rebuilt.get(missing[0]?.logicalId ?? '')?.folders ?? [];
    notes.push(`By folder, ${missing[0]?.name} is mostly ${describeShares(worstFolders, 5)}.`);
  }
  if (sourceMapsOff && worst?.ratio !== undefined) {
    notes.push(
      `Source maps at init: every function runs with NODE_OPTIONS=--enable-source-maps, so Node ` +
        `reads the bundle's source map as it loads it (${kb(worstBundle?.mapBytes ?? 0)} KB for ` +
        `${sourceMapsOff.name}). Without it, ${sourceMapsOff.name} takes ${round(sourceMapsOff.initMs)} ms ` +
        `against the floor's ${round(sourceMapsOff.floorMs)} ms (${round(sourceMapsOff.ratio, 2)}×, ` +
        `instead of ${round(worst.ratio, 2)}×).`,
    );
  }
  notes.push(
    `The load average (1 min) was ${round(loadAtStart, 1)} when the part started and ` +
      `${round(loadavg()[0] ?? 0, 1)} at its end (${cpus().length} cores): absolute milliseconds ` +
      'grow with it; the ratios, paired run by run, much less.',
  );
  notes.push(
    `The floor’s bundle is ${kb(floor.bytes)} KB: every bundle carries the AWS SDK clients it ` +
      'uses, as deployed, so the floor’s init time is almost all the DynamoDB client’s.',
  );

  return {
    key: 'coldStart',
    title: 'Cold start per deployed function',
    method:
      `Synthesizes the app (as \`cdk deploy\` would) and finds every deployed function's bundle ` +
      `through its asset metadata. Each bundle is imported, calling nothing, in a fresh Node 22 ` +
      `process with the function's environment from the template (plus the variables Lambda sets; ` +
      `no network), and the process reports the import time (\`performance.now()\`). The floor is a ` +
      `function that only imports and constructs a DynamoDB client, bundled with the same esbuild ` +
      `options. ${runs} runs per bundle after one warm-up run, each right after a floor run, in a ` +
      `new random order each round; the ratio is a bundle's median over the median of the floor ` +
      `runs paired with it.`,
    target: {
      description: `Every function's init time ≤ ${targetRatio}× the floor's`,
      met: failed.length === 0 && ratios.length > 0 && worstRatio <= targetRatio,
    },
    table: {
      columns: ['function', 'bundle KB', 'gzip KB', 'init ms (median)', '× floor'],
      rows: [
        [floor.name, kb(floor.bytes), kb(floor.gzipBytes), round(floorMs), 1],
        ...results.map((r) => [
          r.name,
          kb(r.bytes),
          kb(r.gzipBytes),
          r.initMsMedian === undefined ? 'import failed' : round(r.initMsMedian),
          r.ratio === undefined ? '–' : round(r.ratio, 2),
        ]),
        [
          '**worst / median ratio**',
          '',
          '',
          '',
          `${round(worstRatio, 2)} / ${round(medianRatio, 2)}`,
        ],
      ],
    },
    figures: {
      runsPerBundle: runs,
      nodeVersion: process.version,
      loadAverage1mAtStart: round(loadAtStart, 2),
      loadAverage1mAtEnd: round(loadavg()[0] ?? 0, 2),
      floor: {
        bytes: floor.bytes,
        gzipBytes: floor.gzipBytes,
        initMsMedian: round(floorMs, 1),
        runs: floorAll.length,
      },
      worstRatio: round(worstRatio, 3),
      medianRatio: round(medianRatio, 3),
      functionsAboveTarget: missing.length,
      bundlesRebuiltIdentically: identical,
      worstWithoutSourceMaps: sourceMapsOff && {
        name: sourceMapsOff.name,
        initMsMedian: round(sourceMapsOff.initMs, 1),
        floorMsMedian: round(sourceMapsOff.floorMs, 1),
        ratio: round(sourceMapsOff.ratio, 3),
      },
      functions: results.map((r) => ({
        ...r,
        initMsMedian: r.initMsMedian === undefined ? undefined : round(r.initMsMedian, 1),
        floorMsMedian: r.floorMsMedian === undefined ? undefined : round(r.floorMsMedian, 1),
        ratio: r.ratio === undefined ? undefined : round(r.ratio, 3),
        largestPackages: (rebuilt.get(r.logicalId)?.shares ?? [])
          .slice(0, 5)
          .map((s) => ({ name: s.name, bytes: s.bytes })),
        largestFolders: (rebuilt.get(r.logicalId)?.folders ?? [])
          .slice(0, 5)
          .map((s) => ({ name: s.name, bytes: s.bytes })),
      })),
    },
    notes,
  };
}
