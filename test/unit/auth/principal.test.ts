import { describe, expect, it } from 'vitest';
import { canSeeCase } from '../../../shared/auth/access.ts';
import { principalFromClaims } from '../../../shared/auth/principal.ts';
import { UnauthenticatedError } from '../../../shared/errors/http-errors.ts';

describe('principalFromClaims', () => {
  it('reads the roles API Gateway flattened into "[a b]"', () => {
    // Prepare
    const claims = {
      sub: 'u1',
      'cognito:groups': '[caseworker supervisor]',
      'custom:district': 'anji',
    };

    // Act
    const principal = principalFromClaims(claims);

    // Assess
    expect(principal).toEqual({ sub: 'u1', roles: ['caseworker', 'supervisor'], district: 'anji' });
  });

  it('accepts a real array and ignores groups that are not roles', () => {
    // Prepare
    const claims = {
      sub: 'p1',
      'cognito:groups': ['provider', 'us-east-1_pool_Google'],
      'custom:providerId': 'P-1',
    };

    // Act
    const principal = principalFromClaims(claims);

    // Assess
    expect(principal).toEqual({ sub: 'p1', roles: ['provider'], providerId: 'P-1' });
  });

  it.each([[undefined], [{}], [{ sub: '' }], [{ sub: 42 }]])(
    'refuses claims without a subject: %j',
    (claims) => {
      // Prepare / Act / Assess
      expect(() => principalFromClaims(claims as Record<string, unknown> | undefined)).toThrow(
        UnauthenticatedError,
      );
    },
  );
});

describe('canSeeCase', () => {
  const scope = { applicantSub: 'family-1', district: 'wuxing', providerId: 'P-1' };

  it.each([
    ['the applicant', { sub: 'family-1', roles: ['citizen'] as const }, true],
    ['another citizen', { sub: 'family-2', roles: ['citizen'] as const }, false],
    [
      'a caseworker of the district',
      { sub: 's', roles: ['caseworker'] as const, district: 'wuxing' },
      true,
    ],
    [
      'a caseworker of another district',
      { sub: 's', roles: ['caseworker'] as const, district: 'anji' },
      false,
    ],
    ['city-level staff', { sub: 's', roles: ['supervisor'] as const, district: 'city' }, true],
    ['staff without a district', { sub: 's', roles: ['caseworker'] as const }, false],
    ['the named provider', { sub: 'p', roles: ['provider'] as const, providerId: 'P-1' }, true],
    ['another provider', { sub: 'p', roles: ['provider'] as const, providerId: 'P-2' }, false],
    [
      'a provider claim without the role',
      { sub: 'p', roles: ['citizen'] as const, providerId: 'P-1' },
      false,
    ],
  ])('%s → %s', (_, principal, expected) => {
    // Prepare / Act
    const visible = canSeeCase({ ...principal, roles: [...principal.roles] }, scope);

    // Assess
    expect(visible).toBe(expected);
  });
});
