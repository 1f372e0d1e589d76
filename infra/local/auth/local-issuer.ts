import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod';
import { type Role, roleSchema } from '../../../shared/auth/roles.ts';
import { InvalidTokenError } from './invalid-token-error.ts';
import { loadOrCreateSigningKey, SIGNING_ALGORITHM } from './signing-key-store.ts';

export interface LocalIssuerOptions {
  /** Root of the local stack's data; the key lives in `${dataDir}/auth/`. */
  dataDir: string;
  issuer?: string;
  audience?: string;
}

export interface IssueTokenInput {
  sub: string;
  roles: Role[];
  district?: string;
  providerId?: string;
  /** Lifetime; one hour when omitted. */
  expiresInSeconds?: number;
}

export interface LocalIssuer {
  issuer: string;
  audience: string;
  issueToken(input: IssueTokenInput): Promise<string>;
  /** Verifies signature (only our key, only our alg), issuer, audience, expiry and issue time (no clock tolerance beyond 5 s);
   *  resolves to the JWT claims; rejects with `InvalidTokenError` otherwise. */
  verifyToken(token: string): Promise<Record<string, unknown>>;
}

export const DEFAULT_ISSUER = 'http://localhost/shanyu-local';
export const DEFAULT_AUDIENCE = 'shanyu';
const DEFAULT_LIFETIME_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 5;

const issueTokenInputSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(roleSchema),
  district: z.string().min(1).optional(),
  providerId: z.string().min(1).optional(),
  expiresInSeconds: z.number().int().positive().optional(),
});

/**
 * Stands in for the Cognito user pool locally: signs ID-token-shaped JWTs with a persisted ES256
 * key and verifies them the way the API Gateway JWT authorizer would.
 */
export async function createLocalIssuer(options: LocalIssuerOptions): Promise<LocalIssuer> {
  const issuer = options.issuer ?? DEFAULT_ISSUER;
  const audience = options.audience ?? DEFAULT_AUDIENCE;
  const key = await loadOrCreateSigningKey(join(options.dataDir, 'auth'));

  const issueToken = async (input: IssueTokenInput): Promise<string> => {
    const { sub, roles, district, providerId, expiresInSeconds } =
      issueTokenInputSchema.parse(input);
    const issuedAt = Math.floor(Date.now() / 1000);
    // Claim names follow Cognito so the principal code reads the same token shape in AWS.
    return new SignJWT({
      'cognito:groups': roles,
      ...(district === undefined ? {} : { 'custom:district': district }),
      ...(providerId === undefined ? {} : { 'custom:providerId': providerId }),
      token_use: 'id',
    })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + (expiresInSeconds ?? DEFAULT_LIFETIME_SECONDS))
      .setJti(randomUUID())
      .sign(key.privateKey);
  };

  const verifyToken = async (token: string): Promise<Record<string, unknown>> => {
    try {
      const { payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [SIGNING_ALGORITHM],
        issuer,
        audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      if (typeof payload.sub !== 'string' || payload.sub.length === 0) {
        throw new InvalidTokenError('"sub" claim is empty');
      }
      // API Gateway's JWT authorizer refuses a token issued in the future; jose only checks nbf.
      if ((payload.iat ?? 0) > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
        throw new InvalidTokenError('"iat" claim is in the future');
      }
      return { ...payload };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      // Whatever jose or WebCrypto objects to, the token is unusable; keep the detail for the log.
      const reason =
        error instanceof joseErrors.JOSEError ? `${error.code}: ${error.message}` : String(error);
      throw new InvalidTokenError(reason, { cause: error });
    }
  };

  return { issuer, audience, issueToken, verifyToken };
}
