import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { InvalidConfigError, parseConfig } from '../../../infra/config.ts';
import { roles } from '../../../shared/auth/roles.ts';

describe('parseConfig', () => {
  it('defaults to the dev stage with a Cognito user pool holding one group per role', () => {
    // Prepare
    const context = {};

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      prefix: 'Shanyu-Dev-',
      isProd: false,
      removalPolicy: RemovalPolicy.DESTROY,
      logRetention: RetentionDays.ONE_MONTH,
      identityProvider: { kind: 'cognito', groups: roles },
    });
  });

  it('retains data and keeps logs for a year in prod', () => {
    // Prepare
    const context = { stage: 'prod', alarmEmails: 'ops@example.gov.cn' };

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config).toMatchObject({
      stage: 'prod',
      prefix: 'Shanyu-Prod-',
      isProd: true,
      removalPolicy: RemovalPolicy.RETAIN,
      logRetention: RetentionDays.ONE_YEAR,
    });
  });

  it('requires a second factor in prod and offers it in dev, unless told otherwise', () => {
    // Prepare
    const prod = { stage: 'prod', alarmEmails: 'ops@example.gov.cn' };

    // Act
    const configs = [
      parseConfig(prod),
      parseConfig({}),
      parseConfig({ ...prod, userPoolMfa: 'optional' }),
      parseConfig({ userPoolMfa: 'required' }),
    ];

    // Assess
    expect(configs.map((config) => config.userPoolMfa)).toEqual([
      'required',
      'optional',
      'optional',
      'required',
    ]);
    expect(() => parseConfig({ userPoolMfa: 'sometimes' })).toThrow(/userPoolMfa/);
  });

  it('uses an external OIDC issuer, splitting a comma-separated audience from the CLI', () => {
    // Prepare
    const context = { jwtIssuer: 'https://idp.example.gov.cn/oidc', jwtAudience: 'shanyu, web' };

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.identityProvider).toEqual({
      kind: 'oidc',
      issuer: 'https://idp.example.gov.cn/oidc',
      audience: ['shanyu', 'web'],
    });
  });

  it('ends the working day at 17:30 unless told otherwise', () => {
    // Prepare
    const context = {};

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.workdayEndsAt).toBe('17:30');
  });

  it.each(['18:00', '09:05', '00:00', '23:59'])(
    'takes %s as the end of the working day',
    (time) => {
      // Prepare
      const context = { workdayEndsAt: time };

      // Act
      const config = parseConfig(context);

      // Assess
      expect(config.workdayEndsAt).toBe(time);
    },
  );

  it.each(['8:00', '24:00', '17:60', '17:30:00', '5pm', ''])(
    'rejects %j as the end of the working day, naming the setting',
    (time) => {
      // Prepare
      const context = { workdayEndsAt: time };

      // Act
      const act = () => parseConfig(context);

      // Assess
      expect(act).toThrow(InvalidConfigError);
      expect(act).toThrow(/workdayEndsAt/);
    },
  );

  it('alarms nobody by e-mail in dev, at 3 s p99 latency, 1% 5xx and 20 overdue tasks, unless told otherwise', () => {
    // Prepare
    const context = {};

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.alarms).toEqual({
      emails: [],
      apiLatencyP99Ms: 3000,
      api5xxRatePercent: 1,
      tasksOverdue: 20,
    });
    expect(config.apiDomain).toBeUndefined();
  });

  it('reads comma-separated alarm e-mails and thresholds given as strings on the CLI', () => {
    // Prepare
    const context = {
      alarmEmails: 'ops@example.gov.cn, duty@example.gov.cn,',
      apiLatencyP99Ms: '5000',
      api5xxRatePercent: '0.5',
      tasksOverdueThreshold: '50',
    };

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.alarms).toEqual({
      emails: ['ops@example.gov.cn', 'duty@example.gov.cn'],
      apiLatencyP99Ms: 5000,
      api5xxRatePercent: 0.5,
      tasksOverdue: 50,
    });
  });

  it('takes alarm e-mails as an array from cdk.json', () => {
    // Prepare
    const context = { alarmEmails: ['ops@example.gov.cn'] };

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.alarms.emails).toEqual(['ops@example.gov.cn']);
  });

  it('serves the API on a custom domain when given one with its certificate', () => {
    // Prepare
    const context = {
      apiDomainName: 'API.Example.gov.cn',
      apiCertificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/abc-123',
    };

    // Act
    const config = parseConfig(context);

    // Assess
    expect(config.apiDomain).toEqual({
      domainName: 'api.example.gov.cn',
      certificateArn: 'arn:aws:acm:cn-north-1:123456789012:certificate/abc-123',
    });
  });

  const certificateArn = 'arn:aws:acm:cn-north-1:123456789012:certificate/abc';

  it.each([
    ['an unknown stage', { stage: 'staging' }, /stage/],
    ['prod without alarm e-mails', { stage: 'prod' }, /alarmEmails is required for stage=prod/],
    [
      'prod with only empty alarm e-mails',
      { stage: 'prod', alarmEmails: ' , ' },
      /alarmEmails is required for stage=prod/,
    ],
    ['a domain without a certificate', { apiDomainName: 'api.example.gov.cn' }, /together/],
    ['a certificate without a domain', { apiCertificateArn: certificateArn }, /together/],
    [
      'a domain that is not fully qualified',
      { apiDomainName: 'api', apiCertificateArn: certificateArn },
      /apiDomainName/,
    ],
    [
      'a certificate that is not an ACM ARN',
      {
        apiDomainName: 'api.example.gov.cn',
        apiCertificateArn: 'arn:aws:iam::123456789012:server-certificate/abc',
      },
      /apiCertificateArn/,
    ],
    ['an alarm e-mail that is not an address', { alarmEmails: 'ops@example, x' }, /alarmEmails/],
    ['a latency threshold that is not a number', { apiLatencyP99Ms: 'fast' }, /apiLatencyP99Ms/],
    ['a latency threshold beyond the API timeout', { apiLatencyP99Ms: 60_000 }, /30 s/],
    ['a 5xx rate of no requests', { api5xxRatePercent: 0 }, /api5xxRatePercent/],
    ['a 5xx rate above every request', { api5xxRatePercent: 101 }, /api5xxRatePercent/],
    ['a 5xx rate that is not a number', { api5xxRatePercent: 'some' }, /api5xxRatePercent/],
    ['no overdue tasks as a threshold', { tasksOverdueThreshold: 0 }, /tasksOverdueThreshold/],
    ['an issuer without an audience', { jwtIssuer: 'https://idp.example.gov.cn' }, /together/],
    ['an audience without an issuer', { jwtAudience: 'shanyu' }, /together/],
    ['a plain-http issuer', { jwtIssuer: 'http://idp.example', jwtAudience: 'a' }, /https/],
    ['an empty audience', { jwtIssuer: 'https://idp.example', jwtAudience: ' , ' }, /audience/],
  ])('rejects %s with a readable error', (_name, context, message) => {
    // Prepare
    const raw: Record<string, unknown> = context;

    // Act
    const act = () => parseConfig(raw);

    // Assess
    expect(act).toThrow(InvalidConfigError);
    expect(act).toThrow(message);
  });
});
