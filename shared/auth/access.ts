import { ForbiddenError } from '../errors/http-errors.ts';
import type { Principal } from './principal.ts';
import { type Role, staffRoles } from './roles.ts';

export function hasAnyRole(principal: Principal, roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}

export function requireAnyRole(principal: Principal, roles: readonly Role[]): void {
  if (!hasAnyRole(principal, roles)) throw new ForbiddenError();
}

/** What scopes a case: the applicant who filed it, the district it belongs to, the provider it names. */
export interface CaseScope {
  readonly applicantSub: string;
  readonly district?: string;
  readonly providerId?: string;
}

/**
 * Citizens see their own cases, staff their district's (city staff every district's), providers
 * their own, admins all. Roles add up: a principal may see a case through any role it holds.
 */
export function canSeeCase(principal: Principal, scope: CaseScope): boolean {
  if (principal.roles.includes('admin')) return true;
  if (principal.roles.includes('citizen') && scope.applicantSub === principal.sub) return true;
  if (
    principal.roles.includes('provider') &&
    principal.providerId !== undefined &&
    principal.providerId === scope.providerId
  ) {
    return true;
  }
  const isStaff = principal.roles.some((role) => staffRoles.includes(role));
  if (isStaff && principal.district !== undefined) {
    return principal.district === 'city' || principal.district === scope.district;
  }
  return false;
}

/** What a withdrawal looks at: who filed the case, what kind it is, the provider it names. */
export interface WithdrawalScope {
  readonly applicantSub: string;
  readonly caseType: string;
  readonly providerId?: string;
}

/**
 * Whoever filed a case may take it back: the family its claim or application, the provider its
 * registration filing. A filing is the provider's, not the one account's that sent it, so any
 * account of that provider may withdraw it (as any of them answers its tasks); a provider merely
 * named in a family's claim may not.
 */
export function canWithdrawCase(principal: Principal, scope: WithdrawalScope): boolean {
  if (scope.applicantSub === principal.sub) return true;
  return (
    scope.caseType === 'provider-registration' &&
    principal.roles.includes('provider') &&
    principal.providerId !== undefined &&
    principal.providerId === scope.providerId
  );
}
