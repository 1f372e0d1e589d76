import type { LocalizedText } from './localized.ts';

/** One offending input location, e.g. `child.idNumber`. */
export interface ErrorDetail {
  readonly path: string;
  /** A stable code for this detail, where the error has several kinds (e.g. CHILD_TOO_OLD). */
  readonly code?: string;
  readonly message: LocalizedText;
}

export interface ShanyuErrorOptions {
  readonly details?: readonly ErrorDetail[];
  readonly cause?: unknown;
  /** Extra response headers, e.g. `Allow` for 405. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Base of every error the API reports on purpose. The `code` is stable (clients branch on it),
 * the texts are for people; `message` (English) is what logs show.
 */
export abstract class ShanyuError extends Error {
  abstract readonly code: string;
  abstract readonly statusCode: number;
  readonly text: LocalizedText;
  readonly details: readonly ErrorDetail[];
  readonly headers: Readonly<Record<string, string>>;

  protected constructor(text: LocalizedText, options: ShanyuErrorOptions = {}) {
    super(text.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.text = text;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }
}
