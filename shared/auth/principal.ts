import * as z from 'zod';
import { UnauthenticatedError } from '../errors/http-errors.ts';
import { type Role, roleSchema } from './roles.ts';

/** Who is calling, derived from the identity provider's claims in exactly one place. */
export interface Principal {
  readonly sub: string;
  readonly roles: readonly Role[];
  /** Staff: the district they serve (`city` for city-level staff). */
  readonly district?: string;
  /** Provider staff: the provider they act for. */
  readonly providerId?: string;
}

/**
 * API Gateway's JWT authorizer hands claims to Lambda as strings, flattening arrays to
 * `"[a b c]"`; a Cognito group list may also arrive as a real array or a comma list from other IdPs.
 */
function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string') return [];
  const trimmed = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  return trimmed.split(/[\s,]+/).filter((part) => part.length > 0);
}

const optionalClaim = z.string().trim().min(1).max(128).optional().catch(undefined);

/** Claim names: Cognito's by default; a provincial OIDC IdP (浙里办) can be mapped onto them. */
export const claimNames = {
  roles: ['cognito:groups', 'roles'],
  district: ['custom:district', 'district'],
  providerId: ['custom:providerId', 'providerId'],
} as const;

function firstClaim(claims: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (claims[name] !== undefined) return claims[name];
  return undefined;
}

export function principalFromClaims(claims: Record<string, unknown> | undefined): Principal {
  const sub = typeof claims?.sub === 'string' ? claims.sub.trim() : '';
  if (!claims || sub === '') throw new UnauthenticatedError();
  // A token that says nothing about roles is not one of ours to act on (401, sign in again);
  // one that names only groups we do not know is a known caller without a role (403 later).
  const roleClaim = firstClaim(claims, claimNames.roles);
  if (roleClaim === undefined) throw new UnauthenticatedError();
  const roles = claimList(roleClaim).flatMap((name) => {
    const parsed = roleSchema.safeParse(name);
    // Unknown groups (e.g. IdP housekeeping groups) grant nothing.
    return parsed.success ? [parsed.data] : [];
  });
  const district = optionalClaim.parse(firstClaim(claims, claimNames.district));
  const providerId = optionalClaim.parse(firstClaim(claims, claimNames.providerId));
  return {
    sub,
    roles: [...new Set(roles)],
    ...(district ? { district } : {}),
    ...(providerId ? { providerId } : {}),
  };
}
