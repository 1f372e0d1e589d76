import type { Role } from '../../shared/auth/roles.ts';

export interface TokenInput {
  sub: string;
  roles: Role[];
  district?: string;
  providerId?: string;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A thin HTTP client for the running local API, speaking JSON as a real client would. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async token(input: TokenInput): Promise<string> {
    const response = await this.request<{ token: string }>('POST', '/dev/token', { body: input });
    if (response.status !== 200) throw new Error(`token request failed: ${response.status}`);
    return response.body.token;
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    // Bytes, not a string: fetch would label a string body text/plain on its own.
    let body: string | Uint8Array | undefined =
      options.rawBody === undefined ? undefined : new TextEncoder().encode(options.rawBody);
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}

export interface ErrorShape {
  error: {
    code: string;
    message: string;
    requestId?: string;
    details?: { path: string; message: string }[];
  };
}
