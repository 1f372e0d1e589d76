import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../../infra/local/local-aws.ts';
import { createLocalS3, type LocalS3 } from '../../../../infra/local/s3/index.ts';

const bucket = 'shanyu-test-documents';

let dataDir: string;
let s3: LocalS3;
let endpoint: string;
/** The server's clock, moved by hand to expire presigned URLs. */
let clockOffsetMs: number;

function clientFor(
  credentials: { accessKeyId: string; secretAccessKey: string } = localCredentials,
): S3Client {
  return new S3Client({
    endpoint,
    forcePathStyle: true,
    region: localRegion,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

async function start(): Promise<void> {
  s3 = await createLocalS3({
    buckets: [
      {
        name: bucket,
        cors: [{ allowedOrigins: ['*'], allowedMethods: ['PUT', 'GET'], allowedHeaders: ['*'] }],
      },
    ],
    dataDir,
    credentials: localCredentials,
    now: () => Date.now() + clockOffsetMs,
  });
  ({ url: endpoint } = await s3.listen(0));
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-s3-'));
  clockOffsetMs = 0;
  await start();
});

afterEach(async () => {
  await s3.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The `<Code>` of an S3 XML error document. */
async function errorCode(response: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
}

describe('local S3 store', () => {
  it('stores an object with PutObject and returns it with HeadObject and GetObject', async () => {
    // Prepare
    const client = clientFor();
    const key = 'documents/营业执照 (1)+scan.pdf';

    // Act
    const put = await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'hello', ContentType: 'text/plain' }),
    );
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));

    // Assess
    expect(put.ETag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(head).toMatchObject({ ContentLength: 5, ContentType: 'text/plain', ETag: put.ETag });
    expect(await got.Body?.transformToString()).toBe('hello');
  });

  it('decodes a streamed (aws-chunked) upload and checks its trailing CRC32', async () => {
    // Prepare
    const client = new S3Client({
      endpoint,
      forcePathStyle: true,
      region: localRegion,
      credentials: localCredentials,
    });
    const body = Readable.from([Buffer.from('first part, '), Buffer.from('second part')]);

    // Act
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'streamed', Body: body, ContentLength: 23 }),
    );
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed' }));

    // Assess
    expect(await got.Body?.transformToString()).toBe('first part, second part');
  });

  it('refuses a body whose CRC32 does not match the one declared', async () => {
    // Prepare
    const client = clientFor();

    // Act
    const putting = client.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'hello', ChecksumCRC32: 'AAAAAA==' }),
    );

    // Assess
    await expect(putting).rejects.toMatchObject({ name: 'BadDigest' });
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('answers HeadObject for a missing key with NotFound and GetObject with NoSuchKey', async () => {
    // Prepare
    const client = clientFor();

    // Act
    const heading = client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'nothing' }));
    const getting = client.send(new GetObjectCommand({ Bucket: bucket, Key: 'nothing' }));

    // Assess
    await expect(heading).rejects.toMatchObject({
      name: 'NotFound',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(getting).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('refuses buckets the assembly does not declare', async () => {
    // Prepare
    const client = clientFor();

    // Act
    const putting = client.send(new PutObjectCommand({ Bucket: 'other', Key: 'k', Body: 'x' }));

    // Assess
    await expect(putting).rejects.toMatchObject({
      name: 'NoSuchBucket',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('refuses a wrong secret key and an unknown access key', async () => {
    // Prepare
    const wrongSecret = clientFor({ accessKeyId: 'local', secretAccessKey: 'guess' });
    const unknownKey = clientFor({ accessKeyId: 'someone', secretAccessKey: 'local' });
    const put = () => new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' });

    // Act
    const withWrongSecret = wrongSecret.send(put());
    const withUnknownKey = unknownKey.send(put());

    // Assess
    await expect(withWrongSecret).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    await expect(withUnknownKey).rejects.toMatchObject({ name: 'InvalidAccessKeyId' });
  });

  it('refuses unsigned requests', async () => {
    // Prepare
    await clientFor().send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'x' }));

    // Act
    const response = await fetch(`${endpoint}/${bucket}/k`);

    // Assess
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('AccessDenied');
  });

  it('takes a presigned PUT with the signed content type and length', async () => {
    // Prepare
    const client = clientFor();
    const url = await getSignedUrl(
      client,
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'documents/doc_1',
        ContentType: 'application/pdf',
        ContentLength: 8,
      }),
      { expiresIn: 900, signableHeaders: new Set(['content-type', 'content-length']) },
    );

    // Act
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.7',
    });
    const head = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: 'documents/doc_1' }),
    );

    // Assess
    expect(response.status).toBe(200);
    expect(head).toMatchObject({ ContentType: 'application/pdf', ContentLength: 8 });
  });

  it('refuses a presigned PUT with another content type or another length', async () => {
    // Prepare
    const url = await getSignedUrl(
      clientFor(),
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'documents/doc_2',
        ContentType: 'application/pdf',
        ContentLength: 8,
      }),
      { expiresIn: 900, signableHeaders: new Set(['content-type', 'content-length']) },
    );

    // Act
    const otherType = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/html' },
      body: '%PDF-1.7',
    });
    const otherLength = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/pdf' },
      body: '%PDF-1.7 and much more',
    });

    // Assess
    expect(otherType.status).toBe(403);
    expect(await errorCode(otherType)).toBe('SignatureDoesNotMatch');
    expect(otherLength.status).toBe(403);
    expect(await errorCode(otherLength)).toBe('SignatureDoesNotMatch');
  });

  it('refuses a presigned URL once X-Amz-Date + X-Amz-Expires has passed', async () => {
    // Prepare
    const url = await getSignedUrl(
      clientFor(),
      new PutObjectCommand({ Bucket: bucket, Key: 'late', ContentType: 'image/png' }),
      { expiresIn: 60 },
    );
    clockOffsetMs = 61_000;

    // Act
    const response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: 'png',
    });

    // Assess
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('Request has expired');
  });

  it('serves a presigned GET with the response overrides it signs', async () => {
    // Prepare
    const client = clientFor();
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'k',
        Body: 'pdf',
        ContentType: 'application/pdf',
      }),
    );
    const url = await getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: bucket,
        Key: 'k',
        ResponseContentDisposition: 'inline; filename="a.pdf"',
      }),
      { expiresIn: 300 },
    );

    // Act
    const response = await fetch(url);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('inline; filename="a.pdf"');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(await response.text()).toBe('pdf');
  });

  it('keeps objects across a restart on the same data directory, until deleted', async () => {
    // Prepare
    await clientFor().send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'v1' }));
    await clientFor().send(new PutObjectCommand({ Bucket: bucket, Key: 'kept', Body: 'v2' }));
    await s3.close();
    await start();

    // Act
    const got = await clientFor().send(new GetObjectCommand({ Bucket: bucket, Key: 'kept' }));
    const text = await got.Body?.transformToString();
    await clientFor().send(new DeleteObjectCommand({ Bucket: bucket, Key: 'kept' }));
    const afterDelete = clientFor().send(new HeadObjectCommand({ Bucket: bucket, Key: 'kept' }));

    // Assess
    expect(text).toBe('v2');
    await expect(afterDelete).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('answers CORS preflights as the bucket’s rules say', async () => {
    // Prepare
    const preflight = (method: string) =>
      fetch(`${endpoint}/${bucket}/k`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://console.example',
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type',
        },
      });

    // Act
    const put = await preflight('PUT');
    const del = await preflight('DELETE');

    // Assess
    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe('*');
    expect(put.headers.get('access-control-allow-headers')).toBe('content-type');
    expect(del.status).toBe(403);
  });
});
