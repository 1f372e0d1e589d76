import { getCase } from '../../shared/cases/case-store.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { getProvider } from '../../shared/providers/index.ts';
import { fileRegistration } from '../../shared/registration/file-registration.ts';
import { changedPartsOf, registrationFormOf } from '../../shared/registration/registration-case.ts';
import {
  ProviderNotRegisteredError,
  RegistrationRecordMissingError,
} from '../../shared/registration/registration-errors.ts';
import {
  applyRegistrationChanges,
  registrationChangesSchema,
} from '../../shared/registration/registration-form.ts';
import { requiredEnv } from '../../shared/workflows/sfn-client.ts';

const stateMachineArn = requiredEnv('PROVIDER_REGISTRATION_STATE_MACHINE_ARN');
const versionArn = process.env.PROVIDER_REGISTRATION_STATE_MACHINE_VERSION_ARN;

/**
 * POST /v1/provider-registrations/{providerId}/changes — a registered provider changes its filing
 * (places, address, staff…). The change runs the registration workflow with only the reviews it
 * touches; the case carries the whole filing as it will read once approved.
 */
export const handler = apiHandler(
  {
    name: 'SubmitRegistrationChange',
    roles: ['provider'],
    body: registrationChangesSchema,
    idempotent: true,
  },
  async ({ principal, body, event, pathParameters }) => {
    const providerId = pathParameters.providerId ?? '';
    if (principal.providerId !== providerId) throw new ForbiddenError();
    const provider = await getProvider(providerId);
    if (provider?.status !== 'registered') {
      throw new ProviderNotRegisteredError(providerId);
    }
    const base = provider.registrationCaseId
      ? await getCase(provider.registrationCaseId)
      : undefined;
    if (!base) throw new RegistrationRecordMissingError(providerId);
    const { form } = registrationFormOf(base);
    const record = await fileRegistration({
      principal,
      idempotencyKey: event.headers['idempotency-key'] ?? '',
      providerId,
      form: applyRegistrationChanges(form, body),
      filing: { kind: 'change', changedParts: changedPartsOf(body), baseCaseId: base.caseId },
      submitted: body,
      workflow: { stateMachineArn, ...(versionArn ? { versionArn } : {}) },
    });
    return jsonResponse(202, { caseId: record.caseId, providerId, status: record.status });
  },
);
