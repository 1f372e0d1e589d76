import * as z from 'zod';
import { publicApiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { listRegisteredProviders } from '../../shared/providers/index.ts';
import { publicProviderView } from '../../shared/providers/provider-view.ts';
import { districtSchema } from '../../shared/validation/district.ts';

const querySchema = z
  .object({
    district: districtSchema.optional(),
    inclusive: z.enum(['true', 'false']).optional(),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/**
 * GET /v1/providers — the public registry (no login): registered providers by district, `?inclusive=true`
 * for the 普惠 ones subsidies may be spent at. A page may hold fewer than `limit` while
 * `cursor` says more may follow (as on every list of this API).
 */
export const handler = publicApiHandler(
  { name: 'ListProviders', query: querySchema },
  async ({ query }) => {
    const page = await listRegisteredProviders({
      limit: query.limit,
      ...(query.district ? { district: query.district } : {}),
      ...(query.inclusive ? { inclusive: query.inclusive === 'true' } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return jsonResponse(200, {
      items: page.items.map(publicProviderView),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
