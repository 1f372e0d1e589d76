import { now } from '../../shared/clock/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { getProvider, type ProviderRecord } from '../../shared/providers/index.ts';
import { fileRegistration } from '../../shared/registration/file-registration.ts';
import {
  ProviderAccountRequiredError,
  ProviderAlreadyRegisteredError,
} from '../../shared/registration/registration-errors.ts';
import { registrationFormSchema } from '../../shared/registration/registration-form.ts';
import { shanghaiDate } from '../../shared/subsidy/policy/shanghai-calendar.ts';
import { requiredEnv } from '../../shared/workflows/sfn-client.ts';

const stateMachineArn = requiredEnv('PROVIDER_REGISTRATION_STATE_MACHINE_ARN');
const versionArn = process.env.PROVIDER_REGISTRATION_STATE_MACHINE_VERSION_ARN;

/** A registration that has run out (or was entered by hand, with no filing) is filed anew. */
function mayFileAnew(provider: ProviderRecord, today: string): boolean {
  return (
    provider.status === 'revoked' ||
    provider.registrationCaseId === undefined ||
    (provider.registeredUntil !== undefined && provider.registeredUntil < today)
  );
}

/** POST /v1/provider-registrations — a childcare provider files for registration (托育机构备案). */
export const handler = apiHandler(
  {
    name: 'SubmitProviderRegistration',
    roles: ['provider'],
    body: registrationFormSchema,
    idempotent: true,
  },
  async ({ principal, body, event }) => {
    // The account is the provider's (the identity provider issues `providerId` with it): the
    // filing, its tasks and its case belong to that provider, so an account without one cannot file.
    const providerId = principal.providerId;
    if (!providerId) throw new ProviderAccountRequiredError();
    const existing = await getProvider(providerId);
    // A registered (or suspended) provider changes its filing; a revoked or lapsed one files anew.
    if (existing && !mayFileAnew(existing, shanghaiDate(now()))) {
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
    return jsonResponse(202, { caseId: record.caseId, providerId, status: record.status });
  },
);
