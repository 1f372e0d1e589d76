import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { ShanyuConfig } from '../config.ts';
import { acknowledge } from '../nag/nag-checks.ts';

export interface ShanyuUserPoolProps {
  readonly config: ShanyuConfig;
  /** One Cognito group per role; membership arrives in the `cognito:groups` claim. */
  readonly groups: readonly string[];
}

/**
 * The default identity provider: a Cognito user pool whose ID tokens carry the caller's roles
 * (`cognito:groups`) and scope (`custom:district`, `custom:providerId`).
 */
export class ShanyuUserPool extends Construct {
  public readonly userPool: UserPool;
  public readonly client: UserPoolClient;
  /** What the HTTP API's JWT authorizer checks `iss` against. */
  public readonly issuer: string;
  /** What the HTTP API's JWT authorizer checks `aud` (or `client_id`) against. */
  public readonly audience: readonly string[];

  public constructor(scope: Construct, id: string, props: ShanyuUserPoolProps) {
    super(scope, id);
    const { config } = props;

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `${config.prefix}Users`,
      // Accounts are provisioned by administrators: a self-registered account would have no role.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      customAttributes: {
        district: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        providerId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
      },
      mfa: config.userPoolMfa === 'required' ? Mfa.REQUIRED : Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: config.isProd,
      removalPolicy: config.removalPolicy,
    });

    if (config.userPoolMfa === 'optional') {
      acknowledge(
        this.userPool,
        'AwsSolutions-COG2',
        'MFA (TOTP) is offered but not required because the configuration says so ' +
          '(userPoolMfa=optional, the dev default): prod requires it unless its operators ' +
          'decide otherwise when the pool is created.',
      );
    }
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'Threat protection needs the Plus feature plan, a cost the operating office decides on; ' +
        'accounts are provisioned by administrators only and self sign-up is off.',
    );

    for (const group of props.groups) {
      this.userPool.addGroup(`Group-${group}`, { groupName: group });
    }

    this.client = this.userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('district', 'providerId'),
      // District and provider decide what a user may see: users must never set them themselves.
      writeAttributes: new ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
    });

    this.issuer = this.userPool.userPoolProviderUrl;
    this.audience = [this.client.userPoolClientId];
  }
}
