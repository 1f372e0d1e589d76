/** What the gateway writes back to the client, whatever produced it. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Each becomes its own `Set-Cookie` header. */
  readonly cookies: readonly string[];
  readonly body: Buffer | undefined;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** A JSON response in the shape API Gateway uses for its own errors. */
export function jsonResponse(statusCode: number, value: unknown): GatewayResponse {
  return {
    statusCode,
    headers: JSON_HEADERS,
    cookies: [],
    body: Buffer.from(JSON.stringify(value ?? null)),
  };
}

export const notFoundResponse = (): GatewayResponse => jsonResponse(404, { message: 'Not Found' });
export const payloadTooLargeResponse = (): GatewayResponse =>
  jsonResponse(413, { message: 'Request Entity Too Large' });
export const internalErrorResponse = (): GatewayResponse =>
  jsonResponse(500, { message: 'Internal Server Error' });
