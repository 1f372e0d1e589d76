import { publicApiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { getProvider, ProviderNotFoundError } from '../../shared/providers/index.ts';
import { publicProviderView } from '../../shared/providers/provider-view.ts';

/**
 * GET /v1/providers/{providerId} — one provider of the public registry (no login), suspended and
 * revoked ones included: a family should be able to learn that a provider may not operate.
 */
export const handler = publicApiHandler({ name: 'GetProvider' }, async ({ pathParameters }) => {
  const providerId = pathParameters.providerId ?? '';
  const record = await getProvider(providerId);
  if (!record) throw new ProviderNotFoundError(providerId);
  return jsonResponse(200, publicProviderView(record));
});
