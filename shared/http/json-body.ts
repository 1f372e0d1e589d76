import type { MiddlewareObj } from '@middy/core';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '../errors/http-errors.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

export const defaultMaxBodyBytes = 256 * 1024;

/**
 * Reads a JSON request body: the size limit first (413), then the media type (415), then the
 * syntax (400). The parsed value lands in `context.jsonBody`; the event keeps the raw text so the
 * idempotency layer can fingerprint exactly what was sent.
 */
export function jsonBody(
  maxBytes = defaultMaxBodyBytes,
): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      const { event } = request;
      const raw = event.body ?? '';
      const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (bytes.byteLength > maxBytes) throw new PayloadTooLargeError(maxBytes);
      const contentType = (event.headers?.['content-type'] ?? '').trim();
      // A missing type is read as JSON (the API speaks nothing else); a declared other type is refused.
      if (contentType !== '' && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
        throw new UnsupportedMediaTypeError();
      }
      const text = bytes.toString('utf8');
      try {
        request.context.jsonBody = JSON.parse(text);
      } catch (cause) {
        throw new MalformedJsonError({ cause });
      }
      // API Gateway base64-encodes a body sent without a text content type; downstream (the
      // idempotency fingerprint) reads the body as the JSON text it is.
      event.body = text;
      event.isBase64Encoded = false;
    },
  };
}
