import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.ts';
import { ForbiddenError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { slaPeriod, slaStats } from '../../shared/stats/sla.ts';
import { type StaffDistrict, staffDistrictSchema } from '../../shared/validation/district.ts';

// The dates are checked by slaPeriod, which words each problem with its own code.
const querySchema = z
  .object({
    district: staffDistrictSchema,
    from: z.string().max(32),
    to: z.string().max(32),
  })
  .strict();

/** Admins see every district; supervisors their own, city supervisors every one and the city's. */
function maySee(principal: Principal, district: StaffDistrict): boolean {
  if (principal.roles.includes('admin')) return true;
  if (!principal.roles.includes('supervisor') || principal.district === undefined) return false;
  return principal.district === 'city' || principal.district === district;
}

/**
 * GET /v1/stats/sla?district=…&from=YYYY-MM-DD&to=YYYY-MM-DD — of a district's staff tasks due in
 * the period (Huzhou dates, both included), how many were decided in time, per task type.
 */
export const handler = apiHandler(
  { name: 'GetSlaStats', roles: ['supervisor', 'admin'], query: querySchema },
  async ({ principal, query }) => {
    const period = slaPeriod(query.from, query.to);
    if (!maySee(principal, query.district)) {
      throw new ForbiddenError({
        'zh-CN': '只能查看本人所在区县的办理时效统计',
        en: 'Supervisors may see the figures of their own district only',
      });
    }
    return jsonResponse(200, await slaStats(query.district, period));
  },
);
