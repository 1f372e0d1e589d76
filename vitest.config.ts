import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/unit/**/*.test.ts'],
          // No CloudWatch here: keep EMF output out of the test log.
          env: { POWERTOOLS_METRICS_DISABLED: 'true' },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 0 },
          include: ['test/integration/**/*.test.ts'],
          // One local cloud for all integration files, started once (see global-setup.ts).
          globalSetup: ['test/integration/global-setup.ts'],
          // One file at a time: they share one local cloud (and 2 cores); in parallel, a file that
          // starts clouds of its own or seeds 10,000 items starves the others into timeouts.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          // After the integration files, whose cloud would otherwise compete for the 2 cores.
          sequence: { groupOrder: 1 },
          globalSetup: ['test/reliability/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
