export { type DevTokenIssue, type DevTokenRequest, devTokenRoute } from './dev-token-route.ts';
export { flattenClaims } from './jwt-claims.ts';
export { createLocalGateway } from './local-gateway.ts';
export { formatRequestTime, isTextContentType } from './proxy-event.ts';
export { MalformedProxyResultError, mapProxyResult } from './proxy-result.ts';
export { MAX_REQUEST_BODY_BYTES } from './request-body.ts';
export {
  createRouteTable,
  InvalidRouteError,
  type RouteMatch,
  type RouteTable,
} from './route-table.ts';
export type {
  GatewayRoute,
  LocalGateway,
  LocalGatewayOptions,
  LocalRequest,
  LocalResponse,
  LocalRouteHandler,
  RouteAuthorization,
  UnauthorizedResponse,
} from './types.ts';
