import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Language } from './localized.ts';
import type { ShanyuError } from './shanyu-error.ts';

export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId?: string;
    readonly details?: readonly {
      readonly path: string;
      readonly code?: string;
      readonly message: string;
    }[];
  };
}

/** Renders an error in the API's one error shape, in the caller's language. */
export function errorResponse(
  error: ShanyuError,
  language: Language,
  requestId?: string,
): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.text[language],
      ...(requestId ? { requestId } : {}),
      ...(error.details.length > 0
        ? {
            details: error.details.map((d) => ({
              path: d.path,
              ...(d.code ? { code: d.code } : {}),
              message: d.message[language],
            })),
          }
        : {}),
    },
  };
  return {
    statusCode: error.statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-language': language,
      ...error.headers,
    },
    body: JSON.stringify(body),
  };
}
