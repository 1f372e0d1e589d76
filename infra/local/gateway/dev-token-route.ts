import * as z from 'zod';
import { roleSchema } from '../../../shared/auth/roles.ts';
import type { LocalIssuer } from '../auth/index.ts';
import type { LocalRouteHandler } from './types.ts';

const devTokenRequestSchema = z.strictObject({
  sub: z.string().min(1).max(128),
  roles: z
    .array(roleSchema)
    .min(1)
    .refine((roles) => new Set(roles).size === roles.length, { message: 'roles must be unique' }),
  district: z.string().min(1).max(128).optional(),
  providerId: z.string().min(1).max(128).optional(),
});

export type DevTokenRequest = z.infer<typeof devTokenRequestSchema>;

export interface DevTokenIssue {
  /** Dotted path of the offending field (`roles.0`); empty for the body as a whole. */
  readonly path: string;
  readonly message: string;
}

/**
 * Ready-made handler for 'POST /dev/token', the local stand-in for signing in to Cognito: answers
 * 200 `{"token": "<JWT>"}`, or 400 `{"message", "issues": [{path, message}]}` naming every bad field.
 */
export function devTokenRoute(issuer: Pick<LocalIssuer, 'issueToken'>): LocalRouteHandler {
  return async (request) => {
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      return badRequest([{ path: '', message: 'body is not valid JSON' }]);
    }
    const parsed = devTokenRequestSchema.safeParse(json);
    if (!parsed.success) {
      return badRequest(
        parsed.error.issues.flatMap((issue): DevTokenIssue[] => {
          const path = issue.path.map(String).join('.');
          // An unknown field is reported at its own path, not at the object holding it.
          if (issue.code === 'unrecognized_keys') {
            return issue.keys.map((key) => ({
              path: path ? `${path}.${key}` : key,
              message: 'unknown field',
            }));
          }
          return [{ path, message: issue.message }];
        }),
      );
    }
    const token = await issuer.issueToken(parsed.data);
    return { statusCode: 200, body: { token } };
  };
}

function badRequest(issues: DevTokenIssue[]) {
  return { statusCode: 400, body: { message: 'Invalid token request', issues } };
}
