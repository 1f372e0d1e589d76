import * as z from 'zod';
import { ValidationError } from '../errors/http-errors.ts';
import { formMessages } from '../forms/messages.ts';

/**
 * Opaque page cursors: what the next query needs, base64url-encoded JSON. A cursor that does not
 * decode into the expected shape is the client's mistake (400), never a 500.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function invalidCursorError(): ValidationError {
  return new ValidationError([{ path: 'query.cursor', message: formMessages.CURSOR_INVALID }]);
}

export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalidCursorError();
  return result.data;
}

/** DynamoDB's limits on key values: a partition key of 2048 bytes, a sort key of 1024. */
const maxKeyBytes = { pk: 2048, sk: 1024 } as const;
const indexKeyPattern = /^(gsi[1-9])(pk|sk)$/;

/**
 * A DynamoDB key as it appears in ExclusiveStartKey / LastEvaluatedKey (document client): one
 * item's `pk` and `sk`, and the pair of the index the page was read from. Every key attribute
 * of the table is a string. Anything else in a cursor was not written by us, and DynamoDB would
 * refuse it as a start key (a 500, had it got that far).
 */
export const startKeySchema = z.record(z.string(), z.string().min(1)).refine(
  (key) => {
    const names = Object.keys(key);
    const indexes = new Set<string>();
    for (const name of names) {
      const match = indexKeyPattern.exec(name);
      if (!match && name !== 'pk' && name !== 'sk') return false;
      if (match?.[1]) indexes.add(match[1]);
      const kind = name.endsWith('pk') ? 'pk' : 'sk';
      if (Buffer.byteLength(key[name] ?? '', 'utf8') > maxKeyBytes[kind]) return false;
    }
    const [index, ...more] = [...indexes];
    if (more.length > 0) return false;
    const expected = ['pk', 'sk', ...(index ? [`${index}pk`, `${index}sk`] : [])];
    return names.length === expected.length && expected.every((name) => Object.hasOwn(key, name));
  },
  { message: 'not a start key of this table' },
);

/**
 * Whether DynamoDB refused a query's start key. A cursor can be well-formed and still name a key
 * outside the page's range (a forged sort key) or of another index: only the database can tell.
 */
export function isStartKeyRefused(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /\bstart(ing)? key\b/i.test(error.message)
  );
}
