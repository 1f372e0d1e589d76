import { describe, expect, it } from 'vitest';
import { roles } from '../../../shared/auth/roles.ts';
import {
  actors,
  anonymous,
  cellsOf,
  expectationFor,
  expectationSchema,
  isAllowed,
  type MatrixRow,
  matrix,
  matrixCells,
  personaKey,
  personas,
  routeCatalogue,
  rowName,
  specificity,
} from '../../reliability/support/authorization-matrix.ts';

const routeIds = routeCatalogue.map((route) => route.id);
const publicRoutes = new Set(routeCatalogue.filter((route) => route.public).map((r) => r.id));

describe('the authorization matrix covers the API', () => {
  it.each(routeIds)('has a row for route %s', (id) => {
    // Prepare / Act
    const rows = matrix.filter((row) => row.route === id);

    // Assess
    expect(rows.length).toBeGreaterThan(0);
  });

  it('names only routes of the catalogue', () => {
    // Prepare / Act
    const unknown = matrix.map((row) => row.route).filter((id) => !routeIds.includes(id));

    // Assess
    expect(unknown).toEqual([]);
  });

  it.each([...roles, anonymous])('tries role %s', (role) => {
    // Prepare / Act
    const scopes = personas.filter((persona) => persona.actor === role);

    // Assess
    expect(scopes.length).toBeGreaterThan(0);
  });

  it('tries only roles the product defines', () => {
    // Prepare / Act
    const unknown = personas.filter((persona) => !actors.includes(persona.actor));

    // Assess
    expect(unknown).toEqual([]);
  });

  it('gives every row one cell per persona, and every row a name of its own', () => {
    // Prepare
    const keys = personas.map(personaKey);

    // Act
    const perRow = matrix.map((row) => cellsOf(row).map((cell) => personaKey(cell.persona)));

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
    for (const cells of perRow) expect([...cells].sort()).toEqual([...keys].sort());
    expect(new Set(matrix.map(rowName)).size).toBe(matrix.length);
    expect(matrixCells()).toHaveLength(matrix.length * personas.length);
  });
});

describe('the authorization matrix says what it means', () => {
  it.each(matrix.map((row) => [rowName(row), row] as const))(
    'names real personas in every override of %s',
    (_, row) => {
      // Prepare / Act
      const unmatched = Object.keys(row.overrides).filter((selector) =>
        personas.every((persona) => specificity(selector, persona) === 0),
      );

      // Assess
      expect(unmatched).toEqual([]);
    },
  );

  it('holds only outcomes it knows, each refusal with its error code', () => {
    // Prepare / Act
    const invalid = matrixCells().filter(
      (cell) => !expectationSchema.safeParse(cell.expected).success,
    );

    // Assess
    expect(invalid.map((cell) => `${rowName(cell.row)} ${cell.name}`)).toEqual([]);
  });

  it('turns away a caller without a token from every route but the public ones, with 401', () => {
    // Prepare / Act
    const anonymousCells = matrixCells().filter((cell) => cell.persona.actor === anonymous);
    const wrong = anonymousCells.filter((cell) =>
      publicRoutes.has(cell.row.route)
        ? !isAllowed(cell.expected)
        : cell.expected.status !== 401 || cell.expected.code !== 'UNAUTHENTICATED',
    );

    // Assess
    expect(anonymousCells).toHaveLength(matrix.length);
    expect(wrong.map((cell) => rowName(cell.row))).toEqual([]);
  });

  it('expects 401 of no caller with a valid token, and lets everyone read the public routes', () => {
    // Prepare / Act
    const wrong = matrixCells().filter(
      (cell) =>
        cell.persona.actor !== anonymous &&
        (cell.expected.status === 401 ||
          (publicRoutes.has(cell.row.route) && !isAllowed(cell.expected))),
    );

    // Assess
    expect(wrong.map((cell) => `${rowName(cell.row)} ${cell.name}`)).toEqual([]);
  });

  it('lists refusals before the allowed cells of a row, which may change the target', () => {
    // Prepare / Act
    const orders = matrix.map((row) => cellsOf(row).map((cell) => isAllowed(cell.expected)));

    // Assess
    for (const order of orders) expect(order).toEqual([...order].sort((a, b) => +a - +b));
  });
});

describe('expectationFor', () => {
  const row: MatrixRow = {
    route: 'GetDocument',
    target: 'a document',
    otherwise: { status: 404, code: 'NOT_FOUND' },
    overrides: {
      staff: { status: 403, code: 'FORBIDDEN' },
      caseworker: { status: 200 },
      'staff/other-district': { status: 409, code: 'X' },
      'caseworker/city': { status: 201 },
    },
  };

  it.each([
    ['a persona named outright', { actor: 'caseworker', scope: 'city' }, 201],
    ['all staff of a scope', { actor: 'caseworker', scope: 'other-district' }, 409],
    ['a role in every scope', { actor: 'caseworker', scope: 'same-district' }, 200],
    ['every staff role', { actor: 'fire', scope: 'same-district' }, 403],
    ['nobody named', { actor: 'citizen', scope: 'own' }, 404],
  ] as const)('takes the most specific override: %s', (_, persona, status) => {
    // Prepare / Act
    const expected = expectationFor(row, persona);

    // Assess
    expect(expected.status).toBe(status);
  });
});
