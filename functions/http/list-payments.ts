import * as z from 'zod';
import type { Principal } from '../../shared/auth/principal.ts';
import { documentClient, tableName } from '../../shared/db/client.ts';
import { ForbiddenError, ValidationError } from '../../shared/errors/http-errors.ts';
import { monthSchema } from '../../shared/forms/fields.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { paymentCsvFilename, renderPaymentsCsv } from '../../shared/payments/payment-csv.ts';
import { allPayments, listPayments } from '../../shared/payments/payment-list.ts';
import { paymentStatusSchema } from '../../shared/payments/payment-record.ts';
import { districtSchema } from '../../shared/validation/district.ts';

const querySchema = z
  .object({
    month: monthSchema,
    district: districtSchema.optional(),
    status: paymentStatusSchema.optional(),
    format: z.enum(['json', 'csv']).default('json'),
    cursor: z.string().max(2048).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

const districtRequired = {
  path: 'query.district',
  message: {
    'zh-CN': '市级工作人员查询补助发放记录时须指定区县',
    en: 'City-level staff must name a district to list its payments',
  },
};

/**
 * The district a caller may list: their own, unless they serve the whole city. An admin without
 * a district is city-wide; anyone else without one sees nothing.
 */
function allowedDistrict(principal: Principal, asked: string | undefined): string {
  const own = principal.district;
  if (own === undefined && !principal.roles.includes('admin')) throw new ForbiddenError();
  const cityWide = own === undefined || own === 'city';
  const district = asked ?? (cityWide ? undefined : own);
  if (!district) throw new ValidationError([districtRequired]);
  if (!cityWide && district !== own) throw new ForbiddenError();
  return district;
}

/**
 * GET /v1/payments — a month's payments of one district, as JSON pages or, with `format=csv`,
 * the whole month as the finance office's spreadsheet.
 */
export const handler = apiHandler(
  { name: 'ListPayments', roles: ['finance', 'supervisor', 'admin'], query: querySchema },
  async ({ principal, query }) => {
    const district = allowedDistrict(principal, query.district);
    const listing = {
      month: query.month,
      district,
      ...(query.status ? { status: query.status } : {}),
    };
    if (query.format === 'csv') {
      const records = await allPayments(documentClient, tableName(), listing);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${paymentCsvFilename(query.month, district)}"`,
          'cache-control': 'no-store',
        },
        // A text body: API Gateway passes it through as is (no base64).
        body: renderPaymentsCsv(records),
        isBase64Encoded: false,
      };
    }
    const page = await listPayments(
      documentClient,
      tableName(),
      listing,
      query.limit,
      query.cursor,
    );
    return jsonResponse(200, {
      items: page.items,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  },
);
