import { randomInt } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { errorResponse } from '../../shared/errors/error-response.ts';
import { ConflictError, MalformedJsonError } from '../../shared/errors/http-errors.ts';
import { negotiateLanguage } from '../../shared/errors/localized.ts';
import { ShanyuError } from '../../shared/errors/shanyu-error.ts';
import { validate } from '../../shared/errors/validate.ts';
import {
  type ProviderRecord,
  providerIdPrefixes,
  providerIdSchema,
} from '../../shared/providers/provider-record.ts';
import { ProviderStore } from '../../shared/providers/provider-store.ts';
import {
  calendarDateSchema,
  hardshipRecordSchema,
  hukouDistrictSchema,
} from '../../shared/registries/registry-records.ts';
import { TableRegistries } from '../../shared/registries/table-registries.ts';
import { districtSchema } from '../../shared/validation/district.ts';
import { idNumberSchema, maskIdNumber, parseIdNumber } from '../../shared/validation/id-number.ts';
import { usccSchema } from '../../shared/validation/uscc.ts';
import type { LocalRequest, LocalResponse, LocalRouteHandler } from './gateway/types.ts';

const nameSchema = z.string().trim().min(1).max(200);
/** Before any demo month, so that a provider made without a date counts as registered. */
const DEFAULT_REGISTERED_FROM = '2024-01-01';

const residentRequestSchema = z.strictObject({
  idNumber: idNumberSchema,
  name: nameSchema,
  hukouDistrict: hukouDistrictSchema,
  hardship: z.strictObject(hardshipRecordSchema.shape).optional(),
});

const enterpriseRequestSchema = z.strictObject({
  uscc: usccSchema,
  name: nameSchema,
  status: z.enum(['active', 'revoked']),
});

const providerRequestSchema = z
  .strictObject({
    providerId: providerIdSchema.optional(),
    name: nameSchema,
    district: districtSchema,
    inclusive: z.boolean(),
    status: z.enum(['registered', 'suspended', 'revoked']).default('registered'),
    capacity: z.int().min(0),
    registeredFrom: calendarDateSchema.default(DEFAULT_REGISTERED_FROM),
    registeredUntil: calendarDateSchema.optional(),
    uscc: usccSchema.optional(),
  })
  .refine(
    (body) => body.registeredUntil === undefined || body.registeredUntil >= body.registeredFrom,
    { message: 'registeredUntil must not be before registeredFrom', path: ['registeredUntil'] },
  );

/** Random ids collide now and then; a handful of draws makes a failure practically impossible. */
const ID_DRAWS = 20;

/** A JSON POST handler: the body parsed and validated, errors in the API's one error shape. */
function jsonRoute<S extends z.ZodType>(
  schema: S,
  handle: (body: z.output<S>) => Promise<LocalResponse>,
): LocalRouteHandler {
  return async (request: LocalRequest) => {
    const language = negotiateLanguage(request.headers['accept-language']);
    try {
      let json: unknown;
      try {
        json = JSON.parse(request.body);
      } catch (cause) {
        throw new MalformedJsonError({ cause });
      }
      return await handle(validate(schema, json, 'body'));
    } catch (error) {
      if (!(error instanceof ShanyuError)) throw error;
      const response = errorResponse(error, language);
      return {
        statusCode: response.statusCode ?? 500,
        headers: Object.fromEntries(
          Object.entries(response.headers ?? {}).map(([name, value]) => [name, String(value)]),
        ),
        body: JSON.parse(response.body ?? 'null'),
      };
    }
  };
}

/**
 * Local-only endpoints that fill the registries the workflows consult, so that a developer or a
 * test can set up any applicant or provider:
 *
 * - `POST /dev/registry/residents` `{idNumber, name, hukouDistrict, hardship?}` (birth date from
 *   the ID number) → 201 with the resident, ID number masked;
 * - `POST /dev/registry/enterprises` `{uscc, name, status}` → 201;
 * - `POST /dev/providers` `{providerId?, name, district, inclusive, status?, capacity,
 *   registeredFrom?, registeredUntil?, uscc?}` → 201 with the record; without an id, one is made up
 *   (`P-WX-0042`), never replacing another provider.
 *
 * Each creates or replaces what it names. Bad input: 400 VALIDATION_FAILED naming every bad field.
 */
export function devRegistryRoutes(
  documents: DynamoDBDocumentClient,
  tableName: string,
): Record<string, LocalRouteHandler> {
  const registries = new TableRegistries({ documents, tableName });
  const providers = new ProviderStore({ documents, tableName });

  return {
    'POST /dev/registry/residents': jsonRoute(residentRequestSchema, async (body) => {
      const resident = { ...body, birthDate: parseIdNumber(body.idNumber).birthDate };
      await registries.putResident(resident);
      return {
        statusCode: 201,
        body: {
          idNumber: maskIdNumber(resident.idNumber),
          name: resident.name,
          birthDate: resident.birthDate,
          hukouDistrict: resident.hukouDistrict,
          ...(resident.hardship === undefined ? {} : { hardship: resident.hardship }),
        },
      };
    }),

    'POST /dev/registry/enterprises': jsonRoute(enterpriseRequestSchema, async (body) => {
      await registries.putEnterprise(body);
      return { statusCode: 201, body };
    }),

    'POST /dev/providers': jsonRoute(providerRequestSchema, async (body) => {
      const { providerId, ...fields } = body;
      if (providerId !== undefined) {
        const record: ProviderRecord = { providerId, ...fields };
        await providers.put(record);
        return { statusCode: 201, body: record };
      }
      for (let draw = 0; draw < ID_DRAWS; draw++) {
        const digits = String(randomInt(0, 10_000)).padStart(4, '0');
        const record: ProviderRecord = {
          providerId: `P-${providerIdPrefixes[fields.district]}-${digits}`,
          ...fields,
        };
        if (await providers.create(record)) return { statusCode: 201, body: record };
      }
      throw new ConflictError('PROVIDER_ID_EXHAUSTED', {
        'zh-CN': '无法为该区县生成新的机构编号，请指定 providerId',
        en: 'Could not generate a free provider id for this district; pass a providerId',
      });
    }),
  };
}
