import type * as z from 'zod';
// Each locale on its own: `z.locales` would bundle all of zod's 40-odd languages (260 KB) into
// every function.
import en from 'zod/v4/locales/en.js';
import zhCN from 'zod/v4/locales/zh-CN.js';
import { formMessages } from '../forms/messages.ts';
import { validationMessages } from '../validation/messages.ts';
import { ValidationError } from './http-errors.ts';
import type { LocalizedText } from './localized.ts';
import type { ErrorDetail } from './shanyu-error.ts';

type ErrorMap = z.core.$ZodErrorMap;

const keyedMessages: Readonly<Record<string, LocalizedText>> = {
  ...validationMessages,
  ...formMessages,
};

const required: LocalizedText = { 'zh-CN': '此项为必填项', en: 'Required' };

/** Wraps a zod locale so that a missing field reads "required", not "expected string, received undefined". */
function withRequired(localeError: ErrorMap, text: string): ErrorMap {
  return (issue) =>
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === undefined
      ? text
      : localeError(issue);
}

const errorMaps: Record<keyof LocalizedText, ErrorMap> = {
  'zh-CN': withRequired(zhCN().localeError, required['zh-CN']),
  en: withRequired(en().localeError, required.en),
};

function pathOf(prefix: string, path: readonly PropertyKey[]): string {
  const parts = [prefix, ...path.map(String)].filter((part) => part !== '');
  return parts.join('.');
}

/**
 * Turns both languages' issue lists into details. Custom refinements carry a message KEY
 * (see shared/validation/messages.ts) whose texts are looked up; zod's own issues are phrased by
 * zod's locale of each language.
 */
function toDetails(
  zh: readonly z.core.$ZodIssue[],
  en: readonly z.core.$ZodIssue[],
  prefix: string,
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  zh.forEach((issue, index) => {
    const enMessage = en[index]?.message ?? issue.message;
    const keyed = keyedMessages[issue.message];
    const message: LocalizedText = keyed ?? { 'zh-CN': issue.message, en: enMessage };
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        details.push({ path: pathOf(prefix, [...issue.path, key]), message });
    } else {
      details.push({ path: pathOf(prefix, issue.path), message });
    }
  });
  return details;
}

/**
 * Validates `input` against `schema`; returns the parsed value or throws a ValidationError listing
 * every offending path at once, in both languages. `pathPrefix` names where the input came from
 * (e.g. `query`), so a client can tell a bad header from a bad body field.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  pathPrefix = '',
): z.output<S> {
  const zh = schema.safeParse(input, { error: errorMaps['zh-CN'] });
  if (zh.success) return zh.data;
  // Only failures pay for the second pass, which words the same issues in English.
  const en = schema.safeParse(input, { error: errorMaps.en });
  const enIssues = en.success ? [] : en.error.issues;
  throw new ValidationError(toDetails(zh.error.issues, enIssues, pathPrefix));
}
