import { maskIdNumber } from '../validation/id-number.ts';
import { maskMobile } from '../validation/phone.ts';

/*
 * Masks 身份证 numbers and mobile numbers wherever they hide in a value about to be logged.
 * Two nets: a text scan of every string (message, stack, values, even object keys), and field
 * names — a value under `idNumber`, `guardianPhone`, `mobile_no`… is masked whatever it looks like,
 * because a caller's typo or a partial number is no less personal.
 */

/** 18 characters, not part of a longer digit run; people also type them grouped 6-8-4. */
const ID_NUMBER_IN_TEXT = /(?<!\d)\d{6}[ -]?\d{8}[ -]?\d{3}[\dXx](?!\d)/g;
/**
 * 11 digits, not part of a longer digit run, optionally grouped 3-4-4 and after a country code
 * (`+86`, `86`, `0086`): the code is matched too, or its digits would hide the number in a longer run.
 */
const MOBILE_IN_TEXT = /(?<!\d)(?:(?:\+|00)?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const COUNTRY_CODE = /^(?:\+|00)?86/;
const SEPARATORS = /[ -]/g;

type Sensitivity = 'idNumber' | 'phone';

/** Field names (their last one to three words, joined, lower-cased) whose values are always masked. */
const SENSITIVE_NAMES: ReadonlyMap<string, Sensitivity> = new Map([
  ...['idnumber', 'idnumbers', 'idno', 'idcard', 'idcardno', 'idcardnumber'].map(
    (name) => [name, 'idNumber'] as const,
  ),
  ...['phone', 'phones', 'phonenumber', 'phonenumbers', 'phoneno', 'cellphone', 'telephone', 'tel']
    .concat(['mobile', 'mobiles', 'mobileno', 'mobilenumber', 'mobilenumbers', 'mobilephone'])
    .map((name) => [name, 'phone'] as const),
]);

/**
 * `childIdNumber`, `ID_NUMBER`, `guardian-phone`, `mobilePhone` are sensitive; `phoneVerified`
 * and `validNumber` are not: matching whole trailing words avoids both misses and false alarms.
 */
function sensitivityOf(key: string): Sensitivity | undefined {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  for (let count = 1; count <= Math.min(3, words.length); count++) {
    const found = SENSITIVE_NAMES.get(words.slice(-count).join(''));
    if (found !== undefined) return found;
  }
  return undefined;
}

function maskAs(sensitivity: Sensitivity, text: string): string {
  return sensitivity === 'idNumber' ? maskIdNumber(text) : maskMobile(text);
}

/** A string with every ID number and mobile number in it masked. */
export function redactText(text: string): string {
  return text
    .replace(ID_NUMBER_IN_TEXT, (match) => maskIdNumber(match.replace(SEPARATORS, '')))
    .replace(MOBILE_IN_TEXT, (match) => maskMobile(match.replace(COUNTRY_CODE, '')));
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  // defineProperty, not assignment: a `__proto__` key from parsed JSON must stay a plain key.
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

function redactError(error: Error, seen: WeakMap<object, unknown>): Error {
  // Same prototype, so `instanceof` and the logger's error formatting still recognise it.
  const copy = Object.create(Object.getPrototypeOf(error) as object | null) as Error;
  seen.set(error, copy);
  // Own names include the non-enumerable `message`, `stack` and `cause`; reading them through
  // the original also resolves V8's lazy `stack` accessor.
  for (const key of Object.getOwnPropertyNames(error)) {
    const enumerable = Object.getOwnPropertyDescriptor(error, key)?.enumerable ?? false;
    const value: unknown = Reflect.get(error, key);
    define(copy, redactText(key), redact(value, sensitivityOf(key), seen), enumerable);
  }
  return copy;
}

function redact(
  value: unknown,
  sensitivity: Sensitivity | undefined,
  seen: WeakMap<object, unknown>,
): unknown {
  if (typeof value === 'string') {
    return sensitivity === undefined ? redactText(value) : maskAs(sensitivity, value);
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (sensitivity !== undefined) return maskAs(sensitivity, String(value));
    // Amounts, counts and timestamps stay readable. A bigint is the one number that can hold a
    // whole 身份证 number (18 digits pass 2^53), and the log prints its digits: masked like text.
    if (typeof value === 'number') return value;
    const digits = String(value);
    const redacted = redactText(digits);
    return redacted === digits ? value : redacted;
  }
  if (typeof value !== 'object' || value === null) return value;

  const copied = seen.get(value);
  if (copied !== undefined) return copied;

  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    // A list under `phones` holds phone numbers: the field's sensitivity applies to each item.
    for (const item of value) copy.push(redact(item, sensitivity, seen));
    return copy;
  }
  if (value instanceof Error) return redactError(value, seen);
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // What JSON.stringify would print is what must be clean.
    return redact((value as { toJSON: () => unknown }).toJSON(), sensitivity, seen);
  }

  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    define(copy, redactText(key), redact(item, sensitivityOf(key), seen), true);
  }
  return copy;
}

/**
 * A deep copy of `value` with every 身份证 number and mainland mobile number masked (see
 * `maskIdNumber` / `maskMobile`), in strings anywhere and in fields named like `idNumber`,
 * `phone` or `mobile` whatever their format. Numbers outside such fields are left alone.
 *
 * Arrays and plain objects are copied as such, cycles included; Errors keep their prototype with
 * `message`, `stack`, `cause` and own fields redacted; Dates are cloned; other objects become the
 * plain object (or `toJSON()` result) that JSON would print. The input is never modified.
 */
export function redactPii(value: unknown): unknown {
  return redact(value, undefined, new WeakMap());
}
