import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { parseCookies } from './request-headers.ts';

export interface ProxyEventInput {
  readonly method: string;
  readonly rawPath: string;
  /** Without the leading `?`; empty when there is none. */
  readonly rawQueryString: string;
  /** Flattened request headers (lower-cased names, repeats joined). */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly localPort: number;
  readonly requestId: string;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | undefined;
  /** Flattened JWT claims; present only on JWT-authorized routes. */
  readonly claims: Record<string, string> | undefined;
  readonly receivedAt: Date;
}

export type ProxyEvent = APIGatewayProxyEventV2 | APIGatewayProxyEventV2WithJWTAuthorizer;

/** Builds the API Gateway HTTP API (payload format 2.0) event for one request. */
export function buildProxyEvent(input: ProxyEventInput): ProxyEvent {
  const cookies = parseCookies(input.headers.cookie);
  const queryStringParameters = parseQueryString(input.rawQueryString);
  const host = input.headers.host ?? 'localhost';
  const domainName = host;
  const domainPrefix = host.split(':')[0]?.split('.')[0] ?? host;
  const body = encodeBody(input.body, input.headers['content-type']);

  const requestContext = {
    accountId: '000000000000',
    apiId: 'local',
    domainName,
    domainPrefix,
    http: {
      method: input.method,
      path: input.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: input.sourceIp,
      userAgent: input.headers['user-agent'] ?? '',
    },
    requestId: input.requestId,
    routeKey: input.routeKey,
    stage: '$default',
    time: formatRequestTime(input.receivedAt),
    timeEpoch: input.receivedAt.getTime(),
    ...(input.claims === undefined
      ? {}
      : { authorizer: { jwt: { claims: input.claims, scopes: null } } }),
  };

  return {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers: eventHeaders(input),
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext,
    ...(input.pathParameters === undefined ? {} : { pathParameters: input.pathParameters }),
    ...body,
  };
}

/** Cookies move to `cookies`; the proxy headers API Gateway adds are added here too. */
function eventHeaders(input: ProxyEventInput): Record<string, string> {
  const { cookie: _cookie, ...headers } = input.headers;
  const forwardedFor = headers['x-forwarded-for'];
  return {
    ...headers,
    'x-forwarded-for':
      forwardedFor === undefined ? input.sourceIp : `${forwardedFor}, ${input.sourceIp}`,
    'x-forwarded-port': String(input.localPort),
    'x-forwarded-proto': 'http',
    'x-amzn-trace-id': headers['x-amzn-trace-id'] ?? newTraceId(input.receivedAt),
  };
}

/** Repeated names are joined with ',' as API Gateway does; undefined when there is no query. */
function parseQueryString(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString.length === 0) return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return Object.keys(parameters).length === 0 ? undefined : parameters;
}

function encodeBody(
  body: Buffer,
  contentType: string | undefined,
): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (isTextContentType(contentType))
    return { body: body.toString('utf8'), isBase64Encoded: false };
  return { body: body.toString('base64'), isBase64Encoded: true };
}

/** Content types API Gateway passes through as text; everything else (or none) arrives base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    mediaType.startsWith('text/') ||
    mediaType === 'application/json' ||
    mediaType.endsWith('+json') ||
    mediaType === 'application/xml' ||
    mediaType.endsWith('+xml') ||
    mediaType === 'application/x-www-form-urlencoded'
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `12/Mar/2020:19:03:58 +0000`, the CLF-style timestamp API Gateway puts in `requestContext.time`. */
export function formatRequestTime(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  const day = pad(date.getUTCDate());
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}/${month}/${date.getUTCFullYear()}:${clock} +0000`;
}

/** Request ids look like API Gateway's (`JKJaXmPLvHcESHA=`): 11 random bytes in base64. */
export function newRequestId(): string {
  return randomBytes(11).toString('base64');
}

function newTraceId(receivedAt: Date): string {
  const epochHex = Math.floor(receivedAt.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epochHex}-${randomBytes(12).toString('hex')}`;
}
