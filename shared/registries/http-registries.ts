import type * as z from 'zod';
import { logger } from '../logging/logger.ts';
import type { Registries, RegistryFailureReason, RegistryName } from './registries.ts';
import { RegistryUnavailableError } from './registries.ts';
import { normaliseCode } from './registry-keys.ts';
import {
  type Enterprise,
  enterpriseSchema,
  type HardshipRecord,
  hardshipRecordSchema,
  type Resident,
  residentSchema,
} from './registry-records.ts';

export const DEFAULT_REGISTRY_TIMEOUT_MS = 3_000;
const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_BASE_MS = 200;
const DEFAULT_MAX_BACKOFF_MS = 2_000;

/** Where retries are reported; the shared logger by default. */
export interface RetryLog {
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface HttpRegistriesOptions {
  /** The data platform's base URL, e.g. `https://data.example.gov.cn/api`. */
  readonly baseUrl: string;
  /** Sent as the `x-api-key` header. */
  readonly apiKey: string;
  /** Per attempt, covering the whole response; default 3000. */
  readonly timeoutMs?: number;
  /** Requests in all, first included; default 3. */
  readonly attempts?: number;
  /** The backoff before retry n is drawn from [0, base·2ⁿ⁻¹], capped at maxBackoffMs. */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  readonly fetch?: typeof globalThis.fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Uniform in [0, 1); Math.random by default. */
  readonly random?: () => number;
  readonly log?: RetryLog;
}

/** A failed attempt: retried while attempts remain, otherwise reported. */
class RetryableFailure {
  constructor(
    readonly reason: RegistryFailureReason,
    readonly status?: number,
    readonly cause?: unknown,
    readonly retryAfterMs?: number,
  ) {}
}

/** A response that has the resident the request asked about, not someone else's record. */
function residentFor(idNumber: string) {
  return residentSchema.refine((resident) => normaliseCode(resident.idNumber) === idNumber);
}

function enterpriseFor(uscc: string) {
  return enterpriseSchema.refine((enterprise) => normaliseCode(enterprise.uscc) === uscc);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** `Retry-After` in seconds (the HTTP-date form is not worth parsing for sub-second budgets). */
function retryAfterMs(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/** Rejects when `signal` aborts, so a fetch (or body) that ignores its signal still times out. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The registries as the provincial data platform serves them over HTTPS. Transient failures
 * (network, timeout, 429, 5xx) are retried with exponential backoff and full jitter; when the
 * attempts run out, or the answer is unusable, the call fails with
 * {@link RegistryUnavailableError}. 404 means "no such record".
 *
 * The ID number is part of the request path (the platform's contract), so neither URLs nor paths
 * are ever logged or put into error messages.
 */
export class HttpRegistries implements Registries {
  readonly #baseUrl: string;
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #backoffBaseMs: number;
  readonly #maxBackoffMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #log: RetryLog;

  constructor(options: HttpRegistriesOptions) {
    if (!/^https?:\/\//.test(options.baseUrl)) {
      throw new Error('The registry base URL must be an http(s) URL');
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
    this.#attempts = Math.max(1, options.attempts ?? DEFAULT_ATTEMPTS);
    this.#backoffBaseMs = options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.#maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#log = options.log ?? logger;
  }

  findResident(idNumber: string): Promise<Resident | undefined> {
    const id = normaliseCode(idNumber);
    return this.#get(
      'household',
      `/household/residents/${encodeURIComponent(id)}`,
      residentFor(id),
    );
  }

  findHardship(idNumber: string): Promise<HardshipRecord | undefined> {
    const id = normaliseCode(idNumber);
    return this.#get(
      'civil-affairs',
      `/civil-affairs/hardship/${encodeURIComponent(id)}`,
      hardshipRecordSchema,
    );
  }

  findEnterprise(uscc: string): Promise<Enterprise | undefined> {
    const code = normaliseCode(uscc);
    return this.#get(
      'market',
      `/market/enterprises/${encodeURIComponent(code)}`,
      enterpriseFor(code),
    );
  }

  async #get<S extends z.ZodType>(
    registry: RegistryName,
    path: string,
    schema: S,
  ): Promise<z.output<S> | undefined> {
    let failure: RetryableFailure | undefined;
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      if (failure !== undefined) {
        const delayMs = this.#backoff(attempt - 1, failure.retryAfterMs);
        this.#log.warn('Registry request failed; retrying', {
          registry,
          reason: failure.reason,
          status: failure.status,
          attempt: attempt - 1,
          delayMs,
        });
        await this.#sleep(delayMs);
      }
      const outcome = await this.#attempt(registry, path, schema, attempt);
      if (!(outcome instanceof RetryableFailure)) return outcome.value;
      failure = outcome;
    }
    // The loop ran at least once, and only a failure gets here.
    const last = failure as RetryableFailure;
    throw new RegistryUnavailableError({
      registry,
      reason: last.reason,
      attempts: this.#attempts,
      ...(last.status === undefined ? {} : { status: last.status }),
      cause: last.cause,
    });
  }

  /** One request: a value (undefined for 404), a failure worth retrying, or a thrown final error. */
  async #attempt<S extends z.ZodType>(
    registry: RegistryName,
    path: string,
    schema: S,
    attempt: number,
  ): Promise<{ value: z.output<S> | undefined } | RetryableFailure> {
    const signal = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    let body: unknown;
    try {
      response = await abortable(
        this.#fetch(`${this.#baseUrl}${path}`, {
          method: 'GET',
          headers: { accept: 'application/json', 'x-api-key': this.#apiKey },
          signal,
        }),
        signal,
      );
      if (response.status === 404) {
        await response.body?.cancel();
        return { value: undefined };
      }
      if (response.status === 429 || response.status >= 500) {
        await response.body?.cancel();
        const reason = response.status === 429 ? 'throttled' : 'server-error';
        return new RetryableFailure(reason, response.status, undefined, retryAfterMs(response));
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new RegistryUnavailableError({
          registry,
          reason: 'rejected',
          attempts: attempt,
          status: response.status,
        });
      }
      body = await abortable(response.json(), signal);
    } catch (error) {
      if (error instanceof RegistryUnavailableError) throw error;
      if (isTimeout(error)) return new RetryableFailure('timeout', undefined, error);
      if (error instanceof SyntaxError) {
        throw new RegistryUnavailableError({
          registry,
          reason: 'invalid-response',
          attempts: attempt,
          cause: error,
        });
      }
      return new RetryableFailure('unreachable', undefined, error);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      // Only the paths: the values may be personal data.
      const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(root)');
      throw new RegistryUnavailableError({
        registry,
        reason: 'invalid-response',
        attempts: attempt,
        cause: new Error(`Unexpected response shape at ${paths.join(', ')}`),
      });
    }
    return { value: parsed.data };
  }

  #backoff(retry: number, retryAfter: number | undefined): number {
    const ceiling = Math.min(this.#maxBackoffMs, this.#backoffBaseMs * 2 ** (retry - 1));
    const jittered = Math.floor(this.#random() * ceiling);
    return retryAfter === undefined
      ? jittered
      : Math.max(jittered, Math.min(retryAfter, this.#maxBackoffMs));
  }
}

/** HttpRegistries' settings from REGISTRY_BASE_URL, REGISTRY_API_KEY and REGISTRY_TIMEOUT_MS. */
export function httpRegistriesOptionsFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): HttpRegistriesOptions {
  const baseUrl = env.REGISTRY_BASE_URL;
  const apiKey = env.REGISTRY_API_KEY;
  if (!baseUrl) throw new Error('REGISTRY_BASE_URL is not set');
  if (!apiKey) throw new Error('REGISTRY_API_KEY is not set');
  const timeout = env.REGISTRY_TIMEOUT_MS;
  const timeoutMs = timeout ? Number(timeout) : DEFAULT_REGISTRY_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new Error('REGISTRY_TIMEOUT_MS must be a positive whole number of milliseconds');
  }
  return { baseUrl, apiKey, timeoutMs };
}
