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
    const context = { stage: 'prod' };

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

  it.each([
    ['an unknown stage', { stage: 'staging' }, /stage/],
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
