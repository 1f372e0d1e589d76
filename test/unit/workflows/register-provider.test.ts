import { describe, expect, it } from 'vitest';
// Only the pure export: the handler needs the table and is run by the integration tests.
import { registrationEnd } from '../../../functions/workflow/register-provider.ts';

describe('registrationEnd', () => {
  it.each([
    ['2026-11-28', 3, '2029-11-27'],
    ['2026-11-28', 5, '2031-11-27'],
    ['2026-01-01', 3, '2028-12-31'],
    ['2026-03-01', 2, '2028-02-29'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-28'],
  ])('runs a registration from %s for %i years to %s', (from, years, expected) => {
    // Prepare
    const start = from;

    // Act
    const end = registrationEnd(start, years);

    // Assess
    expect(end).toBe(expected);
  });
});
