import { validateHeaderName, validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { routes } from '../../../functions/http/routes.ts';
import { documentUploadRequestSchema } from '../../../shared/documents/upload-request.ts';
import { monthSchema } from '../../../shared/forms/fields.ts';
import { providerStatusSchema } from '../../../shared/providers/provider-record.ts';
import {
  registrationChangesSchema,
  registrationFormSchema,
} from '../../../shared/registration/registration-form.ts';
import { subsidyClaimFormSchema } from '../../../shared/subsidy/claim-form.ts';
import { districtSchema } from '../../../shared/validation/district.ts';
import { waiverFormSchema } from '../../../shared/waivers/waiver-form.ts';
import {
  bodyBytes,
  bodySize,
  frontDoorBodyLimit,
  type HostileRequest,
  hostileRequestFor,
  hostileRequests,
  invalidUtf8Mark,
  maxRequestTarget,
  routeInputs,
} from '../../reliability/support/hostile-requests.ts';

/*
 * The route schemas a hostile body must break. The three written inside their handlers are
 * repeated here as the handlers have them (functions/http/set-provider-status.ts,
 * assign-task.ts, disburse-payments.ts).
 */
const bodySchemas: Record<string, z.ZodType> = {
  SubmitSubsidyClaim: subsidyClaimFormSchema,
  SubmitProviderRegistration: registrationFormSchema,
  SubmitRegistrationChange: registrationChangesSchema,
  SubmitTuitionWaiver: waiverFormSchema,
  RequestDocumentUpload: documentUploadRequestSchema,
  SetProviderStatus: z
    .object({ status: providerStatusSchema, reason: z.string().trim().min(1).max(1000) })
    .strict(),
  AssignTask: z.object({ assignee: z.string().trim().min(1).max(128) }).strict(),
  DisbursePayments: z.object({ month: monthSchema, district: districtSchema }).strict(),
};

const sample = <T>(arbitrary: fc.Arbitrary<T>, numRuns: number) =>
  fc.sample(arbitrary, { numRuns, seed: 9 });

/** What the front door reads as JSON: shared/http/json-body.ts. */
function readAsJson(request: HostileRequest): boolean {
  const type = request.headers['content-type'];
  const text = typeof type === 'string' ? type : (type ?? []).join(',');
  return text.trim() === '' || /^application\/([\w.+-]+\+)?json\b/i.test(text.trim());
}

/** shared/http/idempotency.ts: what the front door takes as an Idempotency-Key. */
const validKey = (key: unknown) => typeof key === 'string' && /^[\x21-\x7e]{1,128}$/.test(key);

/** Whether the schema (or JSON itself) refuses the body the server would decode. */
function bodyRefused(request: HostileRequest, schema: z.ZodType): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyBytes(request.body).toString('utf8'));
  } catch {
    return true;
  }
  return !schema.safeParse(parsed).success;
}

describe('hostile requests', () => {
  it('know what every route of the catalogue reads, and nothing else', () => {
    // Prepare / Act
    const described = Object.keys(routeInputs).sort();

    // Assess
    expect(described).toEqual(routes.map((route) => route.id).sort());
  });

  it('reach every route, and paths no route serves', () => {
    // Prepare / Act
    const targets = new Set(sample(hostileRequests(), 1_500).map((request) => request.target));

    // Assess
    expect([...targets].sort()).toEqual(
      [...routes.map((route) => route.id), 'RouteNotFound'].sort(),
    );
  });

  it('start from bodies the routes accept, so that the defect is what gets refused', () => {
    // Prepare / Act
    const invalid = Object.entries(bodySchemas).filter(
      ([id, schema]) => !schema.safeParse(routeInputs[id]?.body?.valid).success,
    );

    // Assess
    expect(invalid.map(([id]) => id)).toEqual([]);
  });

  it.each(Object.keys(bodySchemas))(
    'never send %s a body it could accept (by size, media type, key, syntax or schema)',
    (id) => {
      // Prepare
      const route = routes.find((candidate) => candidate.id === id);
      if (!route) throw new Error(`no route ${id}`);
      const schema = bodySchemas[id] as z.ZodType;
      const idempotent = routeInputs[id]?.idempotent === true;

      // Act
      const accepted = sample(hostileRequestFor(route), 150).filter(
        (request) =>
          bodySize(request.body) <= frontDoorBodyLimit &&
          readAsJson(request) &&
          (!idempotent || validKey(request.headers['idempotency-key'])) &&
          !bodyRefused(request, schema),
      );

      // Assess
      expect(accepted.map((request) => request.defects)).toEqual([]);
    },
  );

  it('give every request that is not a read a reason to be refused', () => {
    // Prepare / Act
    const unexplained = sample(hostileRequests(), 1_000).filter(
      (request) => request.method !== 'GET' && request.defects.length === 0,
    );

    // Assess
    expect(unexplained).toEqual([]);
  });

  it('are sendable: header values a client may send, a bounded printable request target', () => {
    // Prepare / Act
    const problems = sample(hostileRequests(), 1_000).flatMap((request) => {
      const found: string[] = [];
      for (const [name, value] of Object.entries(request.headers)) {
        try {
          validateHeaderName(name);
          for (const item of typeof value === 'string' ? [value] : value) {
            validateHeaderValue(name, item);
          }
        } catch (error) {
          found.push(`${name}: ${(error as Error).message}`);
        }
      }
      if (!/^\/[\x21-\xff]*$/.test(request.path)) found.push(`path ${request.path}`);
      if (request.path.length > maxRequestTarget + 3_000) found.push('request target too long');
      return found;
    });

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('bodyBytes', () => {
  it('pads a body to the size it declares', () => {
    // Prepare
    const body = {
      kind: 'padded',
      head: '{"a":"',
      filler: 'x',
      bytes: 300_000,
      tail: '"}',
    } as const;

    // Act
    const bytes = bodyBytes(body);

    // Assess
    expect(bytes.length).toBe(300_000);
    expect(bodySize(body)).toBe(300_000);
    expect(JSON.parse(bytes.toString('utf8')).a).toHaveLength(300_000 - 8);
  });

  it('turns each mark into the invalid UTF-8 it stands for', () => {
    // Prepare
    const body = {
      kind: 'text',
      text: `{"name":"${invalidUtf8Mark}a${invalidUtf8Mark}"}`,
      invalidUtf8: [0xc0, 0xaf],
    } as const;

    // Act
    const bytes = bodyBytes(body);

    // Assess
    expect([...bytes]).toEqual([
      ...Buffer.from('{"name":"'),
      0xc0,
      0xaf,
      0x61,
      0xc0,
      0xaf,
      ...Buffer.from('"}'),
    ]);
  });
});
