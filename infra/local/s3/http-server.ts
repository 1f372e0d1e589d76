import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { decodeAwsChunked } from './aws-chunked.ts';
import { type CorsRule, corsHeaders, preflight } from './cors.ts';
import type { BodyDigests, ObjectMetadata, ObjectStore } from './object-store.ts';
import { errorDocument, S3Error } from './s3-errors.ts';
import { parseQuery, type SigningCredentials, verifySignature } from './sigv4.ts';

export interface LocalBucket {
  readonly name: string;
  readonly cors?: readonly CorsRule[];
}

export interface S3ServerOptions {
  readonly buckets: ReadonlyMap<string, LocalBucket>;
  readonly store: ObjectStore;
  readonly credentials: SigningCredentials;
  /** Decides when presigned URLs expire. */
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/** S3's limit for one PUT. */
const MAX_OBJECT_BYTES = 5 * 1024 ** 3;

/** `GET` response overrides a signed request may ask for, and the headers they set. */
const responseOverrides: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-language': 'content-language',
  'response-content-encoding': 'content-encoding',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

/**
 * Query parameters that select no sub-resource: signing and headers a presigner hoisted
 * (`x-amz-*`), the SDK's operation hint (`x-id`), response overrides.
 */
function isPlainParameter(name: string): boolean {
  return name.toLowerCase().startsWith('x-amz-') || name === 'x-id' || name in responseOverrides;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function objectHeaders(metadata: ObjectMetadata): Record<string, string> {
  return {
    'content-type': metadata.contentType,
    'content-length': String(metadata.size),
    etag: `"${metadata.md5}"`,
    'last-modified': new Date(metadata.lastModified).toUTCString(),
    ...Object.fromEntries(
      Object.entries(metadata.userMetadata).map(([name, value]) => [`x-amz-meta-${name}`, value]),
    ),
  };
}

/** Checks the body's digests against every digest the request declared, as S3 does. */
function digestChecks(
  request: IncomingMessage,
  payloadHash: string,
  trailers: Record<string, string>,
  expectedSize: number,
): (digests: BodyDigests) => void {
  return (digests) => {
    if (digests.size !== expectedSize) {
      throw new S3Error(
        'IncompleteBody',
        'You did not provide the number of bytes specified by the Content-Length HTTP header.',
      );
    }
    const md5 = header(request, 'content-md5');
    if (md5 !== undefined && md5 !== digests.md5.toString('base64')) {
      throw new S3Error(
        'BadDigest',
        'The Content-MD5 you specified did not match what we received.',
      );
    }
    if (/^[0-9a-f]{64}$/.test(payloadHash) && payloadHash !== digests.sha256.toString('hex')) {
      throw new S3Error(
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }
    const declared = (name: string) => header(request, name) ?? trailers[name];
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(digests.crc32);
    const checksums: [string, string, Buffer][] = [
      ['x-amz-checksum-crc32', 'CRC32', crc],
      ['x-amz-checksum-sha1', 'SHA1', digests.sha1],
      ['x-amz-checksum-sha256', 'SHA256', digests.sha256],
    ];
    for (const [name, algorithm, actual] of checksums) {
      const value = declared(name);
      if (value !== undefined && value !== actual.toString('base64')) {
        throw new S3Error(
          'BadDigest',
          `The ${algorithm} you specified did not match the calculated checksum.`,
        );
      }
    }
  };
}

function userMetadataOf(request: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name.startsWith('x-amz-meta-'))
      .map(([name, value]) => [
        name.slice('x-amz-meta-'.length),
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
  );
}

async function putObject(
  request: IncomingMessage,
  store: ObjectStore,
  bucket: string,
  key: string,
  payloadHash: string,
): Promise<Record<string, string>> {
  if (request.headers['x-amz-copy-source'] !== undefined) {
    throw new S3Error('NotImplemented', 'CopyObject is not implemented by the local S3 store');
  }
  const chunked = (header(request, 'content-encoding') ?? '')
    .split(',')
    .some((coding) => coding.trim() === 'aws-chunked');
  const declaredLength = chunked
    ? header(request, 'x-amz-decoded-content-length')
    : header(request, 'content-length');
  if (declaredLength === undefined) {
    throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.');
  }
  const expectedSize = Number(declaredLength);
  if (!Number.isSafeInteger(expectedSize) || expectedSize < 0) {
    throw new S3Error('InvalidArgument', 'The Content-Length is not a whole number of bytes');
  }
  if (expectedSize > MAX_OBJECT_BYTES) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
  }
  const trailers: Record<string, string> = {};
  const body = chunked ? Readable.from(decodeAwsChunked(request, trailers)) : request;
  const metadata = await store.put(
    bucket,
    key,
    body,
    {
      contentType: header(request, 'content-type') ?? 'binary/octet-stream',
      userMetadata: userMetadataOf(request),
    },
    digestChecks(request, payloadHash, trailers, expectedSize),
  );
  return { etag: `"${metadata.md5}"` };
}

/** `/<bucket>/<key>` (path style, still encoded) → bucket and decoded key (`''` for the bucket). */
function target(path: string): { bucket: string; key: string } {
  const [bucket = '', ...rest] = path.slice(1).split('/');
  try {
    return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')) };
  } catch {
    throw new S3Error('InvalidArgument', 'The request path contains a malformed percent-encoding');
  }
}

/**
 * A path-style S3 endpoint for the buckets the assembly declares: PutObject, GetObject,
 * HeadObject, DeleteObject and HeadBucket, SigV4-verified, with CORS from the bucket's rules.
 */
export function createS3Server(options: S3ServerOptions): Server {
  const { buckets, store, credentials, now, log } = options;

  const handle = async (
    request: IncomingMessage,
    response: ServerResponse,
    extraHeaders: Record<string, string>,
  ): Promise<void> => {
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
    const { bucket, key } = target(path);
    if (bucket === '') {
      throw new S3Error('NotImplemented', 'ListBuckets is not implemented by the local S3 store');
    }
    const known = buckets.get(bucket);
    if (!known) {
      throw new S3Error('NoSuchBucket', 'The specified bucket does not exist', {
        BucketName: bucket,
      });
    }
    const rules = known.cors ?? [];
    if (method === 'OPTIONS') {
      const allowed = preflight(rules, request.headers);
      if (!allowed)
        throw new S3Error('AccessDenied', 'CORSResponse: This CORS request is not allowed.');
      response.writeHead(200, { ...extraHeaders, ...allowed, 'content-length': '0' });
      response.end();
      return;
    }
    Object.assign(extraHeaders, corsHeaders(rules, request.headers, method));

    const verified = verifySignature(
      { method, path, query, headers: request.headers },
      credentials,
      now(),
    );
    const params = parseQuery(query);
    const subresource = params.find(([name]) => !isPlainParameter(name));
    if (subresource) {
      throw new S3Error(
        'NotImplemented',
        `The ${subresource[0]} sub-resource is not implemented by the local S3 store`,
      );
    }

    if (key === '') {
      if (method !== 'HEAD') {
        throw new S3Error('NotImplemented', 'Only HeadBucket is implemented for buckets');
      }
      response.writeHead(200, { ...extraHeaders, 'content-length': '0' });
      response.end();
      return;
    }

    switch (method) {
      case 'PUT': {
        const headers = await putObject(request, store, bucket, key, verified.payloadHash);
        response.writeHead(200, { ...extraHeaders, ...headers, 'content-length': '0' });
        response.end();
        return;
      }
      case 'GET':
      case 'HEAD': {
        const found =
          method === 'HEAD'
            ? await store.head(bucket, key).then((metadata) => metadata && { metadata })
            : await store.get(bucket, key);
        if (!found) {
          throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
        }
        const overrides = Object.fromEntries(
          params.flatMap(([name, value]) => {
            const headerName = responseOverrides[name];
            return headerName ? [[headerName, value]] : [];
          }),
        );
        response.writeHead(200, {
          ...extraHeaders,
          ...objectHeaders(found.metadata),
          ...overrides,
        });
        if ('body' in found && found.body) {
          // Headers are out: a read failure can only cut the response short.
          found.body.once('error', () => response.destroy());
          found.body.pipe(response);
        } else {
          response.end();
        }
        return;
      }
      case 'DELETE':
        await store.delete(bucket, key);
        response.writeHead(204, extraHeaders);
        response.end();
        return;
      default:
        throw new S3Error(
          'MethodNotAllowed',
          'The specified method is not allowed against this resource.',
        );
    }
  };

  return createServer((request, response) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    const extraHeaders: Record<string, string> = { 'x-amz-request-id': requestId };
    handle(request, response, extraHeaders).catch((error: unknown) => {
      const { statusCode, body } = errorDocument(error, requestId);
      if (statusCode >= 500) log(`[s3] internal error: ${(error as Error).stack ?? String(error)}`);
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // A HEAD response has no body; the SDK names the error after the status (NotFound).
      const headOnly = request.method === 'HEAD';
      response.writeHead(statusCode, {
        ...extraHeaders,
        'content-type': 'application/xml',
        ...(headOnly ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      });
      response.end(headOnly ? undefined : body);
    });
  });
}
