import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './s3-errors.ts';

/**
 * Verifies AWS Signature Version 4 as S3 does, for both forms the SDK uses: an `Authorization`
 * header (SDK calls) and query parameters (presigned URLs, which also expire). The local cloud has
 * one access key, so checking signatures costs no more than an HMAC chain.
 */

export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The parts of an HTTP request a signature covers, as they arrived (path and query still encoded). */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
}

export interface VerifiedRequest {
  /** A presigned URL, rather than an Authorization header. */
  readonly presigned: boolean;
  /**
   * What the client declared the body's SHA-256 to be (`UNSIGNED-PAYLOAD`, `STREAMING-…`, or a
   * hex digest that the body must then match).
   */
  readonly payloadHash: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SigV4's limit on X-Amz-Expires: seven days. */
const MAX_EXPIRES_SECONDS = 604_800;

/** RFC 3986 encoding as SigV4 wants it: everything but `A-Za-z0-9-_.~` escaped, in upper-case hex. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function uriDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new S3Error('InvalidArgument', 'The request contains a malformed percent-encoding');
  }
}

/** Query parameters, decoded, in arrival order (a name may repeat). */
export function parseQuery(query: string): [string, string][] {
  return query
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const equals = part.indexOf('=');
      return equals < 0
        ? [uriDecode(part), '']
        : [uriDecode(part.slice(0, equals)), uriDecode(part.slice(equals + 1))];
    });
}

/** S3 signs the path as sent, each segment encoded once (no dot-segment normalisation). */
function canonicalUri(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(uriDecode(segment)))
    .join('/');
}

function canonicalQuery(params: readonly [string, string][]): string {
  return params
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) =>
  createHmac('sha256', key).update(text, 'utf8').digest();

interface Authorization {
  readonly accessKeyId: string;
  /** `<date>/<region>/<service>/aws4_request` */
  readonly scope: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
  /** `YYYYMMDDTHHMMSSZ` */
  readonly amzDate: string;
  readonly payloadHash: string;
  /** The query parameters the signature covers. */
  readonly signedParams: [string, string][];
}

function splitCredential(credential: string, malformed: () => S3Error) {
  const [accessKeyId = '', ...scope] = credential.split('/');
  if (scope.length !== 4 || scope[3] !== 'aws4_request' || scope[2] !== 's3') throw malformed();
  return { accessKeyId, scope: scope.join('/') };
}

function fromQuery(params: [string, string][], nowMs: number): Authorization {
  const get = (name: string) => params.find(([key]) => key === name)?.[1];
  const malformed = (message: string) => new S3Error('AuthorizationQueryParametersError', message);
  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    throw malformed('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credential = get('X-Amz-Credential') ?? '';
  const amzDate = get('X-Amz-Date') ?? '';
  const expires = Number(get('X-Amz-Expires'));
  const signedHeaders = get('X-Amz-SignedHeaders') ?? '';
  const signature = get('X-Amz-Signature') ?? '';
  const signedAt = parseAmzDate(amzDate);
  if (signedAt === undefined) throw malformed('X-Amz-Date must be in the ISO8601 Long Format');
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_SECONDS) {
    throw malformed('X-Amz-Expires must be a whole number of seconds from 1 to 604800');
  }
  if (signedHeaders === '' || !/^[0-9a-f]{64}$/.test(signature)) {
    throw malformed('Query-string authentication requires X-Amz-SignedHeaders and X-Amz-Signature');
  }
  const expiresAtMs = signedAt + expires * 1000;
  if (nowMs > expiresAtMs) {
    throw new S3Error('AccessDenied', 'Request has expired', {
      'X-Amz-Expires': String(expires),
      Expires: new Date(expiresAtMs).toISOString(),
      ServerTime: new Date(nowMs).toISOString(),
    });
  }
  return {
    ...splitCredential(credential, () => malformed('X-Amz-Credential is malformed')),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash: get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
    signedParams: params.filter(([key]) => key !== 'X-Amz-Signature'),
  };
}

const HEADER_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

function fromHeader(
  authorization: string,
  headers: IncomingHttpHeaders,
  params: [string, string][],
): Authorization {
  const malformed = () =>
    new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed');
  const match = HEADER_PATTERN.exec(authorization.trim());
  if (!match) throw malformed();
  const [, credential = '', signedHeaders = '', signature = ''] = match;
  const amzDate = headerValue(headers, 'x-amz-date');
  if (parseAmzDate(amzDate) === undefined) throw malformed();
  const payloadHash = headerValue(headers, 'x-amz-content-sha256');
  if (payloadHash === '') {
    throw new S3Error(
      'InvalidRequest',
      'Missing required header for this request: x-amz-content-sha256',
    );
  }
  return {
    ...splitCredential(credential, malformed),
    signedHeaders: signedHeaders.split(';'),
    signature,
    amzDate,
    payloadHash,
    signedParams: params,
  };
}

/** Milliseconds since the epoch of a `YYYYMMDDTHHMMSSZ` date, or undefined if it is not one. */
export function parseAmzDate(text: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const ms = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks the request's signature with the one key the local cloud knows; returns what the
 * signature says about the body, or throws the S3Error S3 would answer with.
 */
export function verifySignature(
  request: SignedRequest,
  credentials: SigningCredentials,
  nowMs: number,
): VerifiedRequest {
  const params = parseQuery(request.query);
  const authorization = headerValue(request.headers, 'authorization');
  const presigned = params.some(([key]) => key === 'X-Amz-Signature' || key === 'X-Amz-Credential');
  if (presigned && authorization !== '') {
    throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed');
  }
  if (!presigned && authorization === '') {
    throw new S3Error('AccessDenied', 'Anonymous access is not allowed');
  }
  const auth = presigned
    ? fromQuery(params, nowMs)
    : fromHeader(authorization, request.headers, params);
  if (auth.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      { AWSAccessKeyId: auth.accessKeyId },
    );
  }
  const canonicalRequest = [
    request.method,
    canonicalUri(request.path),
    canonicalQuery(auth.signedParams),
    ...auth.signedHeaders.map((name) => `${name}:${headerValue(request.headers, name)}`),
    '',
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, auth.amzDate, auth.scope, sha256Hex(canonicalRequest)].join(
    '\n',
  );
  const [date = '', region = '', service = ''] = auth.scope.split('/');
  let key = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new S3Error(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      { StringToSign: stringToSign, CanonicalRequest: canonicalRequest },
    );
  }
  return { presigned, payloadHash: auth.payloadHash };
}
