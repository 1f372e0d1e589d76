import fc from 'fast-check';
import { type HttpMethod, type RouteDefinition, routes } from '../../../functions/http/routes.ts';
import type { Role } from '../../../shared/auth/roles.ts';
import { caseStatusSchema, caseTypeSchema } from '../../../shared/cases/case-record.ts';
import { keys } from '../../../shared/db/keys.ts';
import { paymentStatusSchema } from '../../../shared/payments/payment-record.ts';
import { registryPartitions } from '../../../shared/providers/provider-record.ts';
import { queuesOf } from '../../../shared/tasks/queues.ts';
import { districtSchema, staffDistrictSchema } from '../../../shared/validation/district.ts';
import { maskIdNumber } from '../../../shared/validation/id-number.ts';
import type { TokenInput } from '../../support/api-client.ts';
import { bornMonthsAgo, idNumberFor, monthAgo, validClaimForm } from '../../support/ids.ts';
import { compliantRegistrationForm } from '../../support/registration-form.ts';

/*
 * Hostile HTTP requests for every route of the API, as fast-check arbitraries. Pure: nothing here
 * touches the network; the reliability test sends what these describe.
 *
 * Every request that is not a GET carries at least one defect the API must refuse it for: a body
 * its schema cannot accept (checked against the real schemas in the unit tests), a media type
 * other than JSON, a missing Idempotency-Key, or an id that names nothing (random, or hostile).
 * So a 2xx to anything but a GET is a fault, and a GET may answer 2xx but must write nothing.
 */

// ---------------------------------------------------------------------------------------------
// JSON as written on the wire

/** A number as written in the JSON text, so that 1e400, -0 and 2^64 reach the server as sent. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** An object as written: entries in order, duplicate keys and `__proto__` kept as entries. */
export class JsonObject {
  constructor(readonly entries: readonly (readonly [string, JsonNode])[]) {}
}

/** JSON text inserted verbatim (a 10,000-level nesting would overflow a recursive writer). */
export class JsonRaw {
  constructor(readonly text: string) {}
}

export type JsonNode = null | boolean | string | JsonNumber | JsonObject | JsonRaw | JsonNode[];

/** A plain value (a fixture's form) as a tree the mutations can take apart. */
export function jsonNode(value: unknown): JsonNode {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return new JsonNumber(JSON.stringify(value));
  if (Array.isArray(value)) return value.map(jsonNode);
  if (typeof value === 'object') {
    return new JsonObject(Object.entries(value).map(([key, item]) => [key, jsonNode(item)]));
  }
  throw new TypeError(`not JSON: ${typeof value}`);
}

/** The tree as JSON text, entry by entry. */
export function jsonText(node: JsonNode): string {
  if (node === null || typeof node === 'boolean' || typeof node === 'string') {
    return JSON.stringify(node);
  }
  if (node instanceof JsonNumber || node instanceof JsonRaw) return node.text;
  if (node instanceof JsonObject) {
    return `{${node.entries.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(',')}}`;
  }
  return `[${node.map(jsonText).join(',')}]`;
}

type JsonPath = readonly (string | number)[];

function childrenOf(node: JsonNode): [string | number, JsonNode][] {
  if (node instanceof JsonObject) return node.entries.map(([key, item]) => [key, item]);
  if (Array.isArray(node)) return node.map((item, index) => [index, item]);
  return [];
}

/** Every node below the root, depth first, with its path. */
function nodesOf(node: JsonNode, path: JsonPath = []): { path: JsonPath; node: JsonNode }[] {
  return childrenOf(node).flatMap(([key, child]) => [
    { path: [...path, key], node: child },
    ...nodesOf(child, [...path, key]),
  ]);
}

/** The tree with the node at `path` replaced (`undefined`: removed). */
function replaceAt(
  node: JsonNode,
  path: JsonPath,
  replace: (old: JsonNode) => JsonNode | undefined,
) {
  const [head, ...rest] = path;
  if (head === undefined) return replace(node) ?? null;
  const step = (child: JsonNode) =>
    rest.length === 0 ? replace(child) : replaceAt(child, rest, replace);
  if (node instanceof JsonObject) {
    const entries = node.entries.flatMap(([key, child]): [string, JsonNode][] => {
      if (key !== head) return [[key, child]];
      const next = step(child);
      return next === undefined ? [] : [[key, next]];
    });
    return new JsonObject(entries);
  }
  if (Array.isArray(node)) {
    return node.flatMap((child, index): JsonNode[] => {
      if (index !== head) return [child];
      const next = step(child);
      return next === undefined ? [] : [next];
    });
  }
  return node;
}

function kindOf(
  node: JsonNode,
): 'null' | 'boolean' | 'string' | 'number' | 'object' | 'array' | 'raw' {
  if (node === null) return 'null';
  if (typeof node === 'boolean') return 'boolean';
  if (typeof node === 'string') return 'string';
  if (node instanceof JsonNumber) return 'number';
  if (node instanceof JsonObject) return 'object';
  if (node instanceof JsonRaw) return 'raw';
  return 'array';
}

/** Dotted path with array indices as `*`, to match a route's optional keys. */
const pattern = (path: JsonPath) =>
  path.map((part) => (typeof part === 'number' ? '*' : part)).join('.');

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Stands for invalid UTF-8 in a text body: each one is replaced by raw bytes when sent. */
export const invalidUtf8Mark = '\uFDD0';
const invalidUtf8Sequences: readonly (readonly number[])[] = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0xaf],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
];

const controlCharacters = [
  '\u0000',
  '\u0007',
  '\b',
  '\u001b',
  '\u007f',
  '\u2028',
  '\u202e',
  '\ufeff',
];

/** Keys that poison careless object handling. */
export const poisonKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

const hostileNumberTexts = [
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '18446744073709551616',
  '-9223372036854775809',
  '-1',
  '1e21',
  '-0.5',
  '0.000001',
];

const deepArray = (depth: number) => new JsonRaw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const deepObject = (depth: number) => new JsonRaw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
const depth = fc.oneof(fc.integer({ min: 2, max: 100 }), fc.integer({ min: 1_000, max: 10_000 }));

/** A string of `length` characters from a small pool, Chinese included (3 UTF-8 bytes each). */
const longString = (min: number, max: number) =>
  fc
    .record({
      length: fc.integer({ min, max }),
      unit: fc.constantFrom('x', '汉', 'é', '\u0000', '😀', `${invalidUtf8Mark}`),
    })
    .map(({ length, unit }) => unit.repeat(Math.ceil(length / unit.length)));

const shortText = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom(
    ...controlCharacters,
    ...poisonKeys,
    'NaN',
    'Infinity',
    '-0',
    'null',
    'undefined',
  ),
);

/** Something of another JSON type than `node`: never acceptable where `node` was. */
function wrongTypeFor(node: JsonNode): fc.Arbitrary<JsonNode> {
  const kind = kindOf(node);
  const options: fc.Arbitrary<JsonNode>[] = [];
  if (kind !== 'null') options.push(fc.constant(null));
  if (kind !== 'boolean') options.push(fc.boolean());
  if (kind !== 'string') {
    options.push(shortText, fc.constantFrom('NaN', '1e308', '-0', 'Infinity', 'true', '[]'));
  }
  if (kind !== 'number') {
    options.push(
      fc.constantFrom(...hostileNumberTexts, '0', '-0', '1').map((t) => new JsonNumber(t)),
    );
  }
  if (kind !== 'array') {
    options.push(fc.constant([]), depth.map(deepArray), fc.constant(node === null ? [] : [node]));
  }
  if (kind !== 'object') {
    options.push(
      fc.constant(new JsonObject([])),
      depth.map(deepObject),
      fc
        .constantFrom(...poisonKeys)
        .map((key) => new JsonObject([[key, new JsonObject([['polluted', true]])]])),
    );
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Routes: who may call them and what they read

export type PathParameter = 'caseId' | 'taskId' | 'providerId' | 'ref';

export interface BodyInput {
  /** A body the route's schema accepts; the defects break it. Built once (fixtures draw ids). */
  readonly valid: unknown;
  /**
   * `front-door`: read by apiHandler (size 413, media type 415, syntax and schema 400);
   * `route`: read by the route itself, which takes no body at all as an empty one.
   */
  readonly reader: 'front-door' | 'route';
  /**
   * True when every body below is refused by the schema (strict objects, required fields):
   * what lets a route with a real id in its path (a provider) take hostile bodies without risk.
   */
  readonly refusesEveryDefect: boolean;
  /** Keys the schema does not require (dotted, `*` for array items): removing them is no defect. */
  readonly optionalKeys?: readonly string[];
  /** Objects (dotted paths, '' the body) whose schema takes any key: an extra key is no defect. */
  readonly openObjects?: readonly string[];
}

export type QueryInput = Readonly<Record<string, fc.Arbitrary<string>>>;

export interface RouteInput {
  /** The roles the route lets in; `public` for routes without login. */
  readonly roles: readonly Role[] | 'public';
  readonly body?: BodyInput;
  /** A creating POST: the front door requires an Idempotency-Key (after the body). */
  readonly idempotent?: boolean;
  /** The query parameters the route's schema knows, with values it accepts. */
  readonly query?: QueryInput;
}

/** One principal per role, each scoped (district, provider) so that its lists and queues exist. */
export const hostilePrincipals: Readonly<Record<Role, TokenInput>> = {
  citizen: { sub: 'hostile-citizen', roles: ['citizen'] },
  provider: { sub: 'hostile-provider', roles: ['provider'], providerId: 'P-WX-0001' },
  caseworker: { sub: 'hostile-caseworker', roles: ['caseworker'], district: 'wuxing' },
  supervisor: { sub: 'hostile-supervisor', roles: ['supervisor'], district: 'city' },
  'civil-affairs': { sub: 'hostile-civil-affairs', roles: ['civil-affairs'], district: 'anji' },
  fire: { sub: 'hostile-fire', roles: ['fire'], district: 'nanxun' },
  market: { sub: 'hostile-market', roles: ['market'], district: 'deqing' },
  finance: { sub: 'hostile-finance', roles: ['finance'], district: 'wuxing' },
  admin: { sub: 'hostile-admin', roles: ['admin'] },
};

const allRoles = Object.keys(hostilePrincipals) as Role[];

const month = fc.oneof(
  fc.integer({ min: -6, max: 24 }).map((back) => monthAgo(back)),
  fc.constantFrom('2026-01', '1970-01', '9999-12'),
);
const day = fc.constantFrom('2026-01-01', '2026-03-31', '2025-12-31', '2024-02-29');
const limit = fc.integer({ min: 1, max: 100 }).map(String);

/** A valid-looking document upload request. */
const validUpload = {
  kind: 'business-license',
  fileName: '营业执照.pdf',
  contentType: 'application/pdf',
  sizeBytes: 120_000,
};

const validWaiverForm = {
  child: { name: '沈小禾', idNumber: idNumberFor(bornMonthsAgo(14)) },
  guardian: { name: '沈明', idNumber: idNumberFor('19900101'), phone: '13857200000' },
  providerId: 'P-WX-0001',
  hardship: { category: 'dibao', certificateNo: 'DB-330502-0001' },
  term: { from: monthAgo(0), to: monthAgo(-2) },
  monthlyTuitionYuan: 2800,
  milkSubsidy: true,
};

const validRegistrationChange = {
  organisation: { name: '湖州吴兴禾苗托育服务有限公司', address: '湖州市吴兴区爱山街道禾苗路2号' },
  monthlyFeeYuan: 2600,
  premises: { indoorAreaM2: 420, outdoorAreaM2: 180, leaseYears: 5 },
};

/** What each route reads, by route id. The unit tests hold it to `routes` and to the schemas. */
export const routeInputs: Readonly<Record<string, RouteInput>> = {
  GetMe: { roles: allRoles },
  ListProviders: {
    roles: 'public',
    query: {
      district: fc.constantFrom(...districtSchema.options),
      inclusive: fc.constantFrom('true', 'false'),
      limit,
    },
  },
  GetProvider: { roles: 'public' },
  SetProviderStatus: {
    roles: ['supervisor', 'admin'],
    body: {
      valid: { status: 'suspended', reason: '消防检查未通过' },
      reader: 'front-door',
      refusesEveryDefect: true,
    },
  },
  SubmitSubsidyClaim: {
    roles: ['citizen'],
    idempotent: true,
    body: { valid: validClaimForm(), reader: 'front-door', refusesEveryDefect: true },
  },
  SubmitProviderRegistration: {
    roles: ['provider'],
    idempotent: true,
    body: { valid: compliantRegistrationForm(), reader: 'front-door', refusesEveryDefect: true },
  },
  SubmitRegistrationChange: {
    roles: ['provider'],
    idempotent: true,
    body: {
      valid: validRegistrationChange,
      reader: 'front-door',
      refusesEveryDefect: true,
      // Every part of a change is optional; removing one of several leaves a valid change.
      optionalKeys: [
        'organisation',
        'monthlyFeeYuan',
        'premises',
        'organisation.name',
        'organisation.address',
      ],
    },
  },
  SubmitTuitionWaiver: {
    roles: ['citizen'],
    idempotent: true,
    body: { valid: validWaiverForm, reader: 'front-door', refusesEveryDefect: true },
  },
  GetCase: { roles: allRoles },
  ListCases: {
    roles: allRoles,
    query: {
      mine: fc.constantFrom('true', 'false'),
      district: fc.constantFrom(...districtSchema.options),
      status: fc.constantFrom(...caseStatusSchema.options),
      limit,
    },
  },
  WithdrawCase: { roles: ['citizen', 'provider'] },
  ListTasks: {
    roles: allRoles,
    query: {
      status: fc.constantFrom('open', 'claimed', 'done', 'escalated'),
      caseType: fc.constantFrom(...caseTypeSchema.options),
      limit,
    },
  },
  GetTask: { roles: allRoles },
  ClaimTask: {
    roles: allRoles,
    // The task ids never exist: a claim with a valid body is still refused (404).
    body: { valid: { scheduledFor: '2026-03-02' }, reader: 'route', refusesEveryDefect: false },
  },
  UnclaimTask: { roles: allRoles },
  AssignTask: {
    roles: ['supervisor'],
    body: { valid: { assignee: 'cw-1' }, reader: 'front-door', refusesEveryDefect: true },
  },
  ListPayments: {
    roles: ['finance', 'supervisor', 'admin'],
    query: {
      month,
      district: fc.constantFrom(...districtSchema.options),
      status: fc.constantFrom(...paymentStatusSchema.options),
      format: fc.constantFrom('json', 'csv'),
      limit,
    },
  },
  DisbursePayments: {
    roles: ['finance'],
    body: {
      valid: { month: monthAgo(1), district: 'wuxing' },
      reader: 'front-door',
      refusesEveryDefect: true,
    },
  },
  RequestDocumentUpload: {
    roles: ['provider', 'citizen'],
    body: { valid: validUpload, reader: 'front-door', refusesEveryDefect: true },
  },
  GetDocument: { roles: allRoles },
  ListWaivers: {
    roles: ['provider', 'caseworker', 'supervisor', 'finance', 'admin'],
    query: { providerId: fc.constantFrom('P-WX-0001', 'P-AJ-0001', 'P-NX-0001'), month, limit },
  },
  GetSlaStats: {
    roles: ['supervisor', 'admin'],
    query: { district: fc.constantFrom(...staffDistrictSchema.options), from: day, to: day },
  },
  DecideTask: {
    roles: allRoles,
    // Any object passes the front door (the form depends on the task); the ids never exist.
    body: {
      valid: { outcome: 'reject', reason: '材料不全', data: { findings: ['缺少消防验收意见'] } },
      reader: 'front-door',
      refusesEveryDefect: false,
      openObjects: [''],
    },
  },
};

export function routeInputOf(route: Pick<RouteDefinition, 'id'>): RouteInput {
  const input = routeInputs[route.id];
  if (!input) throw new Error(`no hostile input for route ${route.id}`);
  return input;
}

// ---------------------------------------------------------------------------------------------
// Bodies

export type HostileBody =
  | { readonly kind: 'none' }
  /** UTF-8 text; every {@link invalidUtf8Mark} becomes `invalidUtf8` bytes. */
  | { readonly kind: 'text'; readonly text: string; readonly invalidUtf8?: readonly number[] }
  /** `head`, then `filler` repeated until the body has `bytes` bytes, then `tail`. */
  | {
      readonly kind: 'padded';
      readonly head: string;
      readonly filler: string;
      readonly bytes: number;
      readonly tail: string;
    };

/** The bytes a body is sent as. */
export function bodyBytes(body: HostileBody): Buffer {
  if (body.kind === 'none') return Buffer.alloc(0);
  if (body.kind === 'padded') {
    const head = Buffer.from(body.head);
    const tail = Buffer.from(body.tail);
    const fill = Buffer.alloc(Math.max(0, body.bytes - head.length - tail.length), body.filler);
    return Buffer.concat([head, fill, tail]);
  }
  const bytes = Buffer.from(body.text, 'utf8');
  if (body.invalidUtf8 === undefined) return bytes;
  const mark = Buffer.from(invalidUtf8Mark, 'utf8');
  const replacement = Buffer.from(body.invalidUtf8);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, from)) {
    parts.push(bytes.subarray(from, at), replacement);
    from = at + mark.length;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/** The size a body declares; cheap even for the 11 MB ones. */
export function bodySize(body: HostileBody): number {
  if (body.kind === 'none') return 0;
  if (body.kind === 'padded') return Math.max(body.bytes, Buffer.byteLength(body.head + body.tail));
  return bodyBytes(body).length;
}

/** API Gateway's own payload limit: beyond it the gateway answers before any function runs. */
export const gatewayBodyLimit = 10 * 1024 * 1024;
/** The front door's limit (shared/http/json-body.ts). */
export const frontDoorBodyLimit = 256 * 1024;

const textBody = (text: string): HostileBody =>
  text.includes(invalidUtf8Mark)
    ? { kind: 'text', text, invalidUtf8: [0xff] }
    : { kind: 'text', text };

export interface FormDefect {
  readonly node: JsonNode;
  readonly defect: string;
  /** Where the defect is: flavours leave it alone (a control character would fill a blank). */
  readonly at: JsonPath;
}

/**
 * The valid form with one defect its schema must refuse: a required field removed, a field of
 * the wrong type, an unknown key, a string or an array too long, a number out of range, an empty
 * string.
 */
export function formDefects(input: BodyInput): fc.Arbitrary<FormDefect> {
  const base = jsonNode(input.valid);
  const all = nodesOf(base);
  const optional = new Set(input.optionalKeys ?? []);
  const open = new Set(input.openObjects ?? []);
  const entries = all.filter(
    ({ path }) => typeof path[path.length - 1] === 'string' && !optional.has(pattern(path)),
  );
  const strings = all.filter(({ node }) => typeof node === 'string');
  const numbers = all.filter(({ node }) => node instanceof JsonNumber);
  const arrays = all.filter(({ node }) => Array.isArray(node) && node.length > 0);
  const objects = [{ path: [] as JsonPath, node: base }, ...all].filter(
    ({ path, node }) => node instanceof JsonObject && !open.has(pattern(path)),
  );
  const options: fc.Arbitrary<FormDefect>[] = [];
  if (all.length > 0) {
    options.push(
      fc.constantFrom(...all).chain(({ path, node }) =>
        wrongTypeFor(node).map((wrong) => ({
          node: replaceAt(base, path, () => wrong),
          defect: `wrong type at ${pattern(path)}`,
          at: path,
        })),
      ),
    );
  }
  if (entries.length > 0) {
    options.push(
      fc.constantFrom(...entries).map(({ path }) => ({
        node: replaceAt(base, path, () => undefined),
        defect: `missing ${pattern(path)}`,
        at: path,
      })),
    );
  }
  if (objects.length > 0) {
    options.push(
      fc
        .tuple(
          fc.constantFrom(...objects),
          fc.oneof(
            fc.constantFrom(...poisonKeys, 'surprise', ''),
            fc.string({ minLength: 1, maxLength: 12 }),
          ),
          fc.oneof(wrongTypeFor(null), fc.constant<JsonNode>(null)),
        )
        .filter(
          ([{ node }, key]) =>
            !(node instanceof JsonObject && node.entries.some(([k]) => k === key)),
        )
        .map(([{ path }, key, value]) => ({
          node: replaceAt(base, path, (old) =>
            old instanceof JsonObject ? new JsonObject([...old.entries, [key, value]]) : old,
          ),
          defect: `unknown key ${JSON.stringify(key)} at ${pattern(path) || 'body'}`,
          at: [...path, key],
        })),
    );
  }
  if (strings.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...strings), longString(4_097, 200_000)).map(([{ path }, long]) => ({
        node: replaceAt(base, path, () => long),
        defect: `string too long at ${pattern(path)}`,
        at: path,
      })),
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom('', ' ', '\t\n'))
        .map(([{ path }, blank]) => ({
          node: replaceAt(base, path, () => blank),
          defect: `blank string at ${pattern(path)}`,
          at: path,
        })),
    );
  }
  if (numbers.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...numbers), fc.constantFrom(...hostileNumberTexts.slice(0, 7)))
        .map(([{ path }, text]) => ({
          node: replaceAt(base, path, () => new JsonNumber(text)),
          defect: `number out of range at ${pattern(path)}`,
          at: path,
        })),
    );
  }
  if (arrays.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...arrays), fc.integer({ min: 501, max: 3_000 }))
        .map(([{ path, node }, length]) => ({
          node: replaceAt(base, path, () =>
            Array.from({ length }, () => (node as JsonNode[])[0] ?? null),
          ),
          defect: `array too long at ${pattern(path)}`,
          at: path,
        })),
    );
  }
  return fc.oneof(...options);
}

/** Hostility that is no defect by itself (the schema may take it), added on top of one. */
function withFlavour(
  defect: FormDefect,
): fc.Arbitrary<FormDefect & { invalidUtf8?: readonly number[] }> {
  const clear = (path: JsonPath) => defect.at.some((part, index) => path[index] !== part);
  const strings = nodesOf(defect.node).filter(
    ({ path, node }) => typeof node === 'string' && clear(path),
  );
  const objects = [{ path: [] as JsonPath, node: defect.node }, ...nodesOf(defect.node)].filter(
    ({ node }) => node instanceof JsonObject && node.entries.length > 0,
  );
  const options: fc.Arbitrary<FormDefect & { invalidUtf8?: readonly number[] }>[] = [
    fc.constant(defect),
  ];
  if (strings.length > 0) {
    options.push(
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom(...controlCharacters))
        .map(([{ path }, control]) => ({
          node: replaceAt(defect.node, path, (old) => `${String(old)}${control}`),
          defect: `${defect.defect}; control character at ${pattern(path)}`,
          at: defect.at,
        })),
      fc
        .tuple(fc.constantFrom(...strings), fc.constantFrom(...invalidUtf8Sequences))
        .map(([{ path }, bytes]) => ({
          node: replaceAt(defect.node, path, (old) => `${invalidUtf8Mark}${String(old)}`),
          defect: `${defect.defect}; invalid UTF-8 at ${pattern(path)}`,
          at: defect.at,
          invalidUtf8: bytes,
        })),
    );
  }
  if (objects.length > 0) {
    // JSON.parse keeps the last of duplicate keys: the hostile value goes first.
    options.push(
      fc.tuple(fc.constantFrom(...objects), wrongTypeFor(null)).map(([{ path }, value]) => ({
        node: replaceAt(defect.node, path, (old) => {
          if (!(old instanceof JsonObject)) return old;
          const [first] = old.entries;
          return first ? new JsonObject([[first[0], value], ...old.entries]) : old;
        }),
        defect: `${defect.defect}; duplicate key at ${pattern(path) || 'body'}`,
        at: defect.at,
      })),
    );
  }
  return fc.oneof(...options);
}

/** A body no object schema accepts, whatever the route: bad syntax, not an object, or nothing. */
function garbageBody(valid: unknown): fc.Arbitrary<{ body: HostileBody; defect: string }> {
  const text = JSON.stringify(valid);
  const as = (defect: string) => (body: HostileBody) => ({ body, defect });
  return fc.oneof(
    fc
      .integer({ min: 1, max: text.length - 1 })
      .map((cut) => as('truncated JSON')(textBody(text.slice(0, cut)))),
    fc
      .constantFrom(
        `${text}x`,
        `${text}}`,
        `\uFEFF${text}`,
        text.replaceAll('"', "'"),
        `${text.slice(0, -1)},}`,
        `{a:1}`,
        'NaN',
        'undefined',
        '{',
        '}',
        '[',
        `/* */${text}`,
      )
      .map((t) => as('malformed JSON')(textBody(t))),
    fc
      .string({ maxLength: 40 })
      .filter(notJsonObject)
      .map((t) => as('not JSON')(textBody(t))),
    fc
      .constantFrom('null', 'true', '0', '-0', '1e400', '"text"', '[]', `[${text}]`, '""')
      .map((t) => as('not an object')(textBody(t))),
    depth.map((d) => as('deep array')(textBody(deepArray(d).text))),
    fc
      .constantFrom('', ' ', '\r\n')
      .map((t) =>
        as(t === '' ? 'empty body' : 'blank body')(t === '' ? { kind: 'none' } : textBody(t)),
      ),
    fc.constantFrom(...invalidUtf8Sequences).map((bytes) => ({
      body: {
        kind: 'text',
        text: `{"${invalidUtf8Mark}": ${invalidUtf8Mark}}`,
        invalidUtf8: bytes,
      } as HostileBody,
      defect: 'invalid UTF-8 outside strings',
    })),
  );
}

function notJsonObject(text: string): boolean {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed !== 'object' || parsed === null || Array.isArray(parsed);
  } catch {
    return true;
  }
}

/** Bodies over the front door's limit (413 from the route), or over API Gateway's (413 from it). */
const oversizedBody = fc
  .oneof(
    { weight: 9, arbitrary: fc.integer({ min: frontDoorBodyLimit + 1, max: 1024 * 1024 }) },
    { weight: 1, arbitrary: fc.constant(11 * 1024 * 1024) },
  )
  .map((bytes) => ({
    body: {
      kind: 'padded',
      head: '{"child":{"name":"',
      filler: 'x',
      bytes,
      tail: '"}}',
    } as HostileBody,
    defect:
      bytes > gatewayBodyLimit ? 'body over API Gateway limit' : 'body over the front door limit',
  }));

// ---------------------------------------------------------------------------------------------
// Headers

/** Media types the front door reads as JSON (and absent, which it reads as JSON too). */
const jsonContentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.shanyu+json',
  'application/json;charset=latin1',
];
/** Media types the front door refuses (415). */
const otherContentTypes = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----hostile',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
  'application/javascript',
  'text/json',
  'json',
  '*/*',
  ';;;',
  'text/html, application/json',
];

const jsonContentType = fc.option(fc.constantFrom(...jsonContentTypes), { nil: undefined });
const otherContentType = fc.oneof(
  fc.constantFrom(...otherContentTypes),
  // A repeated header: the gateway joins the values, the first one decides.
  fc.constant(['text/plain', 'application/json']),
);

const validIdempotencyKey = fc.uuid();
/** Keys the front door refuses: none, empty, too long, with spaces or non-ASCII. */
const invalidIdempotencyKey = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('', 'a b', 'key\twith-tab', 'clé', 'éè'),
  fc.integer({ min: 129, max: 2_000 }).map((length) => 'k'.repeat(length)),
);

const acceptLanguage = fc.option(
  fc.constantFrom(
    'en',
    'en-GB,en;q=0.9',
    'zh-CN',
    'zh-CN,zh;q=0.9,en;q=0.8',
    'en;q=0.1,zh;q=0.9',
    'en;q=abc',
    'en;q=0',
    '*',
    'xx-YY',
    ';;;,,,',
    'en-US'.repeat(400),
    'de-DE, fr;q=0.5',
  ),
  { nil: undefined },
);

/** Header values as a client may send them (no control characters but tab). */
const noiseHeaders = fc.dictionary(
  fc.constantFrom(
    'x-forwarded-for',
    'x-amzn-trace-id',
    'user-agent',
    'cookie',
    'origin',
    'x-http-method-override',
    'x-requested-with',
    'if-none-match',
    'range',
  ),
  fc.oneof(
    fc.constantFrom(
      'garbage',
      'Root=;;;',
      'DELETE',
      '__proto__=1; constructor=2',
      '\t',
      'bytes=-1',
      'é',
    ),
    fc.string({ maxLength: 200 }).map(headerSafe),
  ),
  { maxKeys: 3 },
);

/** What a client can put in a header value: no control characters but tab, Latin-1 at most. */
export function headerSafe(text: string): string {
  return text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?').trim();
}

// ---------------------------------------------------------------------------------------------
// Paths and query strings

/** Percent-encodes every byte that is not unreserved: any text (lone surrogates too) is sendable. */
export function percentEncode(text: string | Uint8Array): string {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text);
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const base32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const charsOf = (alphabet: string, length: number) =>
  fc
    .array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length })
    .map((c) => c.join(''));

/** Ids shaped like the ones the API issues: random, so they name nothing (a provider may exist). */
const plausibleIds: Record<PathParameter, fc.Arbitrary<string>> = {
  caseId: fc
    .tuple(fc.constantFrom('SC', 'TW', 'PR'), charsOf(base32, 12))
    .map(([p, id]) => `${p}-${id}`),
  taskId: charsOf(base64url, 20).map((id) => `T-${id}`),
  providerId: fc.oneof(
    fc.constantFrom('P-WX-0001', 'P-AJ-0001', 'P-NX-0001', 'P-DQ-0001'),
    fc.integer({ min: 1000, max: 9999 }).map((n) => `P-ZZ-${n}`),
  ),
  ref: charsOf(base32, 26).map((id) => `doc_${id}`),
};

/** Path segments (already encoded as sent) that name nothing any route could store. */
const hostileSegment = fc.oneof(
  fc.constantFrom(
    '',
    '%00',
    '%0A',
    '%7F',
    '%FF%FE',
    '%C0%AF',
    '%ED%A0%80',
    '%',
    '%G1',
    '%E4%B8',
    '..',
    '.',
    '%2E%2E',
    '..%2F..%2Fetc%2Fpasswd',
    '%2F',
    'CASE%23SC-1',
    '%23',
    'X%23EVENT%2300000001',
    '__proto__',
    'constructor',
    'prototype',
    'null',
    'undefined',
    '0',
    '-1',
    '1e308',
    'NaN',
    '%5B%5D',
    '%7B%7D',
    "'%20OR%20'1'%3D'1",
    '%7B%22%24ne%22%3Anull%7D',
    '%20',
    '+',
    '%E6%A1%88%E4%BB%B6',
    '%F0%9F%98%80',
  ),
  fc.integer({ min: 129, max: 3_000 }).map((length) => 'A'.repeat(length)),
  fc.integer({ min: 100, max: 400 }).map((length) => '%E6%B1%89'.repeat(length)),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map(percentEncode),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).map(percentEncode),
);

interface Segment {
  readonly text: string;
  readonly defect: string;
}

function segmentFor(parameter: PathParameter): fc.Arbitrary<Segment> {
  return fc.oneof(
    plausibleIds[parameter].map((id) => ({
      text: percentEncode(id),
      defect: `random ${parameter}`,
    })),
    hostileSegment.map((text) => ({ text, defect: `hostile ${parameter}` })),
  );
}

function parametersOf(path: string): PathParameter[] {
  return [...path.matchAll(/\{([A-Za-z]+)\}/g)].map((match) => match[1] as PathParameter);
}

/** The route's path with its parameters filled, and what each one is. */
interface FilledPath {
  readonly path: string;
  readonly defects: string[];
  /** False when a parameter is empty: API Gateway matches no route, `$default` answers 404. */
  readonly routable: boolean;
}

function pathFor(route: RouteDefinition): fc.Arbitrary<FilledPath> {
  const parameters = parametersOf(route.path);
  return fc.tuple(...parameters.map(segmentFor)).map((segments) => {
    let index = 0;
    return {
      path: route.path.replace(/\{[A-Za-z]+\}/g, () => segments[index++]?.text ?? ''),
      defects: segments.map((segment) => segment.defect),
      routable: segments.every((segment) => segment.text !== ''),
    };
  });
}

/** API Gateway and Node refuse long request lines themselves (431/414): stay well below. */
export const maxRequestTarget = 8_000;

/** Values no query schema accepts for a field of its own, or that strain its coercion. */
const hostileQueryValue = fc.oneof(
  fc.constantFrom(
    '',
    '-1',
    '0',
    '101',
    '1e308',
    'NaN',
    'Infinity',
    '18446744073709551616',
    '-0',
    '1.5',
    ' 5',
    '0x10',
    'true',
    '[]',
    '{}',
    '__proto__',
    'city',
    'escalated',
    '2026-13',
    '9999-99-99',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 2_000 }).map((length) => 'q'.repeat(length)),
);

/** `cursor=` values that are not cursors at all. */
const garbageCursor = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.base64String({ maxLength: 80 }),
  fc
    .jsonValue({ maxDepth: 3 })
    .map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url')),
  fc.constantFrom('', '=', 'null', 'e30', 'W10', 'eyJsaXN0aW5nIjoxfQ'),
  fc.integer({ min: 2_049, max: 4_500 }).map((length) => 'A'.repeat(length)),
);

type QueryPair = readonly [string, string];

export interface Listing {
  /** The cursor's fields besides its start key(s), exactly as the route compares them. */
  readonly fields: Record<string, unknown>;
  /** Where the start key goes: `start`, or `queues.<queue>` for an inbox. */
  readonly startAt: string;
  /** The index's key attributes and the partition the route checks. */
  readonly pk: string;
  readonly sk: string;
  readonly partition: string;
}

function principalOf(role: Role) {
  const token = hostilePrincipals[role];
  return {
    sub: token.sub,
    roles: token.roles,
    ...(token.district ? { district: token.district } : {}),
    ...(token.providerId ? { providerId: token.providerId } : {}),
  };
}

/**
 * The listing a route would build for this principal and this (valid) query, the way its cursor
 * records it: what a forged cursor must repeat to get past the route's own checks.
 */
export function listingOf(
  routeId: string,
  role: Role,
  query: Readonly<Record<string, string>>,
): Listing | undefined {
  const principal = principalOf(role);
  const own = principal.district;
  switch (routeId) {
    case 'ListProviders': {
      const inclusive = query.inclusive === undefined ? null : query.inclusive === 'true';
      return {
        fields: { listing: JSON.stringify([query.district ?? null, inclusive]) },
        startAt: 'start',
        pk: inclusive === true ? 'gsi2pk' : 'gsi3pk',
        sk: inclusive === true ? 'gsi2sk' : 'gsi3sk',
        partition: inclusive === true ? registryPartitions.inclusive : registryPartitions.all,
      };
    }
    case 'ListCases': {
      if (query.mine === 'true' && role === 'citizen') {
        return {
          fields: { listing: JSON.stringify({ kind: 'applicant', sub: principal.sub }) },
          startAt: 'start',
          pk: 'gsi2pk',
          sk: 'gsi2sk',
          partition: keys.applicantCasesPartition(principal.sub),
        };
      }
      if (query.mine === 'true' && role === 'provider' && principal.providerId) {
        return {
          fields: {
            listing: JSON.stringify({ kind: 'provider', providerId: principal.providerId }),
          },
          startAt: 'start',
          pk: 'gsi4pk',
          sk: 'gsi4sk',
          partition: keys.providerCasesPartition(principal.providerId),
        };
      }
      const district = query.district ?? (own === 'city' ? undefined : own);
      if (!district) return undefined;
      const listing = {
        kind: 'district',
        district,
        ...(query.status ? { status: query.status } : {}),
      };
      return {
        fields: { listing: JSON.stringify(listing) },
        startAt: 'start',
        pk: 'gsi3pk',
        sk: 'gsi3sk',
        partition: keys.districtCasesPartition(district),
      };
    }
    case 'ListTasks': {
      const status = query.status ?? 'open';
      if (status === 'escalated') {
        const district = role === 'supervisor' ? own : 'city';
        if (!district) return undefined;
        const byCity = district === 'city';
        return {
          fields: { district },
          startAt: 'start',
          pk: byCity ? 'gsi3pk' : 'gsi2pk',
          sk: byCity ? 'gsi3sk' : 'gsi2sk',
          partition: keys.inboxPartition(`supervisor#D:${district}`, 'escalated'),
        };
      }
      const [queue] = queuesOf(principal);
      if (!queue) return undefined;
      const caseType = query.caseType;
      return {
        fields: { status, ...(caseType ? { caseType } : {}) },
        startAt: `queues.${queue}`,
        pk: caseType ? 'gsi3pk' : 'gsi2pk',
        sk: caseType ? 'gsi3sk' : 'gsi2sk',
        partition: caseType
          ? keys.inboxByTypePartition(queue, status, caseType)
          : keys.inboxPartition(queue, status),
      };
    }
    case 'ListPayments': {
      if (!query.month) return undefined;
      const cityWide = own === undefined || own === 'city';
      const district = query.district ?? (cityWide ? undefined : own);
      if (!district) return undefined;
      return {
        fields: { listing: JSON.stringify([query.month, district, query.status ?? null]) },
        startAt: 'start',
        pk: 'gsi3pk',
        sk: 'gsi3sk',
        partition: `PAYMENTS#${query.month}#${district}`,
      };
    }
    case 'ListWaivers': {
      if (!query.providerId || !query.month) return undefined;
      return {
        fields: { listing: JSON.stringify([query.providerId, query.month]) },
        startAt: 'start',
        pk: 'gsi3pk',
        sk: 'gsi3sk',
        partition: `WAIVERS#${query.providerId}#${query.month}`,
      };
    }
    default:
      return undefined;
  }
}

const keyAttributes = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
];

/**
 * A start key that passes the route's listing and partition checks, broken in the ways only the
 * database would notice: attributes missing or extra, of the wrong type, too long, or a sort key
 * outside the page's range. Sometimes unbroken, which must simply read an empty page.
 */
function forgedStartKey(listing: Listing): fc.Arbitrary<Record<string, unknown>> {
  const base: Record<string, unknown> = {
    pk: 'CASE#SC-0000000000AA',
    sk: 'CASE',
    [listing.pk]: listing.partition,
    [listing.sk]: '2026-01-01T00:00:00.000Z#SC-0000000000AA',
  };
  const names = Object.keys(base);
  const breakage = fc.oneof(
    fc
      .constantFrom(...names)
      .filter((name) => name !== listing.pk)
      .map((name) => (key: Record<string, unknown>) => {
        const { [name]: _, ...rest } = key;
        return rest;
      }),
    fc
      .tuple(
        fc.constantFrom(...names),
        fc.oneof(
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.constant({}),
          fc.constant(['x']),
        ),
      )
      .map(([name, value]) => (key: Record<string, unknown>) => ({ ...key, [name]: value })),
    fc
      .tuple(fc.constantFrom(...keyAttributes, 'foo', 'status'), fc.string({ maxLength: 20 }))
      .map(([name, value]) => (key: Record<string, unknown>) => ({ ...key, [name]: value })),
    fc
      .tuple(
        fc.constantFrom(...names.filter((name) => name !== listing.pk)),
        fc.integer({ min: 1_025, max: 3_000 }),
      )
      .map(([name, length]) => (key: Record<string, unknown>) => ({
        ...key,
        [name]: 'Z'.repeat(length),
      })),
    fc
      .constantFrom('', 'zzzz', '\u0000', '~', '0')
      .map((value) => (key: Record<string, unknown>) => ({ ...key, [listing.sk]: value })),
  );
  return fc
    .array(breakage, { maxLength: 3 })
    .map((changes) => changes.reduce((key, change) => change(key), base));
}

function forgedCursor(listing: Listing): fc.Arbitrary<string> {
  return forgedStartKey(listing).map((start) => {
    const [where, queue] = listing.startAt.split('.');
    const cursor =
      where === 'queues' && queue !== undefined
        ? { ...listing.fields, queues: { [queue]: start } }
        : { ...listing.fields, start };
    return Buffer.from(JSON.stringify(cursor)).toString('base64url');
  });
}

function encodeQuery(pairs: readonly QueryPair[]): string {
  if (pairs.length === 0) return '';
  return `?${pairs.map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`).join('&')}`;
}

/** Valid values for some of the route's parameters. */
function validQuery(query: QueryInput): fc.Arbitrary<Record<string, string>> {
  return fc.record(query, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>;
}

/** A query string for the route: hostile values, unknown and repeated parameters, bad cursors. */
function queryFor(
  routeId: string,
  input: RouteInput,
  role: Role | undefined,
): fc.Arbitrary<string> {
  const known = Object.keys(input.query ?? {});
  const names = fc.constantFrom(...known, 'cursor', 'limit', ...poisonKeys, 'unknown', 'status');
  const hostilePairs = fc.array(fc.tuple(names, hostileQueryValue), { maxLength: 3 });
  const extraPairs = fc.array(
    fc.tuple(fc.oneof(names, fc.string({ maxLength: 10 })), fc.string({ maxLength: 10 })),
    {
      maxLength: 2,
    },
  );
  const options: fc.Arbitrary<string>[] = [
    fc.constant(''),
    fc
      .tuple(validQuery(input.query ?? {}), hostilePairs, extraPairs)
      .map(([valid, hostile, extra]) =>
        encodeQuery([...Object.entries(valid), ...hostile, ...extra]),
      ),
    fc
      .tuple(validQuery(input.query ?? {}), garbageCursor)
      .map(([valid, cursor]) => encodeQuery([...Object.entries(valid), ['cursor', cursor]])),
  ];
  if (input.query && role !== undefined) {
    options.push(
      validQuery(input.query).chain((valid) => {
        const listing = listingOf(routeId, role, valid);
        if (!listing) return fc.constant(encodeQuery(Object.entries(valid)));
        return forgedCursor(listing).map((cursor) =>
          encodeQuery([...Object.entries(valid), ['cursor', cursor]]),
        );
      }),
    );
  }
  return fc.oneof(...options);
}

// ---------------------------------------------------------------------------------------------
// Requests

export type Credentials =
  /** A valid token of this role (the test signs them in). */
  | { readonly kind: 'role'; readonly role: Role }
  /** A valid token of this role with its claims altered after signing. */
  | { readonly kind: 'tampered'; readonly role: Role }
  | { readonly kind: 'none' }
  /** An Authorization header as is. */
  | { readonly kind: 'raw'; readonly authorization: string };

export interface HostileRequest {
  /** The route id the request is aimed at, or `RouteNotFound` for paths and methods none serves. */
  readonly target: string;
  readonly method: string;
  /** The request target as sent: percent-encoded path and query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly credentials: Credentials;
  readonly body: HostileBody;
  /** What makes it hostile, for the report. */
  readonly defects: readonly string[];
  /** Only reads may answer 2xx; every other request here must be refused. */
  readonly mayAnswer2xx: boolean;
  /**
   * The one answer the request allows, where the order of the checks decides it: 413 for a body
   * over API Gateway's limit (it reads the body first), 404 for a path no route matches, then
   * 401 for bad credentials (its authorizer), then 403 for a role the route does not take (the
   * front door, before the body).
   */
  readonly expectedStatus?: 401 | 403 | 404 | 413;
}

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const rawAuthorization = fc.oneof(
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Bearer a.b.c',
    'Bearer not-a-jwt',
    'Basic dXNlcjpwYXNzd29yZA==',
    'bearer\teyJ',
    'Bearer a b',
    `Bearer ${base64urlJson({ alg: 'none', typ: 'JWT' })}.${base64urlJson({ sub: 'x', 'cognito:groups': ['admin'] })}.`,
    `Bearer ${base64urlJson({ alg: 'HS256' })}.${base64urlJson({ sub: 'x', exp: 1 })}.c2lnbmF0dXJl`,
    `Bearer ${'e'.repeat(6_000)}`,
  ),
  fc.string({ maxLength: 100 }).map((text) => headerSafe(`Bearer ${text}`)),
);

function credentialsFor(input: RouteInput): fc.Arbitrary<Credentials> {
  const permitted = input.roles === 'public' ? allRoles : input.roles;
  return fc.oneof(
    {
      weight: 12,
      arbitrary: fc.constantFrom(...permitted).map((role) => ({ kind: 'role', role }) as const),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...allRoles).map((role) => ({ kind: 'role', role }) as const),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...permitted).map((role) => ({ kind: 'tampered', role }) as const),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'none' } as const) },
    {
      weight: 1,
      arbitrary: rawAuthorization.map((authorization) => ({ kind: 'raw', authorization }) as const),
    },
  );
}

interface Payload {
  readonly body: HostileBody;
  readonly contentType: string | readonly string[] | undefined;
  readonly idempotencyKey: string | undefined;
  readonly defects: readonly string[];
}

function formBody(node: JsonNode, invalidUtf8?: readonly number[]): HostileBody {
  const text = jsonText(node);
  return invalidUtf8 ? { kind: 'text', text, invalidUtf8 } : textBody(text);
}

/** A body for a route that reads one, with at least one defect when the route requires it. */
function payloadFor(input: RouteInput): fc.Arbitrary<Payload> {
  const body = input.body;
  const key = input.idempotent ? validIdempotencyKey : fc.constant(undefined);
  if (!body) {
    // Routes without a body ignore one: send junk now and then anyway.
    return fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constant<Payload>({
          body: { kind: 'none' },
          contentType: undefined,
          idempotencyKey: undefined,
          defects: [],
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(garbageBody({ ignored: true }), fc.oneof(jsonContentType, otherContentType))
          .map(([garbage, contentType]) => ({
            body: garbage.body,
            contentType,
            idempotencyKey: undefined,
            defects: [`unread ${garbage.defect}`],
          })),
      },
    );
  }
  const defective = formDefects(body).chain(withFlavour);
  const options: fc.WeightedArbitrary<Payload>[] = [
    {
      weight: 6,
      arbitrary: fc
        .tuple(defective, jsonContentType, key)
        .map(([form, contentType, idempotencyKey]) => ({
          body: formBody(form.node, form.invalidUtf8),
          contentType,
          idempotencyKey,
          defects: [form.defect],
        })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(garbageBody(body.valid), jsonContentType, key)
        .map(([garbage, contentType, idempotencyKey]) => ({
          body: garbage.body,
          contentType,
          idempotencyKey,
          defects: [garbage.defect],
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(oversizedBody, jsonContentType, key)
        .map(([oversized, contentType, idempotencyKey]) => ({
          body: oversized.body,
          contentType,
          idempotencyKey,
          defects: [oversized.defect],
        })),
    },
  ];
  if (body.reader === 'front-door') {
    // The media type alone is the defect: the body may be the valid form.
    options.push({
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.constant<FormDefect>({ node: jsonNode(body.valid), defect: 'valid form', at: [] }),
            defective,
          ),
          otherContentType,
          key,
        )
        .map(([form, contentType, idempotencyKey]) => ({
          body: formBody(form.node),
          contentType,
          idempotencyKey,
          defects: [`content type ${String(contentType)}`, form.defect],
        })),
    });
  }
  if (input.idempotent) {
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(jsonContentType, invalidIdempotencyKey)
        .map(([contentType, idempotencyKey]) => ({
          body: textBody(JSON.stringify(body.valid)),
          contentType,
          idempotencyKey,
          defects: ['no valid Idempotency-Key'],
        })),
    });
  }
  if (!body.refusesEveryDefect) {
    options.push({
      weight: 1,
      arbitrary: fc
        .tuple(jsonContentType, fc.constantFrom('', JSON.stringify(body.valid)))
        .map(([contentType, text]) => ({
          body: text === '' ? { kind: 'none' } : textBody(text),
          contentType,
          idempotencyKey: undefined,
          defects: ['valid body'],
        })),
    });
  }
  return fc.oneof(...options);
}

function headersOf(
  payload: Payload,
  language: string | undefined,
  noise: Record<string, string>,
): Record<string, string | readonly string[]> {
  return {
    ...noise,
    ...(payload.contentType === undefined ? {} : { 'content-type': payload.contentType }),
    ...(payload.idempotencyKey === undefined ? {} : { 'idempotency-key': payload.idempotencyKey }),
    ...(language === undefined ? {} : { 'accept-language': language }),
  };
}

function expectedStatusOf(
  credentials: Credentials,
  input: RouteInput,
  path: FilledPath,
  body: HostileBody,
): HostileRequest['expectedStatus'] {
  if (bodySize(body) > gatewayBodyLimit) return 413;
  if (!path.routable) return 404;
  if (input.roles === 'public') return undefined;
  if (credentials.kind !== 'role') return 401;
  return input.roles.includes(credentials.role) ? undefined : 403;
}

function credentialDefects(credentials: Credentials, input: RouteInput): string[] {
  if (input.roles === 'public') return [];
  if (credentials.kind === 'none') return ['no credentials'];
  if (credentials.kind === 'raw') return ['invalid credentials'];
  if (credentials.kind === 'tampered') return ['tampered token'];
  return input.roles.includes(credentials.role) ? [] : [`role ${credentials.role} not allowed`];
}

/** A hostile request aimed at `route`. */
export function hostileRequestFor(route: RouteDefinition): fc.Arbitrary<HostileRequest> {
  const input = routeInputOf(route);
  return credentialsFor(input).chain((credentials) =>
    fc
      .record({
        path: pathFor(route),
        query: queryFor(
          route.id,
          input,
          credentials.kind === 'role' ? credentials.role : undefined,
        ),
        payload: payloadFor(input),
        language: acceptLanguage,
        noise: noiseHeaders,
      })
      .map(({ path, query, payload, language, noise }) =>
        described({
          target: route.id,
          method: route.method,
          // A query that would make the request line too long is left off.
          path: `${path.path}${path.path.length + query.length > maxRequestTarget ? '' : query}`,
          headers: headersOf(payload, language, noise),
          credentials,
          body: payload.body,
          defects: [...credentialDefects(credentials, input), ...path.defects, ...payload.defects],
          mayAnswer2xx: route.method === 'GET',
          ...optional('expectedStatus', expectedStatusOf(credentials, input, path, payload.body)),
        }),
      ),
  );
}

const methods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Requests no route serves: a known path with another method (405), or an unknown path (404). */
export function unroutedRequest(): fc.Arbitrary<HostileRequest> {
  const wrongMethod = fc.constantFrom(...routes).chain((route) => {
    const served = routes.filter((other) => other.path === route.path).map((other) => other.method);
    return fc
      .record({
        method: fc.constantFrom(...methods.filter((method) => !served.includes(method))),
        path: pathFor(route).map(({ path }) => path),
        role: fc.constantFrom(...allRoles),
      })
      .map(({ method, path, role }) =>
        described({
          target: 'RouteNotFound',
          method,
          path,
          headers: {},
          credentials: { kind: 'role', role } as Credentials,
          body: { kind: 'none' } as HostileBody,
          defects: [`${method} on ${route.path}`],
          mayAnswer2xx: false,
        }),
      );
  });
  const unknownPath = fc
    .record({
      method: fc.constantFrom(...methods),
      path: fc.oneof(
        fc.constantFrom(
          '/',
          '/v1',
          '/v1/',
          '/v2/cases',
          '/V1/ME',
          '/v1/me/',
          '//v1/me',
          '/v1/cases/',
          '/v1/tasks//claim',
          '/v1/cases/SC-1/withdraw/again',
          '/%2e%2e/%2e%2e/etc/passwd',
          '/v1/../v1/me',
          '/v1/me%00',
          '/v1/%FF',
          '/index.html',
          '/v1/__proto__',
        ),
        fc
          .array(hostileSegment, { minLength: 1, maxLength: 4 })
          .map((segments) => `/v1/x/${segments.join('/')}`),
      ),
      role: fc.constantFrom(...allRoles),
    })
    .map(({ method, path, role }) =>
      described({
        target: 'RouteNotFound',
        method,
        path,
        headers: {},
        credentials: { kind: 'role', role } as Credentials,
        body: { kind: 'none' } as HostileBody,
        defects: [`${method} on an unknown path`],
        // Anything a route could serve would not be "unknown": these must be refused.
        mayAnswer2xx: false,
      }),
    );
  return fc.oneof(wrongMethod, unknownPath);
}

/** Hostile requests for every route of the API, and now and then for none. */
export function hostileRequests(): fc.Arbitrary<HostileRequest> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...routes).chain(hostileRequestFor) },
    { weight: 1, arbitrary: unroutedRequest() },
  );
}

/** `{ name: value }`, or nothing when the value is undefined. */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** Prints as {@link describeRequest} in fast-check's reports, not as a megabyte of body. */
function described(request: HostileRequest): HostileRequest {
  return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
}

/** A request for a failure report: bodies cut short, 身份证 numbers masked. */
export function describeRequest(request: HostileRequest): string {
  const body =
    request.body.kind === 'none'
      ? '(none)'
      : request.body.kind === 'padded'
        ? `${request.body.head}…(${request.body.bytes} bytes)…${request.body.tail}`
        : request.body.text.length > 300
          ? `${request.body.text.slice(0, 300)}…(${request.body.text.length} characters)`
          : request.body.text;
  const path = request.path.length > 300 ? `${request.path.slice(0, 300)}…` : request.path;
  const credentials =
    request.credentials.kind === 'raw'
      ? `raw ${request.credentials.authorization.slice(0, 60)}`
      : request.credentials.kind === 'none'
        ? 'none'
        : `${request.credentials.kind} ${request.credentials.role}`;
  const text = [
    `${request.method} ${path} → ${request.target}`,
    `credentials: ${credentials}`,
    `headers: ${JSON.stringify(request.headers).slice(0, 300)}`,
    `defects: ${request.defects.join('; ') || '(none)'}`,
    `body: ${body}`,
  ].join('\n  ');
  return text.replace(/\d{17}[\dXx]/g, (found) => maskIdNumber(found));
}
