import type { IncomingMessage } from 'node:http';

/** API Gateway's payload limit; the application enforces its own, smaller one. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

export type BodyReadResult = { readonly ok: true; readonly body: Buffer } | { readonly ok: false };

/**
 * Buffers the request body, giving up as soon as it is known to exceed `limit` (from
 * `Content-Length` before reading anything, otherwise once the running total passes it) so an
 * oversized upload is never held in memory. On failure the stream is left paused.
 */
export function readRequestBody(
  request: IncomingMessage,
  limit = MAX_REQUEST_BODY_BYTES,
): Promise<BodyReadResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false });

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanUp();
        request.pause();
        resolve({ ok: false });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanUp();
      resolve({ ok: true, body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}
