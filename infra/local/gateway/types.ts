import type { LocalIssuer } from '../auth/index.ts';

export type RouteAuthorization = 'JWT' | 'NONE';

export interface GatewayRoute {
  /** GET, POST, … or ANY. */
  method: string;
  /** API Gateway path: literal segments, `{name}` parameters and a final greedy `{name+}`. */
  path: string;
  functionName: string;
  authorization: RouteAuthorization;
}

export interface LocalRequest {
  method: string;
  path: string;
  /** Lower-cased names, repeated headers joined with ','. */
  headers: Record<string, string>;
  body: string;
  query: URLSearchParams;
}

export interface LocalResponse {
  statusCode: number;
  headers?: Record<string, string>;
  /** JSON-serialised; no body when undefined. */
  body?: unknown;
}

export type LocalRouteHandler = (req: LocalRequest) => Promise<LocalResponse>;

export interface UnauthorizedResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export interface LocalGatewayOptions {
  routes: GatewayRoute[];
  /** The `$default` route, serving whatever no route matched. */
  defaultRoute?: { functionName: string; authorization: RouteAuthorization };
  invokeLambda: (
    functionName: string,
    event: unknown /* APIGatewayProxyEventV2 */,
  ) => Promise<unknown>;
  issuer: Pick<LocalIssuer, 'verifyToken'>;
  /** Local-only endpoints served by the gateway itself, never by Lambda: keys like 'POST /dev/token', 'GET /health'. */
  localRoutes?: Record<string, LocalRouteHandler>;
  /** Builds the 401 response for a missing/invalid token (the lead renders it in the API's error shape). */
  unauthorized: (headers: Record<string, string>) => UnauthorizedResponse;
  log?: (line: string) => void;
}

export interface LocalGateway {
  listen(port: number, host?: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}
