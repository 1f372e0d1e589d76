import { type LocalCloud, startLocalCloud } from './local-cloud.ts';
import { localConfigFromEnv } from './local-config.ts';

/**
 * `npm start`: the whole system on this machine. Ctrl-C (SIGINT) or SIGTERM stops every part,
 * DynamoDB Local's Java process included; a SIGKILL leaves Java behind, which the next start on
 * the same DATA_DIR ends (see dynamodb.ts).
 */
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

// Lambda runs in UTC; so do the functions here (worker threads share this process's zone).
process.env.TZ = 'UTC';

let cloud: LocalCloud | undefined;
let stopping = false;

function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log(`[stop] ${signal}: stopping the local cloud`);
  // Still starting: exiting runs the 'exit' hook that kills DynamoDB Local's Java process.
  if (!cloud) process.exit(130);
  cloud
    .stop()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}

// Installed before anything starts, so that a signal during start-up still stops what started.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => shutdown(signal));
}

startLocalCloud(localConfigFromEnv(), log)
  .then((started) => {
    cloud = started;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
