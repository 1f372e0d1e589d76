import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import {
  getProvider,
  ProviderNotFoundError,
  type ProviderRecord,
  providerStatusSchema,
  setProviderStatus,
} from '../../shared/providers/index.ts';
import { publicProviderView } from '../../shared/providers/provider-view.ts';

const bodySchema = z
  .object({ status: providerStatusSchema, reason: z.string().trim().min(1).max(1000) })
  .strict();

/**
 * Admins, and supervisors of the provider's district or of the city. Another district's
 * supervisor gets 403 rather than a 404 that would hide the provider: the registry is public, so
 * its existence is no secret.
 */
function mayChange(principal: Principal, provider: ProviderRecord): boolean {
  if (principal.roles.includes('admin')) return true;
  return (
    principal.roles.includes('supervisor') &&
    (principal.district === 'city' || principal.district === provider.district)
  );
}

/**
 * POST /v1/providers/{providerId}/status — suspend (暂停), revoke (撤销) or reinstate a
 * registration, with a reason. Asking for the current status changes nothing and answers 200.
 */
export const handler = apiHandler(
  { name: 'SetProviderStatus', roles: ['supervisor', 'admin'], body: bodySchema },
  async ({ principal, pathParameters, body }) => {
    const providerId = pathParameters.providerId ?? '';
    const provider = await getProvider(providerId);
    if (!provider) throw new ProviderNotFoundError(providerId);
    if (!mayChange(principal, provider)) throw new ForbiddenError();
    // A provider's district never changes with its status: the check above holds for the write.
    const record = await setProviderStatus(providerId, body, {
      kind: 'person',
      sub: principal.sub,
      roles: [...principal.roles],
    });
    return jsonResponse(200, publicProviderView(record));
  },
);
