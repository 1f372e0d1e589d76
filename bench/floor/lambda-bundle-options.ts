import type { BuildOptions } from 'esbuild';

/**
 * The esbuild options `NodejsFunction` passes for a `ShanyuFunction`
 * (infra/constructs/shanyu-function.ts, `bundling`), spelled out for esbuild's API. The cold-start
 * benchmark bundles its floor function with them and rebuilds every deployed function with them
 * to check that they still match: a floor bundled differently would make every ratio meaningless.
 */
export const lambdaBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  mainFields: ['module', 'main'],
  banner: {
    js: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
  },
} as const satisfies BuildOptions;
