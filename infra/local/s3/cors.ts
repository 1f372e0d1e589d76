import type { IncomingHttpHeaders } from 'node:http';

/** One rule of a bucket's CORS configuration, as the template declares it. */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposedHeaders?: readonly string[];
  readonly maxAge?: number;
}

/** S3's wildcards: at most one `*`, matching any run of characters. */
function matches(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern.toLowerCase() === value.toLowerCase();
  const head = pattern.slice(0, star).toLowerCase();
  const tail = pattern.slice(star + 1).toLowerCase();
  const text = value.toLowerCase();
  return text.length >= head.length + tail.length && text.startsWith(head) && text.endsWith(tail);
}

function requestedHeaders(headers: IncomingHttpHeaders): string[] {
  const value = headers['access-control-request-headers'];
  return (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** The first rule that allows this origin, method and (for a preflight) these headers. */
export function matchingRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  headers: readonly string[] = [],
): CorsRule | undefined {
  return rules.find(
    (rule) =>
      rule.allowedOrigins.some((allowed) => matches(allowed, origin)) &&
      rule.allowedMethods.includes(method) &&
      headers.every((name) =>
        (rule.allowedHeaders ?? []).some((allowed) => matches(allowed, name)),
      ),
  );
}

function allowOrigin(rule: CorsRule, origin: string): string {
  return rule.allowedOrigins.includes('*') ? '*' : origin;
}

/**
 * The answer to a preflight (OPTIONS): the headers to send, or undefined when no rule allows the
 * request (S3 then answers 403).
 */
export function preflight(
  rules: readonly CorsRule[],
  headers: IncomingHttpHeaders,
): Record<string, string> | undefined {
  const origin = headers.origin;
  const method = headers['access-control-request-method'];
  if (typeof origin !== 'string' || typeof method !== 'string') return undefined;
  const wanted = requestedHeaders(headers);
  const rule = matchingRule(rules, origin, method, wanted);
  if (!rule) return undefined;
  return {
    'access-control-allow-origin': allowOrigin(rule, origin),
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(wanted.length > 0 ? { 'access-control-allow-headers': wanted.join(', ') } : {}),
    ...(rule.exposedHeaders?.length
      ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') }
      : {}),
    ...(rule.maxAge !== undefined ? { 'access-control-max-age': String(rule.maxAge) } : {}),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}

/** Headers for an actual cross-origin request that a rule allows; none otherwise. */
export function corsHeaders(
  rules: readonly CorsRule[],
  headers: IncomingHttpHeaders,
  method: string,
): Record<string, string> {
  const origin = headers.origin;
  if (typeof origin !== 'string') return {};
  const rule = matchingRule(rules, origin, method);
  if (!rule) return {};
  return {
    'access-control-allow-origin': allowOrigin(rule, origin),
    ...(rule.exposedHeaders?.length
      ? { 'access-control-expose-headers': rule.exposedHeaders.join(', ') }
      : {}),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
}
