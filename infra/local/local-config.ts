import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('.data'),
  DYNAMODB_PORT: port.default(0),
  SFN_PORT: port.default(0),
  S3_PORT: port.default(0),
  /** Where to synthesize the cloud assembly. */
  SHANYU_CDK_OUT: z.string().default('.shanyu/cdk.out'),
  /** `1`: run the assembly already in SHANYU_CDK_OUT instead of synthesizing again (tests). */
  SHANYU_SKIP_SYNTH: z.enum(['0', '1']).default('0'),
  /** `none`: start without the demo data set (residents, enterprises, providers). */
  SEED: z.enum(['demo', 'none']).default('demo'),
  /** `manual`: scheduled jobs run only when asked (POST /dev/scheduler/run), never on their own. */
  SCHEDULES: z.enum(['on', 'manual']).default('on'),
  /** Log level of the functions (Powertools), overriding the deployed INFO. */
  FUNCTION_LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL']).optional(),
  /** `1`: every function asks DynamoDB for the capacity each call consumed (the cost benchmark). */
  CAPACITY_TRACE: z.enum(['0', '1']).default('0'),
});

export interface LocalCloudConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly dynamoDbPort: number;
  readonly sfnPort: number;
  readonly s3Port: number;
  readonly cdkOut: string;
  readonly synth: boolean;
  readonly seed: boolean;
  /** Scheduled jobs run only on request. */
  readonly manualSchedules: boolean;
  readonly functionLogLevel?: string;
  /** Functions record the DynamoDB capacity they consume (SHANYU_CAPACITY_TRACE=1). */
  readonly capacityTrace: boolean;
}

export class LocalConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalConfigError';
  }
}

/** Reads the local cloud's settings from the environment; bad values stop the start with a clear line. */
export function localConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LocalCloudConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new LocalConfigError(`Invalid local cloud settings: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(projectRoot, path));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    dynamoDbPort: e.DYNAMODB_PORT,
    sfnPort: e.SFN_PORT,
    s3Port: e.S3_PORT,
    cdkOut: absolute(e.SHANYU_CDK_OUT),
    synth: e.SHANYU_SKIP_SYNTH === '0',
    seed: e.SEED === 'demo',
    manualSchedules: e.SCHEDULES === 'manual',
    ...(e.FUNCTION_LOG_LEVEL ? { functionLogLevel: e.FUNCTION_LOG_LEVEL } : {}),
    capacityTrace: e.CAPACITY_TRACE === '1',
  };
}
