import * as z from 'zod';
import { routes } from '../../../functions/http/routes.ts';
import { type Role, roles, staffRoles } from '../../../shared/auth/roles.ts';

/*
 * Who may do what, as data: every route × every role × every scope, with the outcome the product's
 * rules give (shared/auth/access.ts, shared/tasks/queues.ts, shared/documents/document-access.ts
 * and each handler's own check). Written from those rules and the principles behind them —
 * families see their own cases, staff their district's (city staff every district's), providers
 * their own, admins all — not from what the server happens to answer.
 *
 * test/reliability/authorization-matrix.test.ts sends every cell to the running local API;
 * test/unit/reliability/authorization-matrix.test.ts checks that no route and no role is missing.
 */

/** A caller without a token. */
export const anonymous = 'anonymous';
export type Actor = Role | typeof anonymous;

/**
 * How the caller stands to what the request is about (its target): the family that filed it or
 * another (`own`/`none`), the provider it names or another (`own`/`other-provider`), staff of its
 * district, of another district or of the whole city.
 */
export const scopeSchema = z.enum([
  'own',
  'none',
  'other-provider',
  'same-district',
  'other-district',
  'city',
]);
export type Scope = z.infer<typeof scopeSchema>;

export interface Persona {
  readonly actor: Actor;
  readonly scope: Scope;
}

export type PersonaKey = `${Actor}/${Scope}`;

export const personaKey = (persona: Persona): PersonaKey => `${persona.actor}/${persona.scope}`;

const staffScopes = ['same-district', 'other-district', 'city'] as const;

/** Every caller the matrix tries, one per role and scope (admins have no district: city-wide). */
export const personas: readonly Persona[] = [
  { actor: anonymous, scope: 'none' },
  { actor: 'citizen', scope: 'own' },
  { actor: 'citizen', scope: 'none' },
  { actor: 'provider', scope: 'own' },
  { actor: 'provider', scope: 'other-provider' },
  ...staffRoles.flatMap((role) => staffScopes.map((scope) => ({ actor: role, scope }))),
  { actor: 'admin', scope: 'none' },
];

/** Statuses that mean "allowed"; everything else in the matrix is a refusal. */
export const allowedStatuses: readonly number[] = [200, 201, 202, 204];

/**
 * Refusals: 401 without a valid token, 403 for a caller the rules turn away, 404 where the
 * product hides that the resource exists, 409 where the refusal depends on the task's state.
 */
export const refusalStatuses: readonly number[] = [401, 403, 404, 409];

export const expectationSchema = z
  .object({
    status: z
      .number()
      .int()
      .refine((status) => [...allowedStatuses, ...refusalStatuses].includes(status), {
        message: 'an outcome the matrix knows: 2xx allowed, or 401, 403, 404, 409 refused',
      }),
    /** The error code of a refusal: the same for a hidden resource as for a missing one. */
    code: z.string().optional(),
    /** Lists: whether the target is among the items (a 200 that leaks is no refusal). */
    sees: z.boolean().optional(),
    /** Why, where the rule is not the obvious one. */
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => allowedStatuses.includes(e.status) === (e.code === undefined), {
    message: 'a refusal names its error code; an allowed cell has none',
  })
  .refine((e) => e.sees === undefined || allowedStatuses.includes(e.status), {
    message: 'only an allowed list says what it shows',
  });
export type Expectation = z.infer<typeof expectationSchema>;

const ok: Expectation = { status: 200 };
const created: Expectation = { status: 201 };
const accepted: Expectation = { status: 202 };
const unauthenticated: Expectation = { status: 401, code: 'UNAUTHENTICATED' };
const forbidden: Expectation = { status: 403, code: 'FORBIDDEN' };
/** Someone else's resource answers exactly like a missing one. */
const hidden: Expectation = { status: 404, code: 'NOT_FOUND' };
const hiddenDocument: Expectation = { status: 404, code: 'DOCUMENT_NOT_FOUND' };
/** A task the caller may see but holds no claim on, and may not supervise: refused by its state. */
const notYours: Expectation = {
  status: 409,
  code: 'TASK_NOT_CLAIMED_BY_YOU',
  note: 'sees the task, neither holds nor supervises it',
};

/**
 * Which personas an override applies to, most specific first: a persona (`caseworker/city`), all
 * staff roles in one scope (`staff/same-district`), one role in every scope (`caseworker`), or
 * every staff role in every scope (`staff`).
 */
export type Selector = PersonaKey | `staff/${(typeof staffScopes)[number]}` | Actor | 'staff';

export interface MatrixRow {
  readonly route: string;
  /** What the requests are about, as the test sets it up. */
  readonly target: string;
  /** The outcome for every persona no override names. */
  readonly otherwise: Expectation;
  readonly overrides: Readonly<Partial<Record<Selector, Expectation>>>;
}

/** Whether `selector` names `persona`, and how specifically (higher wins; 0: not at all). */
export function specificity(selector: string, persona: Persona): number {
  const isStaff = staffRoles.includes(persona.actor as Role);
  if (selector === personaKey(persona)) return 4;
  if (isStaff && selector === `staff/${persona.scope}`) return 3;
  if (selector === persona.actor) return 2;
  if (isStaff && selector === 'staff') return 1;
  return 0;
}

/** What the row expects of `persona`: the most specific override that names it, or `otherwise`. */
export function expectationFor(row: MatrixRow, persona: Persona): Expectation {
  let best: { rank: number; expectation: Expectation } | undefined;
  for (const [selector, expectation] of Object.entries(row.overrides)) {
    const rank = specificity(selector, persona);
    if (expectation && rank > 0 && (!best || rank > best.rank)) best = { rank, expectation };
  }
  return best?.expectation ?? row.otherwise;
}

/** The supervisors of the task's district and of the city oversee it: they see it, not act on it. */
const overseers = {
  'supervisor/same-district': ok,
  'supervisor/city': ok,
} as const;

const documentReaders = {
  caseworker: ok,
  supervisor: ok,
  'civil-affairs': ok,
  fire: ok,
  market: ok,
  admin: ok,
} as const;

const documentGap =
  'known gap (shared/documents/document-access.ts): a document has no district until a filing ' +
  'cites it, so reviewing staff of any district may read it';

/** The task rows, for a task of one queue: who acts on it, who holds it, who supervises it. */
function taskRows(
  target: string,
  acts: readonly Selector[],
  holder: Selector,
  options: { overseen: boolean; supervised: boolean },
): MatrixRow[] {
  const actors = Object.fromEntries(acts.map((selector) => [selector, ok]));
  const seeing = options.overseen ? overseers : {};
  const seeingOnly = Object.fromEntries(
    [...Object.keys(seeing), 'admin'].map((selector) => [selector, forbidden]),
  );
  const notHolders = Object.fromEntries(
    [...acts, ...Object.keys(seeing), 'admin']
      .filter((selector) => selector !== holder)
      .map((selector) => [selector, notYours]),
  );
  return [
    {
      route: 'GetTask',
      target,
      otherwise: hidden,
      overrides: { anonymous: unauthenticated, ...actors, ...seeing, admin: ok },
    },
    {
      route: 'ClaimTask',
      target,
      otherwise: hidden,
      overrides: { anonymous: unauthenticated, ...seeingOnly, ...actors },
    },
    {
      route: 'UnclaimTask',
      target: `${target}, claimed by ${holder}`,
      otherwise: hidden,
      overrides: {
        anonymous: unauthenticated,
        ...notHolders,
        [holder]: ok,
        ...(options.supervised ? overseers : {}),
      },
    },
    {
      route: 'AssignTask',
      target,
      otherwise: forbidden,
      overrides: {
        anonymous: unauthenticated,
        ...(options.supervised
          ? overseers
          : options.overseen
            ? {}
            : { 'supervisor/same-district': hidden, 'supervisor/city': hidden }),
        'supervisor/other-district': hidden,
      },
    },
    {
      route: 'DecideTask',
      target,
      otherwise: hidden,
      overrides: { anonymous: unauthenticated, ...seeingOnly, ...actors },
    },
  ];
}

/** The task kinds the task rows are run for, as their targets name them. */
export const taskTargets = {
  provider: "P1's confirm-enrollment task on a family's claim",
  staff: "district A's district-review task (caseworkers) on a family's claim",
  family: "the family's own supply-info task on its claim",
} as const;

export const matrix: readonly MatrixRow[] = [
  {
    route: 'GetMe',
    target: 'the caller',
    otherwise: ok,
    overrides: { anonymous: unauthenticated },
  },
  {
    route: 'ListProviders',
    target: 'the public registry of district A',
    otherwise: ok,
    overrides: {},
  },
  { route: 'GetProvider', target: 'provider P1 (district A)', otherwise: ok, overrides: {} },
  {
    route: 'SetProviderStatus',
    target: 'provider P1 (district A), asked for the status it has',
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'supervisor/same-district': ok,
      'supervisor/city': ok,
      admin: ok,
    },
  },
  {
    route: 'SubmitSubsidyClaim',
    target: 'a new claim at P1 for a newly registered child',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, citizen: accepted },
  },
  {
    route: 'SubmitTuitionWaiver',
    target: 'a new waiver application at P1 for a newly registered child',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, citizen: accepted },
  },
  {
    route: 'SubmitProviderRegistration',
    target: "a new filing for the caller's own, not yet registered provider",
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, provider: accepted },
  },
  {
    route: 'SubmitRegistrationChange',
    target: 'a change to the filing of P1, registered through the workflow',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, 'provider/own': accepted },
  },
  {
    route: 'GetCase',
    target: "a family's claim at P1 in district A",
    otherwise: hidden,
    overrides: {
      anonymous: unauthenticated,
      'citizen/own': ok,
      'provider/own': ok,
      'staff/same-district': ok,
      'staff/city': ok,
      admin: ok,
    },
  },
  {
    route: 'ListCases',
    target: "?mine=true, looking for a family's claim at P1",
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'citizen/own': { status: 200, sees: true },
      'citizen/none': { status: 200, sees: false },
      'provider/own': { status: 200, sees: true },
      'provider/other-provider': { status: 200, sees: false },
    },
  },
  {
    route: 'ListCases',
    target: '?district=A',
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'staff/same-district': ok,
      'staff/city': ok,
      admin: ok,
    },
  },
  {
    route: 'WithdrawCase',
    target: "a family's undecided claim at P1",
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'citizen/own': ok,
      'citizen/none': hidden,
      'provider/own': {
        status: 403,
        code: 'FORBIDDEN',
        note: 'sees the claim it is named in; only the family withdraws it',
      },
      'provider/other-provider': hidden,
    },
  },
  {
    route: 'WithdrawCase',
    target: "P1's undecided registration filing, sent by another account of P1",
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      citizen: hidden,
      'provider/own': ok,
      'provider/other-provider': hidden,
    },
  },
  {
    route: 'ListTasks',
    target: "the caller's inbox, looking for P1's open confirm-enrollment task",
    otherwise: { status: 200, sees: false },
    overrides: { anonymous: unauthenticated, 'provider/own': { status: 200, sees: true } },
  },
  {
    route: 'ListTasks',
    target: '?status=escalated',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, supervisor: ok, admin: ok },
  },
  ...taskRows(taskTargets.provider, ['provider/own'], 'provider/own', {
    overseen: true,
    supervised: false,
  }),
  ...taskRows(
    taskTargets.staff,
    ['caseworker/same-district', 'caseworker/city'],
    'caseworker/same-district',
    {
      overseen: true,
      supervised: true,
    },
  ),
  ...taskRows(taskTargets.family, ['citizen/own'], 'citizen/own', {
    overseen: false,
    supervised: false,
  }),
  {
    route: 'ListPayments',
    target: 'district A, a month without payments',
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'finance/same-district': ok,
      'finance/city': ok,
      'supervisor/same-district': ok,
      'supervisor/city': ok,
      admin: ok,
    },
  },
  {
    route: 'DisbursePayments',
    target: 'district A, a month without payments (a repeat changes nothing)',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, 'finance/same-district': ok, 'finance/city': ok },
  },
  {
    route: 'RequestDocumentUpload',
    target: 'a new document',
    otherwise: forbidden,
    overrides: { anonymous: unauthenticated, citizen: created, provider: created },
  },
  {
    route: 'GetDocument',
    target: 'a document the family uploaded',
    otherwise: hiddenDocument,
    overrides: {
      anonymous: unauthenticated,
      'citizen/own': ok,
      ...documentReaders,
      'staff/other-district': { status: 200, note: documentGap },
      'finance/other-district': hiddenDocument,
    },
  },
  {
    route: 'GetDocument',
    target: 'a document another account of P1 uploaded',
    otherwise: hiddenDocument,
    overrides: {
      anonymous: unauthenticated,
      'provider/own': ok,
      ...documentReaders,
      'staff/other-district': { status: 200, note: documentGap },
      'finance/other-district': hiddenDocument,
    },
  },
  {
    route: 'ListWaivers',
    target: "P1's waivers of this month",
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'provider/own': ok,
      'caseworker/same-district': ok,
      'caseworker/city': ok,
      'supervisor/same-district': ok,
      'supervisor/city': ok,
      'finance/same-district': ok,
      'finance/city': ok,
      admin: ok,
    },
  },
  {
    route: 'GetSlaStats',
    target: 'district A, the last 30 days',
    otherwise: forbidden,
    overrides: {
      anonymous: unauthenticated,
      'supervisor/same-district': ok,
      'supervisor/city': ok,
      admin: ok,
    },
  },
];

/** One request of the matrix: a row and a persona, with what it must answer. */
export interface MatrixCell {
  readonly row: MatrixRow;
  readonly persona: Persona;
  readonly expected: Expectation;
  /** `GetCase · <target> · caseworker/other-district → 404`: how a failing cell is named. */
  readonly name: string;
}

export const rowName = (row: MatrixRow): string => `${row.route} · ${row.target}`;

export const isAllowed = (expectation: Expectation): boolean =>
  allowedStatuses.includes(expectation.status);

/** Every cell of a row, refusals first: they must find the target as it was set up. */
export function cellsOf(row: MatrixRow): MatrixCell[] {
  const cells = personas.map((persona) => {
    const expected = expectationFor(row, persona);
    return { row, persona, expected, name: `${personaKey(persona)} → ${expected.status}` };
  });
  return [
    ...cells.filter((c) => !isAllowed(c.expected)),
    ...cells.filter((c) => isAllowed(c.expected)),
  ];
}

/** The whole matrix, cell by cell. */
export function matrixCells(): MatrixCell[] {
  return matrix.flatMap(cellsOf);
}

/** The route catalogue's ids and whether each is public (no token). */
export const routeCatalogue: readonly { id: string; public: boolean }[] = routes.map((route) => ({
  id: route.id,
  public: route.public === true,
}));

/** Every role the product defines, plus the caller without a token. */
export const actors: readonly Actor[] = [anonymous, ...roles];
