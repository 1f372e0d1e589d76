import type * as z from 'zod';
import { shanghaiDate } from '../subsidy/policy/shanghai-calendar.ts';

/*
 * Rules as data, in published versions: each in force from its `effectiveFrom` (a Huzhou calendar
 * date) until the next one starts. A decided case keeps the version it was judged under, so a
 * version is never edited, only followed by a new one. The subsidy and waiver policies differ in
 * their fields and their errors, not in how versions are loaded and chosen.
 */

export interface VersionedPolicy {
  readonly version: string;
  readonly effectiveFrom: string;
}

/** How one policy family names itself and its errors. */
export interface PolicyFamily {
  /** `Subsidy policy`, as messages start. */
  readonly name: string;
  readonly invalid: (message: string, options?: ErrorOptions) => Error;
  readonly unknownVersion: (version: string) => Error;
  readonly noneInForce: (date: string) => Error;
}

/**
 * Validates policy versions and orders them by `effectiveFrom`. Throws the family's invalid-policy
 * error naming the offending version and field, so a bad file fails the deployment's first cold
 * start (and the unit tests) instead of a family's case.
 */
export function loadPolicies<Schema extends z.ZodType<VersionedPolicy>>(
  schema: Schema,
  raw: readonly unknown[],
  family: PolicyFamily,
): readonly Readonly<z.output<Schema>>[] {
  const policies = raw.map((candidate, index) => {
    const result = schema.safeParse(candidate);
    if (result.success) return Object.freeze(result.data);
    const label =
      typeof candidate === 'object' && candidate !== null && 'version' in candidate
        ? String(candidate.version)
        : `#${index}`;
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw family.invalid(`${family.name} ${label} is invalid: ${problems.join('; ')}`, {
      cause: result.error,
    });
  });
  const sorted = [...policies].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous === undefined || current === undefined) continue;
    if (previous.effectiveFrom === current.effectiveFrom) {
      throw family.invalid(
        `${family.name} versions ${previous.version} and ${current.version} both take effect on ${current.effectiveFrom}`,
      );
    }
  }
  if (new Set(sorted.map((policy) => policy.version)).size !== sorted.length) {
    throw family.invalid(`Two ${family.name.toLowerCase()} files share a version`);
  }
  return Object.freeze(sorted);
}

/** The version in force at `date`: the latest whose `effectiveFrom` is on or before that Huzhou day. */
export function policyInForce<Policy extends VersionedPolicy>(
  policies: readonly Policy[],
  date: Date,
  family: PolicyFamily,
): Policy {
  const day = shanghaiDate(date);
  // `YYYY-MM-DD` strings compare like the dates they spell.
  const inForce = policies.filter((policy) => policy.effectiveFrom <= day).at(-1);
  if (inForce === undefined) throw family.noneInForce(day);
  return inForce;
}

/** A published version by its name, e.g. the `policyVersion` stored with a decided case. */
export function policyOfVersion<Policy extends VersionedPolicy>(
  policies: readonly Policy[],
  version: string,
  family: PolicyFamily,
): Policy {
  const policy = policies.find((candidate) => candidate.version === version);
  if (policy === undefined) throw family.unknownVersion(version);
  return policy;
}
