import type { TestProject } from 'vitest/node';
import { sharedCloudSetup } from '../support/shared-cloud-setup.ts';
import {
  clearReliabilityFigures,
  formatReliabilitySummary,
  readReliabilityFigures,
} from './support/summary.ts';

/**
 * The reliability files share one local cloud of their own. Jobs run only when a test asks
 * (`POST /dev/scheduler/run`), so that nothing but the requests under test writes to the table.
 * At the end the figures each file recorded are printed as one summary table.
 */
const startCloud = sharedCloudSetup({ name: 'reliability', env: { SCHEDULES: 'manual' } });

export default async function setup(project: TestProject) {
  clearReliabilityFigures();
  const stopCloud = await startCloud(project);
  return async () => {
    await stopCloud();
    const rows = readReliabilityFigures();
    if (rows.length > 0)
      console.log(`\nReliability summary\n\n${formatReliabilitySummary(rows)}\n`);
  };
}
