import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { extractBearerToken } from './bearer-token.ts';
import {
  type GatewayResponse,
  internalErrorResponse,
  notFoundResponse,
  payloadTooLargeResponse,
} from './gateway-response.ts';
import { flattenClaims } from './jwt-claims.ts';
import { createLocalRouteTable, runLocalRoute } from './local-routes.ts';
import { buildProxyEvent, newRequestId } from './proxy-event.ts';
import { mapProxyResult } from './proxy-result.ts';
import { readRequestBody } from './request-body.ts';
import { flattenHeaders } from './request-headers.ts';
import { createRouteTable } from './route-table.ts';
import type { LocalGateway, LocalGatewayOptions, RouteAuthorization } from './types.ts';

interface LambdaTarget {
  readonly functionName: string;
  readonly authorization: RouteAuthorization;
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | undefined;
}

interface Outcome {
  readonly response: GatewayResponse;
  /** What served the request, for the log line. */
  readonly servedBy: string;
  /** Drop the connection after answering (the rest of an oversized body is never read). */
  readonly closeConnection?: boolean;
}

// A client that stops sending gets this long to read the 413 before the socket is dropped.
const OVERSIZED_LINGER_MS = 1000;

/**
 * A Node `http` server standing in for API Gateway HTTP API (payload format 2.0, JWT authorizer)
 * in front of the same Lambda handlers that run in AWS.
 */
export function createLocalGateway(options: LocalGatewayOptions): LocalGateway {
  const routeTable = createRouteTable(options.routes);
  const localRoutes = createLocalRouteTable(options.localRoutes ?? {});
  const log = options.log ?? (() => undefined);

  const resolveTarget = (method: string, rawPath: string): LambdaTarget | undefined => {
    const match = routeTable.match(method, rawPath);
    if (match !== undefined) {
      const { functionName, authorization } = match.route;
      return {
        functionName,
        authorization,
        routeKey: match.routeKey,
        pathParameters: match.pathParameters,
      };
    }
    if (options.defaultRoute === undefined) return undefined;
    return { ...options.defaultRoute, routeKey: '$default', pathParameters: undefined };
  };

  const serve = async (request: IncomingMessage, requestId: string): Promise<Outcome> => {
    const receivedAt = new Date();
    const method = (request.method ?? 'GET').toUpperCase();
    const { rawPath, rawQueryString } = splitRequestTarget(request.url ?? '/');

    const read = await readRequestBody(request);
    if (!read.ok)
      return { response: payloadTooLargeResponse(), servedBy: '-', closeConnection: true };
    const headers = flattenHeaders(request.headersDistinct);

    const local = localRoutes.match(method, rawPath);
    if (local !== undefined) {
      const localRequest = {
        method,
        path: rawPath,
        headers,
        body: read.body.toString('utf8'),
        query: new URLSearchParams(rawQueryString),
      };
      return { response: await runLocalRoute(local.handler, localRequest), servedBy: local.key };
    }

    const target = resolveTarget(method, rawPath);
    if (target === undefined) return { response: notFoundResponse(), servedBy: '-' };
    const servedBy = `${target.routeKey} -> ${target.functionName}`;

    let claims: Record<string, string> | undefined;
    if (target.authorization === 'JWT') {
      const token = extractBearerToken(headers.authorization);
      try {
        if (token === undefined) throw new Error('no bearer token');
        claims = flattenClaims(await options.issuer.verifyToken(token));
      } catch (error) {
        log(`${requestId} unauthorized: ${error instanceof Error ? error.message : String(error)}`);
        return { response: fromUnauthorized(options.unauthorized(headers)), servedBy };
      }
    }

    const event = buildProxyEvent({
      method,
      rawPath,
      rawQueryString,
      headers,
      body: read.body,
      sourceIp: normaliseAddress(request.socket.remoteAddress),
      localPort: request.socket.localPort ?? 0,
      requestId,
      routeKey: target.routeKey,
      pathParameters: target.pathParameters,
      claims,
      receivedAt,
    });
    try {
      return {
        response: mapProxyResult(await options.invokeLambda(target.functionName, event)),
        servedBy,
      };
    } catch (error) {
      log(`${requestId} ${target.functionName} failed: ${describeError(error)}`);
      return { response: internalErrorResponse(), servedBy };
    }
  };

  const server = createServer((request, response) => {
    const requestId = newRequestId();
    const started = performance.now();
    serve(request, requestId)
      .catch((error: unknown): Outcome => {
        log(`${requestId} gateway error: ${describeError(error)}`);
        return { response: internalErrorResponse(), servedBy: '-' };
      })
      .then((outcome) => {
        const status = writeResponse(response, outcome, requestId, log);
        const elapsed = Math.round(performance.now() - started);
        log(
          `${requestId} ${request.method} ${request.url} ${status} ${elapsed}ms ${outcome.servedBy}`,
        );
        if (outcome.closeConnection === true) lingerThenDestroy(request, response);
      });
  });

  return {
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          resolve({ url: `http://${urlHost(host)}:${address.port}`, port: address.port });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets would otherwise hold `close` open until they time out.
        server.closeAllConnections();
      });
    },
  };
}

/** Writes the outcome, falling back to a 500 if a function produced an unsendable header. */
function writeResponse(
  response: ServerResponse,
  outcome: Outcome,
  requestId: string,
  log: (line: string) => void,
): number {
  if (response.headersSent || response.destroyed) return response.statusCode;
  let gatewayResponse = outcome.response;
  try {
    validateResponseHeaders(gatewayResponse);
  } catch (error) {
    log(`${requestId} unsendable response: ${describeError(error)}`);
    gatewayResponse = internalErrorResponse();
  }
  response.statusCode = gatewayResponse.statusCode;
  for (const [name, value] of Object.entries(gatewayResponse.headers))
    response.setHeader(name, value);
  if (gatewayResponse.cookies.length > 0)
    response.setHeader('set-cookie', [...gatewayResponse.cookies]);
  response.setHeader('apigw-requestid', requestId);
  if (outcome.closeConnection === true) response.setHeader('connection', 'close');
  response.end(gatewayResponse.body);
  return gatewayResponse.statusCode;
}

function validateResponseHeaders(response: GatewayResponse): void {
  for (const [name, value] of Object.entries(response.headers)) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
  }
  for (const cookie of response.cookies) validateHeaderValue('set-cookie', cookie);
}

/**
 * Stops reading an oversized upload: the socket is half-closed once the 413 is out and destroyed
 * shortly after, rather than draining megabytes nobody will use.
 */
function lingerThenDestroy(request: IncomingMessage, response: ServerResponse): void {
  const socket = request.socket;
  const destroy = (): void => {
    setTimeout(() => socket.destroy(), OVERSIZED_LINGER_MS).unref();
  };
  if (response.writableFinished) destroy();
  else response.once('finish', destroy);
}

function fromUnauthorized(response: {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}): GatewayResponse {
  return {
    statusCode: response.statusCode,
    headers: response.headers ?? {},
    cookies: [],
    body: Buffer.from(response.body),
  };
}

/** Origin-form targets are split as sent; absolute-form ones (from proxies) are reduced to it. */
function splitRequestTarget(target: string): { rawPath: string; rawQueryString: string } {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    try {
      const url = new URL(target);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      pathAndQuery = '/';
    }
  }
  const queryStart = pathAndQuery.indexOf('?');
  if (queryStart === -1) return { rawPath: pathAndQuery, rawQueryString: '' };
  return {
    rawPath: pathAndQuery.slice(0, queryStart),
    rawQueryString: pathAndQuery.slice(queryStart + 1),
  };
}

function normaliseAddress(address: string | undefined): string {
  if (address === undefined) return '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
