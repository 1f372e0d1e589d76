import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** How long an upload URL works: enough to pick and send a 20 MiB file on a slow line. */
export const uploadUrlSeconds = 15 * 60;
/** How long a download URL works: opened at once by whoever asked for it. */
export const downloadUrlSeconds = 5 * 60;

/** What the client does with the file: PUT it to `url` with these headers, before `expiresAt`. */
export interface UploadInstructions {
  readonly method: 'PUT';
  readonly url: string;
  readonly headers: { readonly 'content-type': string };
  readonly expiresAt: string;
}

export interface DownloadLink {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * The S3 client of a function. `AWS_ENDPOINT_URL_S3` points it at the local cloud's S3 store,
 * which takes path-style requests (`/<bucket>/<key>`) only; in AWS it is unset.
 *
 * Checksums only where S3 requires them: by default the SDK adds a CRC32 of the (empty) body to a
 * presigned PutObject, and S3 then refuses the real upload for not matching it.
 */
export function createS3Client(
  env: NodeJS.ProcessEnv = process.env,
  config: S3ClientConfig = {},
): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3;
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...config,
  });
}

/** `Content-Disposition` for a download under the uploader's file name (RFC 6266, RFC 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export interface DocumentFilesOptions {
  readonly client: S3Client;
  readonly bucket: string;
}

/**
 * The files of documents in the bucket. Presigned URLs carry the function's own permission: the
 * client talks to S3 directly, so no file passes through Lambda or API Gateway (whose payload
 * limits are far below 20 MiB).
 */
export class DocumentFiles {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: DocumentFilesOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  /**
   * A PUT URL for exactly this file: its content type and length are signed, so S3 refuses any
   * other type, and a body of any other size, with 403 SignatureDoesNotMatch.
   */
  async presignUpload(
    target: { objectKey: string; contentType: string; sizeBytes: number },
    signedAt: Date,
  ): Promise<UploadInstructions> {
    const signingDate = wholeSecond(signedAt);
    const url = await getSignedUrl(
      this.#client,
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: target.objectKey,
        ContentType: target.contentType,
        ContentLength: target.sizeBytes,
      }),
      {
        expiresIn: uploadUrlSeconds,
        signingDate,
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
    return {
      method: 'PUT',
      url,
      headers: { 'content-type': target.contentType },
      expiresAt: new Date(signingDate.getTime() + uploadUrlSeconds * 1000).toISOString(),
    };
  }

  /** A GET URL that serves the file under its uploader's name and declared type. */
  async presignDownload(
    target: { objectKey: string; fileName: string; contentType: string },
    signedAt: Date,
  ): Promise<DownloadLink> {
    const signingDate = wholeSecond(signedAt);
    const url = await getSignedUrl(
      this.#client,
      new GetObjectCommand({
        Bucket: this.#bucket,
        Key: target.objectKey,
        ResponseContentType: target.contentType,
        ResponseContentDisposition: contentDisposition(target.fileName),
      }),
      { expiresIn: downloadUrlSeconds, signingDate },
    );
    return {
      url,
      expiresAt: new Date(signingDate.getTime() + downloadUrlSeconds * 1000).toISOString(),
    };
  }

  /**
   * Whether the file was uploaded. S3 answers 404 for a missing key only to callers allowed to
   * list the bucket (others get 403, which is thrown): the `read` grant includes s3:ListBucket.
   */
  async objectExists(objectKey: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: objectKey }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure?.name === 'NotFound' ||
    failure?.name === 'NoSuchKey' ||
    failure?.$metadata?.httpStatusCode === 404
  );
}

/** SigV4 dates have whole seconds; so does `expiresAt`, so that it is exactly when S3 stops. */
function wholeSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
