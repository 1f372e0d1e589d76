import { z } from 'zod';
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

/** A DynamoDB key as it appears in ExclusiveStartKey / LastEvaluatedKey (document client). */
export const startKeySchema = z.record(z.string(), z.union([z.string(), z.number()]));
