import { type GatewayResponse, jsonResponse } from './gateway-response.ts';

/** A Lambda result API Gateway would refuse, answering 500 instead. */
export class MalformedProxyResultError extends Error {
  public constructor(problem: string) {
    super(`Malformed Lambda proxy response: ${problem}`);
    this.name = 'MalformedProxyResultError';
  }
}

// Framing is the gateway's business, not the function's.
const IGNORED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * Maps a Lambda result to the HTTP response, as payload format 2.0 does: an object with
 * `statusCode` is a structured response; anything else is returned as JSON with status 200.
 *
 * @throws MalformedProxyResultError for a structured response API Gateway would not accept.
 */
export function mapProxyResult(result: unknown): GatewayResponse {
  if (!isStructured(result)) return jsonResponse(200, result);

  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new MalformedProxyResultError(`statusCode ${JSON.stringify(statusCode)}`);
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new MalformedProxyResultError('body is not a string');
  }
  if (cookies !== undefined && cookies !== null && !isStringArray(cookies)) {
    throw new MalformedProxyResultError('cookies is not an array of strings');
  }

  return {
    statusCode,
    headers: mapHeaders(headers),
    cookies: isStringArray(cookies) ? cookies : [],
    body:
      typeof body === 'string' && body.length > 0
        ? Buffer.from(body, isBase64Encoded === true ? 'base64' : 'utf8')
        : undefined,
  };
}

interface StructuredResult {
  statusCode: unknown;
  headers?: unknown;
  cookies?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

function isStructured(result: unknown): result is StructuredResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    !Array.isArray(result) &&
    'statusCode' in result
  );
}

function mapHeaders(headers: unknown): Record<string, string> {
  if (headers === undefined || headers === null) return {};
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new MalformedProxyResultError('headers is not an object');
  }
  const mapped: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (IGNORED_HEADERS.has(name.toLowerCase())) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new MalformedProxyResultError(`header ${name} is not a string, number or boolean`);
    }
    mapped[name] = String(value);
  }
  return mapped;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
