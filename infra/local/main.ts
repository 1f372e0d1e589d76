import { startLocalCloud } from './local-cloud.ts';
import { localConfigFromEnv } from './local-config.ts';

/**
 * `npm start`: the whole system on this machine. Ctrl-C (SIGINT) or SIGTERM stops every part,
 * DynamoDB Local's Java process included; a SIGKILL leaves Java behind, which the next start on
 * the same DATA_DIR ends (see dynamodb.ts).
 */
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function main(): Promise<void> {
  const cloud = await startLocalCloud(localConfigFromEnv(), log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[stop] ${signal}: stopping the local cloud`);
    cloud
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
