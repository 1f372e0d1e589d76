import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { logger, metrics } from '../../shared/observability/index.ts';
import { getProvider } from '../../shared/providers/index.ts';
import { fileRegistration } from '../../shared/registration/file-registration.ts';
import { ProviderAlreadyRegisteredError } from '../../shared/registration/registration-errors.ts';
import { registrationFormSchema } from '../../shared/registration/registration-form.ts';
import { requiredEnv } from '../../shared/workflows/sfn-client.ts';

const stateMachineArn = requiredEnv('PROVIDER_REGISTRATION_STATE_MACHINE_ARN');
const versionArn = process.env.PROVIDER_REGISTRATION_STATE_MACHINE_VERSION_ARN;

/**
 * The provider's id: the one its account carries, or — for an organisation's first filing from
 * an account not yet tied to a provider — one derived from its 统一社会信用代码, which the identity
 * provider then gives the account (Cognito: `custom:providerId`).
 */
const providerIdFor = (accountProviderId: string | undefined, uscc: string) =>
  accountProviderId ?? `P-${uscc}`;

/** POST /v1/provider-registrations — a childcare provider files for registration (托育机构备案). */
export const handler = apiHandler(
  {
    name: 'SubmitProviderRegistration',
    roles: ['provider'],
    body: registrationFormSchema,
    idempotent: true,
  },
  async ({ principal, body, event }) => {
    const providerId = providerIdFor(principal.providerId, body.organisation.uscc);
    const existing = await getProvider(providerId);
    // A registered (or suspended) provider changes its filing; a revoked one may file anew.
    if (existing && existing.status !== 'revoked') {
      throw new ProviderAlreadyRegisteredError(providerId);
    }
    const record = await fileRegistration({
      principal,
      idempotencyKey: event.headers['idempotency-key'] ?? '',
      providerId,
      form: body,
      filing: { kind: 'new' },
      submitted: body,
      workflow: { stateMachineArn, ...(versionArn ? { versionArn } : {}) },
    });
    logger.appendKeys({ caseId: record.caseId });
    metrics.addDimension('caseType', 'provider-registration');
    metrics.addMetric('CaseSubmitted', MetricUnit.Count, 1);
    logger.info('Registration filed');
    return jsonResponse(202, { caseId: record.caseId, providerId, status: record.status });
  },
);
