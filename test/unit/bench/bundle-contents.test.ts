import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import {
  bundleShares,
  describeShares,
  entryOfSources,
  folderOf,
  packageOf,
} from '../../../bench/bundle-contents.ts';

describe('packageOf', () => {
  it('names the innermost npm package, scoped or not, and our own code otherwise', () => {
    // Act
    const names = [
      packageOf('node_modules/zod/v4/locales/he.js'),
      packageOf('node_modules/@aws-lambda-powertools/logger/lib/esm/Logger.js'),
      packageOf('node_modules/aws-xray-sdk-core/node_modules/semver/index.js'),
      packageOf('shared/tasks/inbox.ts'),
    ];

    // Assess
    expect(names).toEqual(['zod', '@aws-lambda-powertools/logger', 'semver', 'project code']);
  });
});

describe('bundleShares', () => {
  it('sums the output bytes by package, largest first, as shares of the whole', () => {
    // Prepare
    const metafile = {
      inputs: {},
      outputs: {
        'out/index.mjs.map': { bytes: 9, inputs: {}, imports: [], exports: [] },
        'out/index.mjs': {
          bytes: 1000,
          imports: [],
          exports: [],
          inputs: {
            'node_modules/zod/v4/core/schemas.js': { bytesInOutput: 300 },
            'node_modules/zod/v4/locales/he.js': { bytesInOutput: 300 },
            'shared/tasks/inbox.ts': { bytesInOutput: 100 },
            'node_modules/aws-xray-sdk-core/dist/index.js': { bytesInOutput: 200 },
          },
        },
      },
    } as unknown as Metafile;

    // Act
    const shares = bundleShares(metafile);

    // Assess
    expect(shares).toEqual([
      { name: 'zod', bytes: 600, share: 600 / 900 },
      { name: 'aws-xray-sdk-core', bytes: 200, share: 200 / 900 },
      { name: 'project code', bytes: 100, share: 100 / 900 },
    ]);
    expect(describeShares(shares, 2)).toBe('zod 67% (1 KB), aws-xray-sdk-core 22% (0 KB)');
    expect(bundleShares(metafile, folderOf).map((share) => share.name)).toEqual([
      'zod/v4/core',
      'zod/v4/locales',
      'aws-xray-sdk-core/dist',
      'shared/tasks',
    ]);
  });
});

describe('folderOf', () => {
  it('names the folder from the package on, or our own folder', () => {
    // Act
    const folders = [
      folderOf('node_modules/zod/v4/locales/he.js'),
      folderOf('shared/tasks/inbox.ts'),
      folderOf('index.ts'),
    ];

    // Assess
    expect(folders).toEqual(['zod/v4/locales', 'shared/tasks', '.']);
  });
});

describe('entryOfSources', () => {
  it('finds the handler: the last of our function files in the source map', () => {
    // Prepare
    const sources = [
      '../../../node_modules/zod/v4/core/core.js',
      '../../../shared/cases/case-store.ts',
      '../../../functions/http/routes.ts',
      '../../../node_modules/functions/index.js',
      '../../../functions/http/route-not-found.ts',
    ];

    // Act
    const entry = entryOfSources(sources);

    // Assess
    expect(entry).toBe('functions/http/route-not-found.ts');
  });

  it('finds none in a bundle of no function of ours', () => {
    // Act
    const entry = entryOfSources(['../bench/floor/floor-handler.ts']);

    // Assess
    expect(entry).toBeUndefined();
  });
});
