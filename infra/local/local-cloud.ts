import { mkdir } from 'node:fs/promises';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { errorResponse } from '../../shared/errors/error-response.ts';
import { UnauthenticatedError } from '../../shared/errors/http-errors.ts';
import { negotiateLanguage } from '../../shared/errors/localized.ts';
import { createLocalIssuer } from './auth/index.ts';
import { clockOffsetFromEnv, LocalClock } from './clock.ts';
import { loadCloudModel } from './cloud-assembly.ts';
import { seedDemoData } from './demo-seed.ts';
import { devClockRoutes, devSchedulerRoutes } from './dev-clock.ts';
import { devJobRoutes } from './dev-jobs.ts';
import { devOutboxRoute } from './dev-outbox.ts';
import { devRegistryRoutes } from './dev-registry.ts';
import { createTables, type LocalDynamoDb, startDynamoDb } from './dynamodb.ts';
import { freePort } from './free-port.ts';
import { createLocalGateway, devTokenRoute } from './gateway/index.ts';
import type { GatewayRoute, LocalGateway } from './gateway/types.ts';
import { LambdaRuntime } from './lambda/lambda-runtime.ts';
import { localCredentials, localRegion } from './local-aws.ts';
import type { LocalCloudConfig } from './local-config.ts';
import { createLocalS3, type LocalS3 } from './s3/index.ts';
import { startLocalScheduler } from './scheduler/index.ts';
import { createLocalStepFunctions, type LocalStepFunctions } from './stepfunctions/index.ts';
import { hasAssembly, synthesize } from './synth.ts';

export interface LocalCloud {
  readonly apiUrl: string;
  readonly dynamoDbEndpoint: string;
  readonly stepFunctionsEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  /** Bucket names by logical id without CDK's hash suffix (e.g. `DocumentsBucket`). */
  readonly buckets: Readonly<Record<string, string>>;
  readonly stateMachines: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/** `GET /v1/cases/{caseId}` → method and path; `$default` has neither. */
function splitRouteKey(routeKey: string): { method: string; path: string } {
  const [method = 'ANY', path = '/'] = routeKey.split(' ');
  return { method, path };
}

/**
 * Boots the whole system on this machine, in dependency order: the assembly CDK synthesizes,
 * DynamoDB Local with the template's tables, the functions' sandboxes, the Step Functions service
 * running the synthesized state machines, and the API gateway in front. Every part the system
 * talks to is reached over HTTP with the real AWS SDK clients, as in AWS.
 */
export async function startLocalCloud(
  config: LocalCloudConfig,
  log: (line: string) => void,
): Promise<LocalCloud> {
  const started = Date.now();
  await mkdir(config.dataDir, { recursive: true });
  if (config.synth || !hasAssembly(config.cdkOut)) {
    log(`[synth] synthesizing the CDK app into ${config.cdkOut}`);
    synthesize(config.cdkOut);
  }
  const model = await loadCloudModel(config.cdkOut);
  const [table] = model.tables;
  if (!table) throw new Error('The synthesized app declares no DynamoDB table');

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopPart of stops.reverse()) await stopPart().catch(() => undefined);
    stops.length = 0;
  };

  // One clock for every part, moved at run time through POST /dev/clock.
  const clock = new LocalClock({
    offsetMs: clockOffsetFromEnv(process.env.SHANYU_CLOCK_OFFSET_MS),
    onListenerError: (error) => log(`[clock] a part did not follow the clock: ${String(error)}`),
  });
  if (clock.offsetMs !== 0) {
    log(
      `[clock] starts at ${clock.now().toISOString()} (SHANYU_CLOCK_OFFSET_MS=${clock.offsetMs})`,
    );
  }

  try {
    const dynamoDb: LocalDynamoDb = await startDynamoDb({
      dataDir: config.dataDir,
      port: config.dynamoDbPort || (await freePort()),
      log,
    });
    stops.push(() => dynamoDb.stop());
    await createTables(dynamoDb.client, model.tables);
    log(
      `[dynamodb] DynamoDB Local at ${dynamoDb.endpoint} (tables: ${model.tables.map((t) => t.tableName).join(', ')})`,
    );

    // Presigned URLs name this endpoint, so clients reach it directly, as they reach S3 in AWS.
    const s3: LocalS3 = await createLocalS3({
      buckets: model.buckets.map(({ bucketName, cors }) => ({ name: bucketName, cors })),
      dataDir: config.dataDir,
      credentials: localCredentials,
      // The functions' clock, so that URLs they sign expire on their time.
      now: () => clock.now().getTime(),
      log,
    });
    stops.push(() => s3.close());
    const { url: s3Endpoint } = await s3.listen(config.s3Port, '127.0.0.1');
    log(
      `[s3] S3 at ${s3Endpoint} (buckets: ${model.buckets.map((b) => b.bucketName).join(', ') || 'none'})`,
    );

    const sfnPort = config.sfnPort || (await freePort());
    const sfnEndpoint = `http://127.0.0.1:${sfnPort}`;
    const runtime = new LambdaRuntime({
      functions: model.functions,
      baseEnvironment: {
        AWS_REGION: localRegion,
        AWS_DEFAULT_REGION: localRegion,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
        AWS_ENDPOINT_URL_SFN: sfnEndpoint,
        AWS_ENDPOINT_URL_S3: s3Endpoint,
        // No X-Ray daemon or CloudWatch agent runs here.
        POWERTOOLS_TRACE_ENABLED: 'false',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
      // Each invocation gets SHANYU_CLOCK_OFFSET_MS as the clock is when it starts.
      clockOffsetMs: () => clock.offsetMs,
    });
    stops.push(() => runtime.stop());
    // The functions' own settings win over the base, except the notification channel: nothing
    // leaves this machine, so notifications are written to the log (and GET /dev/outbox).
    for (const fn of model.functions) {
      fn.environment.SHANYU_NOTIFICATION_CHANNEL = 'log';
      // No Secrets Manager here: every part shares the development key (this process's dev
      // endpoints key registry entries with it too).
      delete fn.environment.ID_KEY_SECRET_ARN;
    }
    if (config.functionLogLevel) {
      for (const fn of model.functions)
        fn.environment.POWERTOOLS_LOG_LEVEL = config.functionLogLevel;
    }
    if (config.capacityTrace) {
      for (const fn of model.functions) fn.environment.SHANYU_CAPACITY_TRACE = '1';
    }
    void runtime.warmUp();
    log(
      `[lambda] ${model.functions.length} functions from the assembly: ${model.functions.map((f) => f.functionName).join(', ')}`,
    );

    const stepFunctions: LocalStepFunctions = await createLocalStepFunctions({
      stateMachines: model.stateMachines.map(({ arn, name, definition }) => ({
        arn,
        name,
        definition,
      })),
      invokeLambda: (functionArn, payload) => runtime.invoke(functionArn, payload),
      dataDir: config.dataDir,
      region: localRegion,
      log,
      now: () => clock.now(),
    });
    stops.push(() => stepFunctions.close());
    await stepFunctions.listen(sfnPort, '127.0.0.1');
    await stepFunctions.resumed;
    log(
      `[stepfunctions] Step Functions at ${sfnEndpoint} (${model.stateMachines.map((s) => s.name).join(', ')})`,
    );

    const scheduler = startLocalScheduler({
      // `manual`: no job runs on its own; POST /dev/scheduler/run runs one (deterministic tests).
      schedules: config.manualSchedules
        ? model.schedules.map((schedule) => ({ ...schedule, enabled: false }))
        : model.schedules,
      invoke: (functionName, input) => runtime.invoke(functionName, input),
      log,
      now: () => clock.now(),
    });
    stops.push(() => scheduler.stop());
    // S3 and the functions read the clock as they go; the parts waiting on timers are told.
    const unfollow = clock.onChange(({ to, offsetMs }) => {
      // This process's own readers of shared/clock (GET /dev/outbox's default day) follow too.
      process.env.SHANYU_CLOCK_OFFSET_MS = String(offsetMs);
      const fired = stepFunctions.fireDueTimeouts(to);
      scheduler.clockMoved();
      log(
        `[clock] now ${to.toISOString()} (offset ${offsetMs} ms); ${fired} Step Functions deadlines fired`,
      );
    });
    stops.push(async () => unfollow());
    log(
      `[scheduler] ${model.schedules.map((s) => `${s.functionName.replace(/[0-9A-F]{8}$/, '')} ${s.expression}`).join(', ') || 'no schedules'}`,
    );

    const documents = DynamoDBDocumentClient.from(dynamoDb.client, {
      marshallOptions: { removeUndefinedValues: true },
    });
    if (config.seed) await seedDemoData(documents, table.tableName, log);

    const issuer = await createLocalIssuer({ dataDir: config.dataDir });
    const routes: GatewayRoute[] = [];
    let defaultRoute: { functionName: string; authorization: 'JWT' | 'NONE' } | undefined;
    for (const route of model.routes) {
      if (route.routeKey === '$default') {
        defaultRoute = { functionName: route.functionName, authorization: route.authorization };
      } else {
        routes.push({
          ...splitRouteKey(route.routeKey),
          functionName: route.functionName,
          authorization: route.authorization,
        });
      }
    }
    const stateMachines = Object.fromEntries(
      model.stateMachines.map((s) => [s.logicalId.replace(/[0-9A-F]{8}$/, ''), s.arn]),
    );
    const buckets = Object.fromEntries(
      model.buckets.map((b) => [b.logicalId.replace(/[0-9A-F]{8}$/, ''), b.bucketName]),
    );
    const parts = {
      api: '',
      dynamodb: dynamoDb.endpoint,
      stepfunctions: sfnEndpoint,
      s3: s3Endpoint,
    };
    const gateway: LocalGateway = createLocalGateway({
      routes,
      ...(defaultRoute ? { defaultRoute } : {}),
      invokeLambda: (functionName, event) => runtime.invoke(functionName, event),
      issuer,
      unauthorized: (headers) => {
        const response = errorResponse(
          new UnauthenticatedError(),
          negotiateLanguage(headers['accept-language']),
        );
        return {
          statusCode: response.statusCode ?? 401,
          headers: {
            ...(response.headers as Record<string, string>),
            'www-authenticate': 'Bearer',
          },
          body: String(response.body),
        };
      },
      localRoutes: {
        'POST /dev/token': devTokenRoute(issuer),
        'GET /dev/outbox': devOutboxRoute(documents, table.tableName),
        ...devRegistryRoutes(documents, table.tableName),
        ...devJobRoutes(model.schedules, (name, input) => runtime.invoke(name, input)),
        ...devClockRoutes(clock),
        ...devSchedulerRoutes(model.schedules, scheduler),
        // Lets a developer (or a test) see what a deadline does without waiting for it.
        'POST /dev/stepfunctions/fire-timeouts': async (request) => {
          const days = Number((JSON.parse(request.body || '{}') as { days?: unknown }).days ?? 0);
          if (!Number.isFinite(days) || days < 0 || days > 3650) {
            return { statusCode: 400, body: { message: '"days" must be a number from 0 to 3650' } };
          }
          // Fires what `days` from now would, without moving the clock (POST /dev/clock does).
          const fired = stepFunctions.fireDueTimeouts(
            new Date(clock.now().getTime() + days * 86_400_000),
          );
          return { statusCode: 200, body: { fired } };
        },
        'GET /health': async () => ({
          statusCode: 200,
          body: {
            status: 'ok',
            parts,
            tables: model.tables.map((t) => t.tableName),
            buckets,
            stateMachines,
          },
        }),
      },
    });
    stops.push(() => gateway.close());
    const { url } = await gateway.listen(config.port, config.host);
    parts.api = url;
    log(
      `[api] HTTP API at ${url} (${routes.length} routes; dev: POST /dev/token, GET /health, GET|POST /dev/clock, POST /dev/scheduler/run)`,
    );
    log(
      `[ready] local cloud up in ${((Date.now() - started) / 1000).toFixed(1)} s; data in ${config.dataDir}`,
    );

    return {
      apiUrl: url,
      dynamoDbEndpoint: dynamoDb.endpoint,
      stepFunctionsEndpoint: sfnEndpoint,
      s3Endpoint,
      tableName: table.tableName,
      buckets,
      stateMachines,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
