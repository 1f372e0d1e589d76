import { S3Error } from './s3-errors.ts';

/**
 * Decodes an `aws-chunked` body, the framing the SDK uses for a streamed PutObject: chunks of
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`, a final `0` chunk, then trailer lines
 * (`x-amz-checksum-crc32:…`) and a blank line. Trailers are copied into `trailers`. Chunk
 * signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) are skipped, not verified.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Buffer>,
  trailers: Record<string, string>,
): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  let remaining = 0;
  let state = 'size' as 'size' | 'data' | 'data-end' | 'trailer' | 'done';
  const malformed = () => new S3Error('IncompleteBody', 'The aws-chunked body is malformed');

  for await (const chunk of source) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (state === 'data') {
        if (pending.length === 0) break;
        const take = Math.min(remaining, pending.length);
        yield pending.subarray(0, take);
        pending = pending.subarray(take);
        remaining -= take;
        if (remaining === 0) state = 'data-end';
        continue;
      }
      if (state === 'done') {
        if (pending.length > 0) throw malformed();
        break;
      }
      const lineEnd = pending.indexOf('\r\n');
      if (lineEnd < 0) {
        if (pending.length > 64 * 1024) throw malformed();
        break;
      }
      const line = pending.subarray(0, lineEnd).toString('latin1');
      pending = pending.subarray(lineEnd + 2);
      if (state === 'data-end') {
        if (line !== '') throw malformed();
        state = 'size';
      } else if (state === 'size') {
        const size = Number.parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw malformed();
        remaining = size;
        state = size === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        state = 'done';
      } else {
        const colon = line.indexOf(':');
        if (colon < 0) throw malformed();
        trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    }
  }
  if (state !== 'done' && !(state === 'trailer' && pending.length === 0)) throw malformed();
}
