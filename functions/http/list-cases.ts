import { z } from 'zod';
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
 * GET /v1/cases — `?mine=true` lists a family's own cases or a provider's; staff list their
 * district's (`?district=` for city staff) by status.
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
      const isStaff = principal.roles.some((role) => staffRoles.includes(role));
      if (!isStaff || !principal.district) throw new ForbiddenError();
      const district =
        query.district ?? (principal.district === 'city' ? undefined : principal.district);
      if (!district) throw new ValidationError([districtRequired]);
      if (principal.district !== 'city' && district !== principal.district)
        throw new ForbiddenError();
      listing = { kind: 'district', district, ...(query.status ? { status: query.status } : {}) };
    }
    const page = await listCases(listing, query.limit, query.cursor);
    return jsonResponse(200, {
      items: page.items.map(caseListItem),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
