import { roles } from '../../shared/auth/roles.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';

/** GET /v1/me — who the API takes the caller to be: what a console shows and decides menus by. */
export const handler = apiHandler({ name: 'GetMe', roles }, async ({ principal }) =>
  jsonResponse(200, principal),
);
