import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import * as z from 'zod';
import { roles } from '../shared/auth/roles.ts';

/**
 * Deployment configuration, read once from CDK context (`cdk.json` or `-c key=value`) and handed
 * to every stack as typed props, so no stack reads context on its own.
 */

export const stageSchema = z.enum(['dev', 'prod']);
export type Stage = z.infer<typeof stageSchema>;

/** Where callers' JWTs come from. */
export type IdentityProviderConfig =
  /** A Cognito user pool created by the API stack, one group per role. */
  | { readonly kind: 'cognito'; readonly groups: readonly string[] }
  /** An external OIDC issuer (e.g. 浙里办) whose tokens the HTTP API's JWT authorizer verifies. */
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: readonly string[] };

export interface ShanyuConfig {
  readonly stage: Stage;
  /** `Dev` / `Prod`: used in stack and resource names. */
  readonly stageName: string;
  /** `Shanyu-<Stage>-`: every stack and named resource starts with it. */
  readonly prefix: string;
  readonly isProd: boolean;
  /** What happens to stateful resources when their stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  /** Stage-wide API Gateway throttle: a ceiling on cost and blast radius, not a fairness policy. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly identityProvider: IdentityProviderConfig;
  /**
   * Whether the Cognito pool's users must sign in with a TOTP second factor. Fixed when the pool
   * is created (Cognito cannot switch a pool to required later); `required` in prod by default.
   */
  readonly userPoolMfa: 'required' | 'optional';
  /** SES identity (domain or address) that notification e-mail is sent from; none = no e-mail. */
  readonly sesIdentityArn?: string;
  /** How many years a provider's registration (托育机构备案) runs before renewal; default 3. */
  readonly registrationValidityYears: number;
  /** Local time (`HH:MM`, Asia/Shanghai) a deadline falls due on its last working day; 17:30. */
  readonly workdayEndsAt: string;
  readonly alarms: AlarmConfig;
  /** The HTTP API's own domain name; none = only the `execute-api` URL. */
  readonly apiDomain?: ApiDomainConfig;
}

/** Who hears of alarms, and the thresholds that are a matter of judgement rather than `≥ 1`. */
export interface AlarmConfig {
  /**
   * Subscribed to the alarm topic by e-mail (each confirms once). Required in prod; in dev, none
   * = watch the dashboard or subscribe by hand.
   */
  readonly emails: readonly string[];
  /** The API's p99 latency, in ms, that counts as slow; default 3000. */
  readonly apiLatencyP99Ms: number;
  /** The share of API requests, in percent, answered 5xx in five minutes that pages; default 1. */
  readonly api5xxRatePercent: number;
  /** Tasks gone overdue in one deadline sweep that counts as a backlog; default 20. */
  readonly tasksOverdue: number;
}

/** A custom domain for the HTTP API, with its ACM certificate (in the API's own region). */
export interface ApiDomainConfig {
  readonly domainName: string;
  readonly certificateArn: string;
}

/** Raised when CDK context holds values we cannot deploy with; the message lists every problem. */
export class InvalidConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

/** `-c jwtAudience=a,b` arrives as a string; `cdk.json` may hold a real array. */
const audienceSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')))
  .transform((values) => values.map((value) => value.trim()).filter((value) => value.length > 0))
  .pipe(z.array(z.string().min(1)).min(1, 'jwtAudience needs at least one audience'));

/** `-c alarmEmails=a@x,b@y` arrives as a string; `cdk.json` may hold a real array. */
const alarmEmailsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')))
  .transform((values) => values.map((value) => value.trim()).filter((value) => value.length > 0))
  .pipe(z.array(z.email({ error: 'alarmEmails must be e-mail addresses, comma-separated' })));

/** A fully qualified DNS name (at least two labels), as API Gateway takes it. */
const domainNamePattern =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export const contextSchema = z
  .object({
    stage: stageSchema.default('dev'),
    jwtIssuer: z.url({ protocol: /^https$/, error: 'jwtIssuer must be an https URL' }).optional(),
    jwtAudience: audienceSchema.optional(),
    sesIdentityArn: z
      .string()
      .regex(/^arn:[a-z-]+:ses:[a-z0-9-]+:\d{12}:identity\/.+$/, {
        error: 'sesIdentityArn must be an SES identity ARN (arn:…:ses:…:identity/…)',
      })
      .optional(),
    /** `-c registrationValidityYears=5` arrives as a string. */
    registrationValidityYears: z.coerce.number().int().min(1).max(10).default(3),
    workdayEndsAt: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
        error: 'workdayEndsAt must be a time HH:MM, e.g. 17:30',
      })
      .default('17:30'),
    alarmEmails: alarmEmailsSchema.default([]),
    /** Absent: required in prod, optional in dev. */
    userPoolMfa: z
      .enum(['required', 'optional'], { error: 'userPoolMfa must be required or optional' })
      .optional(),
    /** `-c apiLatencyP99Ms=5000` arrives as a string. */
    apiLatencyP99Ms: z.coerce
      .number({ error: 'apiLatencyP99Ms must be a number of milliseconds' })
      .int()
      .min(100)
      .max(30_000, { error: 'apiLatencyP99Ms cannot exceed API Gateway’s 30 s timeout' })
      .default(3000),
    /** `-c api5xxRatePercent=2` arrives as a string. */
    api5xxRatePercent: z.coerce
      .number({ error: 'api5xxRatePercent must be a percentage of requests' })
      .gt(0, { error: 'api5xxRatePercent must be above 0 percent' })
      .max(100, { error: 'api5xxRatePercent cannot exceed 100 percent' })
      .default(1),
    tasksOverdueThreshold: z.coerce
      .number({ error: 'tasksOverdueThreshold must be a number of tasks' })
      .int()
      .min(1)
      .default(20),
    apiDomainName: z
      .string()
      .trim()
      .toLowerCase()
      .regex(domainNamePattern, {
        error: 'apiDomainName must be a fully qualified domain name, e.g. api.example.gov.cn',
      })
      .optional(),
    apiCertificateArn: z
      .string()
      .regex(/^arn:[a-z-]+:acm:[a-z0-9-]+:\d{12}:certificate\/.+$/, {
        error: 'apiCertificateArn must be an ACM certificate ARN (arn:…:acm:…:certificate/…)',
      })
      .optional(),
  })
  .refine((context) => (context.jwtIssuer === undefined) === (context.jwtAudience === undefined), {
    error: 'jwtIssuer and jwtAudience must be given together (or neither, for a Cognito user pool)',
    path: ['jwtIssuer'],
  })
  .refine(
    (context) =>
      (context.apiDomainName === undefined) === (context.apiCertificateArn === undefined),
    {
      error:
        'apiDomainName and apiCertificateArn must be given together (or neither, for the execute-api URL only)',
      path: ['apiDomainName'],
    },
  )
  // A production alarm that reaches nobody is found on the dashboard only after the damage.
  .refine((context) => context.stage !== 'prod' || context.alarmEmails.length > 0, {
    error:
      'alarmEmails is required for stage=prod: production alarms must reach the duty staff, e.g. -c alarmEmails=ops@example.gov.cn,duty@example.gov.cn',
    path: ['alarmEmails'],
  });

export type ShanyuContext = z.input<typeof contextSchema>;

const stageDefaults = {
  dev: {
    removalPolicy: RemovalPolicy.DESTROY,
    logRetention: RetentionDays.ONE_MONTH,
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
  },
  prod: {
    removalPolicy: RemovalPolicy.RETAIN,
    logRetention: RetentionDays.ONE_YEAR,
    apiThrottle: { rateLimit: 200, burstLimit: 400 },
  },
} as const satisfies Record<
  Stage,
  Pick<ShanyuConfig, 'removalPolicy' | 'logRetention' | 'apiThrottle'>
>;

/** Reads the deployment configuration from raw context values (`undefined` = absent). */
export function parseConfig(context: Record<string, unknown>): ShanyuConfig {
  const parsed = contextSchema.safeParse(context);
  if (!parsed.success) {
    throw new InvalidConfigError(`Invalid CDK context:\n${z.prettifyError(parsed.error)}`);
  }
  const {
    stage,
    jwtIssuer,
    jwtAudience,
    sesIdentityArn,
    registrationValidityYears,
    workdayEndsAt,
    alarmEmails,
    apiLatencyP99Ms,
    api5xxRatePercent,
    tasksOverdueThreshold,
    apiDomainName,
    apiCertificateArn,
    userPoolMfa,
  } = parsed.data;
  const stageName = stage === 'prod' ? 'Prod' : 'Dev';
  return {
    stage,
    stageName,
    prefix: `Shanyu-${stageName}-`,
    isProd: stage === 'prod',
    ...stageDefaults[stage],
    identityProvider:
      jwtIssuer !== undefined && jwtAudience !== undefined
        ? { kind: 'oidc', issuer: jwtIssuer, audience: jwtAudience }
        : { kind: 'cognito', groups: roles },
    userPoolMfa: userPoolMfa ?? (stage === 'prod' ? 'required' : 'optional'),
    ...(sesIdentityArn !== undefined ? { sesIdentityArn } : {}),
    registrationValidityYears,
    workdayEndsAt,
    alarms: {
      emails: alarmEmails,
      apiLatencyP99Ms,
      api5xxRatePercent,
      tasksOverdue: tasksOverdueThreshold,
    },
    ...(apiDomainName !== undefined && apiCertificateArn !== undefined
      ? { apiDomain: { domainName: apiDomainName, certificateArn: apiCertificateArn } }
      : {}),
  };
}

const contextKeys = [
  'stage',
  'jwtIssuer',
  'jwtAudience',
  'sesIdentityArn',
  'registrationValidityYears',
  'workdayEndsAt',
  'alarmEmails',
  'apiLatencyP99Ms',
  'api5xxRatePercent',
  'tasksOverdueThreshold',
  'apiDomainName',
  'apiCertificateArn',
  'userPoolMfa',
] as const;

/** Reads the deployment configuration from a construct tree's context (usually the App's). */
export function configFromContext(scope: IConstruct): ShanyuConfig {
  return parseConfig(
    Object.fromEntries(contextKeys.map((key) => [key, scope.node.tryGetContext(key)])),
  );
}
