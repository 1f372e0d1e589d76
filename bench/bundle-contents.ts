import type { Metafile } from 'esbuild';

/** What one package (or our own code) adds to a bundle. */
export interface BundleShare {
  /** An npm package name, or `project code` for our own files. */
  readonly name: string;
  readonly bytes: number;
  /** Of the bundle's input bytes (the banner and glue code aside). */
  readonly share: number;
}

/** The npm package a bundled file belongs to (`@scope/name` or `name`), else our own code. */
export function packageOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at < 0) return 'project code';
  const [scopeOrName = '', name = ''] = inputPath.slice(at + marker.length).split('/');
  return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
}

/** The folder a bundled file is in, from its package on (`zod/v4/locales`), or ours as it is. */
export function folderOf(inputPath: string): string {
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  const path = at < 0 ? inputPath : inputPath.slice(at + marker.length);
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

/**
 * The bundle's bytes grouped by `groupOf` each input (its package by default), largest first,
 * from esbuild's metafile of a one-output build.
 */
export function bundleShares(
  metafile: Metafile,
  groupOf: (inputPath: string) => string = packageOf,
): BundleShare[] {
  const output = Object.entries(metafile.outputs).find(([path]) => !path.endsWith('.map'))?.[1];
  if (!output) return [];
  const byPackage = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = groupOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  const total = [...byPackage.values()].reduce((sum, bytes) => sum + bytes, 0);
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes, share: total === 0 ? 0 : bytes / total }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
}

/** `zod 34% (240 KB), aws-xray-sdk-core 20% (140 KB), …`: the first `count` shares. */
export function describeShares(shares: readonly BundleShare[], count = 4): string {
  return shares
    .slice(0, count)
    .map(
      (share) =>
        `${share.name} ${Math.round(share.share * 100)}% (${Math.round(share.bytes / 1024)} KB)`,
    )
    .join(', ');
}
/** The handler's source among a bundle's sources: esbuild lists the entry after what it imports. */
export function entryOfSources(sources: readonly string[]): string | undefined {
  return sources
    .map((source) => source.replace(/^(\.\.\/)+/, ''))
    .filter((source) => !source.includes('node_modules/') && /(^|\/)functions\//.test(source))
    .at(-1);
}
