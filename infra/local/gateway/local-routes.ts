import type { GatewayResponse } from './gateway-response.ts';
import { InvalidRouteError } from './route-table.ts';
import type { LocalRequest, LocalResponse, LocalRouteHandler } from './types.ts';

export interface LocalRouteMatch {
  readonly key: string;
  readonly handler: LocalRouteHandler;
}

export interface LocalRouteTable {
  match(method: string, rawPath: string): LocalRouteMatch | undefined;
}

/** Local-only endpoints keyed `METHOD /exact/path` (`ANY` allowed); no parameters, by design. */
export function createLocalRouteTable(
  routes: Readonly<Record<string, LocalRouteHandler>>,
): LocalRouteTable {
  const byKey = new Map<string, LocalRouteMatch>();
  for (const [key, handler] of Object.entries(routes)) {
    const [method = '', path = '', ...extra] = key.trim().split(/\s+/);
    if (method.length === 0 || !path.startsWith('/') || extra.length > 0) {
      throw new InvalidRouteError(key, 'local route keys look like "POST /dev/token"');
    }
    byKey.set(`${method.toUpperCase()} ${path}`, { key, handler });
  }
  return {
    match(method, rawPath) {
      return byKey.get(`${method.toUpperCase()} ${rawPath}`) ?? byKey.get(`ANY ${rawPath}`);
    },
  };
}

/** Runs a local handler and renders its result; `body` is JSON-serialised when present. */
export async function runLocalRoute(
  handler: LocalRouteHandler,
  request: LocalRequest,
): Promise<GatewayResponse> {
  const response: LocalResponse = await handler(request);
  const headers = { ...(response.headers ?? {}) };
  if (response.body === undefined) {
    return { statusCode: response.statusCode, headers, cookies: [], body: undefined };
  }
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return {
    statusCode: response.statusCode,
    headers: hasContentType ? headers : { ...headers, 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(response.body)),
  };
}
