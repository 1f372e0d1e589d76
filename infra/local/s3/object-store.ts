import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';

/** What is kept about an object besides its bytes. */
export interface ObjectMetadata {
  readonly key: string;
  readonly contentType: string;
  readonly size: number;
  /** Hex MD5 of the body, as S3's ETag for a single-part upload (unquoted here). */
  readonly md5: string;
  readonly lastModified: string;
  /** `x-amz-meta-*` headers, names lower-cased without the prefix. */
  readonly userMetadata: Readonly<Record<string, string>>;
  /** The body's file in the bucket's directory. */
  readonly bodyFile: string;
}

/** The digests of a body, computed while it is written, for the checks S3 makes against headers. */
export interface BodyDigests {
  readonly size: number;
  readonly md5: Buffer;
  readonly sha256: Buffer;
  readonly sha1: Buffer;
  readonly crc32: number;
}

export interface StoredBody {
  readonly metadata: ObjectMetadata;
  readonly body: ReadStream;
}

const isMissing = (error: unknown) => (error as { code?: string }).code === 'ENOENT';

/**
 * Objects on disk: `<root>/<bucket>/<sha256 of key>.json` holds the metadata and names the body's
 * file. A write lands the body in a new file, then replaces the metadata by rename: readers see
 * the old object or the new one, never half of one. Writes to one key are queued.
 */
export class ObjectStore {
  readonly #root: string;
  readonly #now: () => number;
  readonly #writes = new Map<string, Promise<unknown>>();

  constructor(root: string, now: () => number = Date.now) {
    this.#root = root;
    this.#now = now;
  }

  async createBucket(bucket: string): Promise<void> {
    await mkdir(join(this.#root, bucket), { recursive: true });
  }

  #metadataFile(bucket: string, key: string): string {
    const name = createHash('sha256').update(key, 'utf8').digest('hex');
    return join(this.#root, bucket, `${name}.json`);
  }

  async head(bucket: string, key: string): Promise<ObjectMetadata | undefined> {
    try {
      return JSON.parse(await readFile(this.#metadataFile(bucket, key), 'utf8')) as ObjectMetadata;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** The object and a stream of its body; undefined if there is none. */
  async get(bucket: string, key: string): Promise<StoredBody | undefined> {
    // A write may replace the body between reading the metadata and opening the file.
    for (let attempt = 0; attempt < 3; attempt++) {
      const metadata = await this.head(bucket, key);
      if (!metadata) return undefined;
      const body = createReadStream(join(this.#root, bucket, metadata.bodyFile));
      const opened = await new Promise<boolean>((resolve, reject) => {
        body.once('open', () => resolve(true));
        body.once('error', (error) => (isMissing(error) ? resolve(false) : reject(error)));
      });
      if (opened) return { metadata, body };
    }
    throw new Error(`The body of ${bucket}/${key} kept changing while being read`);
  }

  /**
   * Stores `body` as the object. `accept` sees the body's digests before the object becomes
   * visible and may throw to refuse it (a digest that does not match a header).
   */
  put(
    bucket: string,
    key: string,
    body: Readable,
    details: Pick<ObjectMetadata, 'contentType' | 'userMetadata'>,
    accept: (digests: BodyDigests) => void,
  ): Promise<ObjectMetadata> {
    return this.#queued(bucket, key, () => this.#write(bucket, key, body, details, accept));
  }

  /** Deletes the object; deleting what is not there succeeds, as in S3. */
  delete(bucket: string, key: string): Promise<void> {
    return this.#queued(bucket, key, async () => {
      const metadata = await this.head(bucket, key);
      await rm(this.#metadataFile(bucket, key), { force: true });
      if (metadata) await rm(join(this.#root, bucket, metadata.bodyFile), { force: true });
    });
  }

  /** Runs `change` after every earlier change to the same key has settled. */
  #queued<T>(bucket: string, key: string, change: () => Promise<T>): Promise<T> {
    const file = this.#metadataFile(bucket, key);
    const run = (this.#writes.get(file) ?? Promise.resolve()).catch(() => undefined).then(change);
    this.#writes.set(file, run);
    const forget = () => {
      if (this.#writes.get(file) === run) this.#writes.delete(file);
    };
    run.then(forget, forget);
    return run;
  }

  async #write(
    bucket: string,
    key: string,
    body: Readable,
    details: Pick<ObjectMetadata, 'contentType' | 'userMetadata'>,
    accept: (digests: BodyDigests) => void,
  ): Promise<ObjectMetadata> {
    const directory = join(this.#root, bucket);
    const bodyFile = `${randomUUID()}.body`;
    const bodyPath = join(directory, bodyFile);
    const md5 = createHash('md5');
    const sha256 = createHash('sha256');
    const sha1 = createHash('sha1');
    let crc = 0;
    let size = 0;
    try {
      await pipeline(
        body,
        async function* digest(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            md5.update(chunk);
            sha256.update(chunk);
            sha1.update(chunk);
            crc = crc32(chunk, crc);
            size += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(bodyPath),
      );
      const digests: BodyDigests = {
        size,
        md5: md5.digest(),
        sha256: sha256.digest(),
        sha1: sha1.digest(),
        crc32: crc,
      };
      accept(digests);
      const metadata: ObjectMetadata = {
        key,
        ...details,
        size,
        md5: digests.md5.toString('hex'),
        lastModified: new Date(this.#now()).toISOString(),
        bodyFile,
      };
      const previous = await this.head(bucket, key);
      const file = this.#metadataFile(bucket, key);
      const temp = `${file}.${randomUUID()}.tmp`;
      await writeFile(temp, JSON.stringify(metadata));
      await rename(temp, file);
      if (previous) await rm(join(directory, previous.bodyFile), { force: true });
      return metadata;
    } catch (error) {
      // Refused or cut short: nothing becomes visible.
      await rm(bodyPath, { force: true });
      throw error;
    }
  }
}
