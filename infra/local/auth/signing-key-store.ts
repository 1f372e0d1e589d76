import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose';
import * as z from 'zod';

export const SIGNING_ALGORITHM = 'ES256';

/** Name of the persisted private key, under `${dataDir}/auth/`. */
export const SIGNING_KEY_FILE = 'signing-key.jwk.json';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/** A stored key that cannot be used: refusing beats silently replacing it, which would void every token. */
export class SigningKeyFileError extends Error {
  public constructor(path: string, options?: ErrorOptions) {
    super(`Unusable signing key in ${path}; delete the file to generate a new key`, options);
    this.name = 'SigningKeyFileError';
  }
}

const storedKeySchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
  kid: z.string().min(1),
  alg: z.literal(SIGNING_ALGORITHM),
});

type StoredKey = z.infer<typeof storedKeySchema>;

/**
 * Loads the issuer's ES256 key from `directory`, generating and persisting one on first use so that
 * tokens survive a restart of the local stack.
 */
export async function loadOrCreateSigningKey(directory: string): Promise<SigningKey> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = join(directory, SIGNING_KEY_FILE);
  const stored = (await readStoredKey(path)) ?? (await createStoredKey(path));
  return toSigningKey(stored, path);
}

async function readStoredKey(path: string): Promise<StoredKey | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return undefined;
    throw error;
  }
  try {
    return storedKeySchema.parse(JSON.parse(text));
  } catch (error) {
    throw new SigningKeyFileError(path, { cause: error });
  }
}

async function createStoredKey(path: string): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  const stored = storedKeySchema.parse({ ...jwk, kid, alg: SIGNING_ALGORITHM });

  // Written aside and hard-linked into place: `link` fails if the file exists, so two processes
  // starting on the same data directory agree on one key, and no reader sees a half-written file.
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return stored;
  } catch (error) {
    if (!isErrorCode(error, 'EEXIST')) throw error;
    const winner = await readStoredKey(path);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function toSigningKey(stored: StoredKey, path: string): Promise<SigningKey> {
  try {
    const { d: _private, ...publicJwk } = stored;
    const privateKey = await importJWK(stored, SIGNING_ALGORITHM);
    const publicKey = await importJWK(publicJwk, SIGNING_ALGORITHM);
    if (!isCryptoKey(privateKey) || !isCryptoKey(publicKey)) throw new TypeError('not an EC key');
    return { kid: stored.kid, privateKey, publicKey };
  } catch (error) {
    throw new SigningKeyFileError(path, { cause: error });
  }
}

function isCryptoKey(key: CryptoKey | Uint8Array): key is CryptoKey {
  return !(key instanceof Uint8Array);
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
