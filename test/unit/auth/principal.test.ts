import { describe, expect, it } from 'vitest';
import { canSeeCase, canWithdrawCase } from '../../../shared/auth/access.ts';
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

  it.each([
    ['no roles claim at all', { sub: 'u1', 'custom:district': 'anji' }],
    ['a roles claim of another name', { sub: 'u1', groups: '[caseworker]' }],
  ])('refuses a token with %s (authorization matrix: missing roles claim → 401)', (_, claims) => {
    // Prepare / Act / Assess
    expect(() => principalFromClaims(claims)).toThrow(UnauthenticatedError);
  });

  it('takes a roles claim naming no known role as a caller without roles', () => {
    // Prepare
    const claims = { sub: 'u1', 'cognito:groups': '[us-east-1_pool_Google]' };

    // Act
    const principal = principalFromClaims(claims);

    // Assess
    expect(principal).toEqual({ sub: 'u1', roles: [] });
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

describe('canWithdrawCase', () => {
  const claim = {
    applicantSub: 'family-1',
    caseType: 'subsidy-claim',
    district: 'wuxing',
    providerId: 'P-1',
  };
  const filing = {
    applicantSub: 'P-1-filer',
    caseType: 'provider-registration',
    providerId: 'P-1',
  };

  it.each([
    [
      'the family that filed a claim',
      claim,
      { sub: 'family-1', roles: ['citizen'] as const },
      true,
    ],
    ['another family', claim, { sub: 'family-2', roles: ['citizen'] as const }, false],
    [
      'the provider a claim names',
      claim,
      { sub: 'P-1-staff', roles: ['provider'] as const, providerId: 'P-1' },
      false,
    ],
    [
      'the account that sent a filing',
      filing,
      { sub: 'P-1-filer', roles: ['provider'] as const, providerId: 'P-1' },
      true,
    ],
    // Found by the authorization matrix (WithdrawCase × provider/own on a registration filing).
    [
      "another account of the filing's provider",
      filing,
      { sub: 'P-1-staff', roles: ['provider'] as const, providerId: 'P-1' },
      true,
    ],
    [
      'an account of another provider',
      filing,
      { sub: 'P-2-staff', roles: ['provider'] as const, providerId: 'P-2' },
      false,
    ],
    [
      'a providerId claim without the role',
      filing,
      { sub: 'x', roles: ['citizen'] as const, providerId: 'P-1' },
      false,
    ],
  ])('%s → %s', (_, scope, principal, expected) => {
    // Prepare / Act
    const allowed = canWithdrawCase({ ...principal, roles: [...principal.roles] }, scope);

    // Assess
    expect(allowed).toBe(expected);
  });
});
