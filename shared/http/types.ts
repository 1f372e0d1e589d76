import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { Principal } from '../auth/principal.ts';
import type { Language } from '../errors/localized.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

/** The Lambda context plus what the front door learned about the request. */
export interface ApiContext extends Context {
  language: Language;
  principal?: Principal;
  /** The parsed JSON body, when the route takes one (the event keeps the raw text). */
  jsonBody?: unknown;
  /** The validated query string, when the route declares one. */
  query?: unknown;
}
