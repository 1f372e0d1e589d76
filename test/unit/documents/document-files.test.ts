import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/local-aws.ts';
import { createLocalS3, type LocalS3 } from '../../../infra/local/s3/index.ts';
import {
  contentDisposition,
  createS3Client,
  DocumentFiles,
  uploadUrlSeconds,
} from '../../../shared/documents/uploads.ts';

const bucket = 'shanyu-test-documents';

let dataDir: string;
let s3: LocalS3;
let files: DocumentFiles;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shanyu-documents-'));
  s3 = await createLocalS3({ buckets: [{ name: bucket }], dataDir, credentials: localCredentials });
  const { url } = await s3.listen(0);
  // The local cloud gives functions the region and credentials through the environment.
  const client = createS3Client(
    { AWS_ENDPOINT_URL_S3: url },
    { region: localRegion, credentials: localCredentials },
  );
  files = new DocumentFiles({ client, bucket });
});

afterAll(async () => {
  await s3.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('DocumentFiles against the local S3 store', () => {
  it('hands out an upload URL that takes exactly the declared file, valid for 15 minutes', async () => {
    // Prepare
    const body = Buffer.from('%PDF-1.7 fire safety certificate');
    const signedAt = new Date('2026-11-28T10:00:00.750Z');
    const upload = await files.presignUpload(
      { objectKey: 'documents/a', contentType: 'application/pdf', sizeBytes: body.length },
      new Date(),
    );
    const stamped = await files.presignUpload(
      { objectKey: 'documents/a', contentType: 'application/pdf', sizeBytes: body.length },
      signedAt,
    );

    // Act
    const before = await files.objectExists('documents/a');
    const response = await fetch(upload.url, {
      method: upload.method,
      headers: upload.headers,
      body,
    });
    const after = await files.objectExists('documents/a');

    // Assess
    expect(response.status).toBe(200);
    expect([before, after]).toEqual([false, true]);
    expect(upload.headers).toEqual({ 'content-type': 'application/pdf' });
    expect(stamped.expiresAt).toBe('2026-11-28T10:15:00.000Z');
    expect(new URL(stamped.url).searchParams.get('X-Amz-Expires')).toBe(String(uploadUrlSeconds));
    expect(new URL(stamped.url).searchParams.get('X-Amz-Date')).toBe('20261128T100000Z');
  });

  it('signs no checksum of an empty body into upload URLs', async () => {
    // Prepare / Act
    const upload = await files.presignUpload(
      { objectKey: 'documents/b', contentType: 'image/png', sizeBytes: 10 },
      new Date(),
    );

    // Assess
    const names = [...new URL(upload.url).searchParams.keys()].map((n) => n.toLowerCase());
    expect(names.filter((name) => name.includes('checksum'))).toEqual([]);
    expect(new URL(upload.url).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
  });

  it('refuses, through its URL, a file of another type or size than declared', async () => {
    // Prepare
    const upload = await files.presignUpload(
      { objectKey: 'documents/c', contentType: 'image/jpeg', sizeBytes: 4 },
      new Date(),
    );

    // Act
    const otherType = await fetch(upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/png' },
      body: 'jpeg',
    });
    const bigger = await fetch(upload.url, {
      method: 'PUT',
      headers: upload.headers,
      body: 'jpeg, but far more of it',
    });

    // Assess
    expect([otherType.status, bigger.status]).toEqual([403, 403]);
    expect(await files.objectExists('documents/c')).toBe(false);
  });

  it('hands out a download URL serving the file under its uploader’s name', async () => {
    // Prepare
    const upload = await files.presignUpload(
      { objectKey: 'documents/d', contentType: 'image/png', sizeBytes: 3 },
      new Date(),
    );
    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: 'png' });

    // Act
    const download = await files.presignDownload(
      { objectKey: 'documents/d', fileName: '场地照片.png', contentType: 'image/png' },
      new Date(),
    );
    const response = await fetch(download.url);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('png');
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toBe(contentDisposition('场地照片.png'));
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    // Prepare / Act
    const header = contentDisposition('营业执照 "副本" (1).pdf');

    // Assess
    expect(header).toBe(
      `inline; filename="____ ____ (1).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22%20%281%29.pdf`,
    );
  });
});
