import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.ts';
import { roles, staffRoles } from '../../shared/auth/roles.ts';
import { type CaseListing, listCases } from '../../shared/cases/case-list.ts';
import { caseStatusSchema } from '../../shared/cases/case-record.ts';
import { caseListItem } from '../../shared/cases/case-view.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors/http-errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { staffDistrictSchema } from '../../shared/validation/district.ts';

const querySchema = z
  .object({
    mine: z.enum(['true', 'false']).optional(),
    district: staffDistrictSchema.exclude(['city']).optional(),
    status: caseStatusSchema.optional(),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const districtRequired = {
  path: 'query.district',
  message: {
    'zh-CN': '市级工作人员查询案件时须指定区县',
    en: 'City-level staff must name a district to list its cases',
  },
};

/**
 * The district whose cases the caller may list: staff their own, city staff any they name; an
 * admin, who may read every case, any they name too (as with payments and waivers).
 */
function listableDistrict(principal: Principal, asked: string | undefined): string {
  const isStaff = principal.roles.some((role) => staffRoles.includes(role));
  const cityWide = principal.roles.includes('admin') || (isStaff && principal.district === 'city');
  if (!cityWide && (!isStaff || !principal.district)) throw new ForbiddenError();
  const district = asked ?? (cityWide ? undefined : principal.district);
  if (!district) throw new ValidationError([districtRequired]);
  if (!cityWide && district !== principal.district) throw new ForbiddenError();
  return district;
}

/**
 * GET /v1/cases — `?mine=true` lists a family's own cases or a provider's; staff list their
 * district's (`?district=` for city staff and admins) by status.
 */
export const handler = apiHandler(
  { name: 'ListCases', roles, query: querySchema },
  async ({ principal, query }) => {
    let listing: CaseListing;
    if (query.mine === 'true') {
      if (principal.roles.includes('citizen')) listing = { kind: 'applicant', sub: principal.sub };
      else if (principal.roles.includes('provider') && principal.providerId) {
        listing = { kind: 'provider', providerId: principal.providerId };
      } else throw new ForbiddenError();
    } else {
      const district = listableDistrict(principal, query.district);
      listing = { kind: 'district', district, ...(query.status ? { status: query.status } : {}) };
    }
    const page = await listCases(listing, query.limit, query.cursor);
    return jsonResponse(200, {
      items: page.items.map(caseListItem),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
