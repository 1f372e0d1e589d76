import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, join } from 'node:path';
import type { CorsRule } from './cors.ts';
import { createS3Server, type LocalBucket } from './http-server.ts';
import { ObjectStore } from './object-store.ts';
import type { SigningCredentials } from './sigv4.ts';

export type { CorsRule } from './cors.ts';
export type { LocalBucket } from './http-server.ts';

export interface LocalS3Options {
  /** The buckets there are; a request for any other is NoSuchBucket. */
  readonly buckets: readonly LocalBucket[];
  /** Absolute; objects are kept under `${dataDir}/s3/<bucket>/`. */
  readonly dataDir: string;
  /** The one key pair whose signatures are accepted. */
  readonly credentials: SigningCredentials;
  /** The clock presigned URLs expire by (default: the system clock). */
  readonly now?: () => number;
  readonly log?: (line: string) => void;
}

export interface LocalS3 {
  /** Port 0 picks a free port. Resolves to the endpoint (`AWS_ENDPOINT_URL_S3`). */
  listen(port: number, host?: string): Promise<{ url: string }>;
  close(): Promise<void>;
}

/** A bucket's CORS rules as a CloudFormation template declares them (`CorsConfiguration`). */
export function corsRulesFromTemplate(configuration: unknown): CorsRule[] {
  const rules = (configuration as { CorsRules?: unknown[] } | undefined)?.CorsRules ?? [];
  return rules.map((rule) => {
    const r = rule as Record<string, unknown>;
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);
    return {
      allowedOrigins: list(r.AllowedOrigins) ?? [],
      allowedMethods: list(r.AllowedMethods) ?? [],
      ...(list(r.AllowedHeaders) ? { allowedHeaders: list(r.AllowedHeaders) } : {}),
      ...(list(r.ExposedHeaders) ? { exposedHeaders: list(r.ExposedHeaders) } : {}),
      ...(r.MaxAge !== undefined ? { maxAge: Number(r.MaxAge) } : {}),
    } as CorsRule;
  });
}

/**
 * A small S3-compatible store for the local cloud: the functions' S3 client and the presigned
 * URLs they hand out reach it through `AWS_ENDPOINT_URL_S3`, path style. See README.md.
 */
export async function createLocalS3(options: LocalS3Options): Promise<LocalS3> {
  if (!isAbsolute(options.dataDir)) throw new Error(`dataDir must be absolute: ${options.dataDir}`);
  const now = options.now ?? Date.now;
  const store = new ObjectStore(join(options.dataDir, 's3'), now);
  for (const bucket of options.buckets) await store.createBucket(bucket.name);
  let server: Server | undefined;

  return {
    listen(port, host = '127.0.0.1') {
      if (server) return Promise.reject(new Error('The local S3 store is already listening'));
      const created = createS3Server({
        buckets: new Map(options.buckets.map((bucket) => [bucket.name, bucket])),
        store,
        credentials: options.credentials,
        now,
        log: options.log ?? (() => {}),
      });
      server = created;
      return new Promise((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => {
          created.off('error', reject);
          const address = created.address() as AddressInfo;
          const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          resolve({ url: `http://${shown}:${address.port}` });
        });
      });
    },
    async close() {
      const closing = server;
      server = undefined;
      if (!closing) return;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      // SDK clients keep connections alive; without this, close waits for them to idle out.
      closing.closeAllConnections();
      await closed;
    },
  };
}
