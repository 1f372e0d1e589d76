import type { Enterprise, HardshipRecord, Resident } from './registry-records.ts';

/** The other departments' registries that eligibility depends on. */
export interface Registries {
  /** Household registry (户籍); undefined if it has no such person. */
  findResident(idNumber: string): Promise<Resident | undefined>;
  /** Civil-affairs registry; undefined if the person has no hardship status on file. */
  findHardship(idNumber: string): Promise<HardshipRecord | undefined>;
  /** Market supervision; undefined if no business has that code. */
  findEnterprise(uscc: string): Promise<Enterprise | undefined>;
}

export type RegistryName = 'household' | 'civil-affairs' | 'market';

/**
 * - `unreachable`: no connection, or the connection broke;
 * - `timeout`: no complete answer in time;
 * - `throttled` / `server-error`: 429 / 5xx;
 * - `rejected`: another 4xx (e.g. a bad API key), which retrying will not fix;
 * - `invalid-response`: an answer that does not match the contract.
 */
export type RegistryFailureReason =
  | 'unreachable'
  | 'timeout'
  | 'throttled'
  | 'server-error'
  | 'rejected'
  | 'invalid-response';

export interface RegistryUnavailableErrorOptions {
  readonly registry: RegistryName;
  readonly reason: RegistryFailureReason;
  /** How many requests were made before giving up. */
  readonly attempts: number;
  readonly status?: number;
  readonly cause?: unknown;
}

/**
 * The registry could not answer (down, timed out, 5xx): the workflow retries, then routes to a
 * manual check. Every failure to get a usable answer is this one error, whatever its reason, so
 * that one Catch in the workflow covers them all; `reason` says which it was. The message never
 * contains the ID number or code that was looked up.
 */
export class RegistryUnavailableError extends Error {
  readonly registry: RegistryName;
  readonly reason: RegistryFailureReason;
  readonly attempts: number;
  readonly status: number | undefined;

  constructor(options: RegistryUnavailableErrorOptions) {
    const status = options.status === undefined ? '' : ` (HTTP ${options.status})`;
    const tries = options.attempts === 1 ? '1 attempt' : `${options.attempts} attempts`;
    super(
      `The ${options.registry} registry did not answer: ${options.reason}${status} after ${tries}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'RegistryUnavailableError';
    this.registry = options.registry;
    this.reason = options.reason;
    this.attempts = options.attempts;
    this.status = options.status;
  }
}
