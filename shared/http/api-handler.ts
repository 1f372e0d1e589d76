import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type * as z from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { Role } from '../auth/roles.ts';
import { validate } from '../errors/validate.ts';
import { logger } from '../logging/logger.ts';
import { metrics } from '../observability/index.ts';
import { authenticate } from './authenticate.ts';
import { httpErrorHandler } from './error-handler.ts';
import { idempotent, requireIdempotencyKey } from './idempotency.ts';
import { jsonBody } from './json-body.ts';
import { language } from './language.ts';
import { boundedPathParameters } from './path-parameters.ts';
import type { ApiContext, ApiEvent, ApiResult } from './types.ts';

export interface ApiRequest<Body, Query = undefined> {
  readonly event: ApiEvent;
  readonly context: ApiContext;
  readonly principal: Principal;
  readonly body: Body;
  readonly query: Query;
  readonly pathParameters: Readonly<Record<string, string | undefined>>;
}

export interface ApiRouteOptions<
  Schema extends z.ZodType | undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
> {
  /** The route's id from functions/http/routes.ts; names the idempotency partition too. */
  readonly name: string;
  /** Who may call at all; finer checks (ownership, district) belong to the handler. */
  readonly roles: readonly Role[];
  /** The JSON body's schema; routes without one take no body. */
  readonly body?: Schema;
  /** A creating POST: requires an Idempotency-Key and replays the first response. */
  readonly idempotent?: boolean;
  /** The query string's schema (values arrive as strings; coerce in the schema). */
  readonly query?: QuerySchema;
}

type BodyOf<Schema> = Schema extends z.ZodType ? z.output<Schema> : undefined;

function validatedBody(schema: z.ZodType): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      request.context.jsonBody = validate(schema, request.context.jsonBody);
    },
  };
}

function validatedQuery(schema: z.ZodType): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      request.context.query = validate(schema, request.event.queryStringParameters ?? {}, 'query');
    },
  };
}

function correlation(): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    before: (request) => {
      logger.appendKeys({
        requestId: request.event.requestContext?.requestId,
        route: request.event.routeKey,
      });
    },
  };
}

/** What a public route declares: no roles, and no idempotency (its key is the caller's `sub`). */
export type PublicRouteOptions<
  Schema extends z.ZodType | undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
> = Omit<ApiRouteOptions<Schema, QuerySchema>, 'roles' | 'idempotent'>;

/** A public route's request: nobody has logged in, so there is no principal. */
export type PublicApiRequest<Body, Query = undefined> = Omit<
  ApiRequest<Body, Query>,
  'principal'
> & { readonly principal: undefined };

/** The chain both doors share; `roles` undefined leaves authentication out (public routes). */
function frontDoor(
  options: Omit<ApiRouteOptions<z.ZodType | undefined, z.ZodType | undefined>, 'roles'>,
  roles: readonly Role[] | undefined,
) {
  const chain = middy<ApiEvent, ApiResult, Error, ApiContext>()
    .use(language())
    .use(httpErrorHandler())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation())
    .use(logMetrics(metrics));
  if (roles) chain.use(authenticate(roles));
  if (options.query) chain.use(validatedQuery(options.query));
  if (options.body) chain.use(jsonBody()).use(validatedBody(options.body));
  chain.use(boundedPathParameters());
  if (options.idempotent)
    chain.use(requireIdempotencyKey()).use(idempotent({ name: options.name }));
  return chain;
}

/**
 * The API's front door as one middy chain, in this order: language → error shape → logging,
 * metrics, tracing → authentication and role check (401/403) → body limits, syntax and schema
 * (413/415/400) → path parameters no id can be (404) → Idempotency-Key (400) → idempotent replay
 * (Powertools) → the route's logic.
 * Everything that can refuse a request runs before anything is written.
 */
export function apiHandler<
  Schema extends z.ZodType | undefined = undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
>(
  options: ApiRouteOptions<Schema, QuerySchema>,
  logic: (request: ApiRequest<BodyOf<Schema>, BodyOf<QuerySchema>>) => Promise<ApiResult>,
) {
  return frontDoor(options, options.roles).handler(async (event, context) => {
    const { principal } = context;
    // authenticate() always sets it; the check keeps the type honest.
    if (!principal) throw new Error('principal missing after authentication');
    return logic({
      event,
      context,
      principal,
      body: context.jsonBody as BodyOf<Schema>,
      query: context.query as BodyOf<QuerySchema>,
      pathParameters: event.pathParameters ?? {},
    });
  });
}

/**
 * The front door of a public route (routes.ts `public: true`: no authorizer, no login): the same
 * chain without authentication. Claims a caller's token might carry are never read here, since
 * API Gateway does not verify tokens on a route without an authorizer.
 */
export function publicApiHandler<
  Schema extends z.ZodType | undefined = undefined,
  QuerySchema extends z.ZodType | undefined = undefined,
>(
  options: PublicRouteOptions<Schema, QuerySchema>,
  logic: (request: PublicApiRequest<BodyOf<Schema>, BodyOf<QuerySchema>>) => Promise<ApiResult>,
) {
  return frontDoor(options, undefined).handler(async (event, context) =>
    logic({
      event,
      context,
      principal: undefined,
      body: context.jsonBody as BodyOf<Schema>,
      query: context.query as BodyOf<QuerySchema>,
      pathParameters: event.pathParameters ?? {},
    }),
  );
}
