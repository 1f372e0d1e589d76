import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const ID_BYTES = 16;
const MAC_BYTES = 32;
const TOKEN_BYTES = 1 + ID_BYTES * 2 + MAC_BYTES;

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest().subarray(0, ID_BYTES);
}

/** Stable id of an execution, used in task tokens and as its file name. */
export function executionId(executionArn: string): string {
  return digest(executionArn).toString('hex');
}

export function journalKeyDigest(journalKey: string): string {
  return digest(journalKey).toString('hex');
}

function mac(secret: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/**
 * The token of a waiting task: the same for the same execution and journal key, so that a
 * replay after a restart hands out the token issued before it, and unforgeable without the
 * per-dataDir secret. Layout (base64url): version, execution id, key digest, HMAC-SHA256.
 */
export function deriveTaskToken(secret: Buffer, executionArn: string, journalKey: string): string {
  const body = Buffer.concat([Buffer.from([VERSION]), digest(executionArn), digest(journalKey)]);
  return Buffer.concat([body, mac(secret, body)]).toString('base64url');
}

export interface ParsedTaskToken {
  readonly executionId: string;
  readonly keyDigest: string;
}

/** The ids a token carries, or undefined when it is malformed or was not issued with `secret`. */
export function parseTaskToken(secret: Buffer, token: string): ParsedTaskToken | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Decoding ignores trailing bits: only the canonical spelling of a token is that token.
  if (bytes.length !== TOKEN_BYTES || bytes[0] !== VERSION) return undefined;
  if (bytes.toString('base64url') !== token) return undefined;
  const body = bytes.subarray(0, 1 + ID_BYTES * 2);
  if (!timingSafeEqual(bytes.subarray(body.length), mac(secret, body))) return undefined;
  return {
    executionId: bytes.subarray(1, 1 + ID_BYTES).toString('hex'),
    keyDigest: bytes.subarray(1 + ID_BYTES, 1 + ID_BYTES * 2).toString('hex'),
  };
}
