import { z } from 'zod';
import { shanghaiDate } from './shanghai-calendar.ts';
import v2025_01 from './versions/2025-01.json' with { type: 'json' };
import v2026_07 from './versions/2026-07.json' with { type: 'json' };

/*
 * The 入托补助 rules as data: each version is a JSON file under ./versions, in force from its
 * `effectiveFrom` (a Huzhou calendar date) until the next version starts. A new rule set is a new
 * file plus one import below, never an edit to a published version: decided claims keep the
 * `policyVersion` they were judged under.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // Rejects 2025-02-30 and the like: a real date survives the round trip unchanged.
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(value);
  }, 'not a calendar date');

export const subsidyPolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    effectiveFrom: isoDate,
    monthlyAmountYuan: z.number().positive().multipleOf(0.01),
    /** How many calendar months, counting the current one, a family may claim. */
    claimWindowMonths: z.number().int().min(1),
    maxMonthsPerClaim: z.number().int().min(1),
    /** The child must be younger than this for the whole month. */
    ageLimitMonths: z.number().int().min(1),
    /** True while the amount is ours, not the city's: shown to staff, never hidden. */
    amountIsPlaceholder: z.boolean(),
    /** Where the rule comes from, in the words of the document. */
    source: z.string().min(1),
    notes: z.string().optional(),
  })
  .strict();

export type SubsidyPolicy = Readonly<z.infer<typeof subsidyPolicySchema>>;

/** A policy file that does not match the schema, or a set of versions that contradict each other. */
export class InvalidSubsidyPolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidSubsidyPolicyError';
  }
}

/** Asked for a version that was never published. */
export class UnknownSubsidyPolicyVersionError extends Error {
  readonly version: string;
  constructor(version: string) {
    super(`No subsidy policy version ${version}`);
    this.name = 'UnknownSubsidyPolicyVersionError';
    this.version = version;
  }
}

/** Asked for the rules on a day before the first version took effect: there was no subsidy. */
export class NoSubsidyPolicyInForceError extends Error {
  readonly date: string;
  constructor(date: string) {
    super(`No subsidy policy in force on ${date}`);
    this.name = 'NoSubsidyPolicyInForceError';
    this.date = date;
  }
}

/**
 * Validates policy versions and orders them by `effectiveFrom`. Throws
 * {@link InvalidSubsidyPolicyError} naming the offending version and field, so a bad file fails
 * the deployment's first cold start (and the unit tests) instead of a family's claim.
 */
export function loadSubsidyPolicies(raw: readonly unknown[]): readonly SubsidyPolicy[] {
  const policies = raw.map((candidate, index) => {
    const result = subsidyPolicySchema.safeParse(candidate);
    if (result.success) return Object.freeze(result.data);
    const label =
      typeof candidate === 'object' && candidate !== null && 'version' in candidate
        ? String(candidate.version)
        : `#${index}`;
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new InvalidSubsidyPolicyError(
      `Subsidy policy ${label} is invalid: ${problems.join('; ')}`,
      { cause: result.error },
    );
  });
  const sorted = [...policies].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous === undefined || current === undefined) continue;
    if (previous.effectiveFrom === current.effectiveFrom) {
      throw new InvalidSubsidyPolicyError(
        `Subsidy policies ${previous.version} and ${current.version} both take effect on ${current.effectiveFrom}`,
      );
    }
  }
  const versions = new Set(sorted.map((policy) => policy.version));
  if (versions.size !== sorted.length) {
    throw new InvalidSubsidyPolicyError('Two subsidy policy files share a version');
  }
  return Object.freeze(sorted);
}

/** Every published version, oldest first. */
export const subsidyPolicies: readonly SubsidyPolicy[] = loadSubsidyPolicies([v2025_01, v2026_07]);

/** The version in force at `date`: the latest whose `effectiveFrom` is on or before that Huzhou day. */
export function policyFor(
  date: Date,
  policies: readonly SubsidyPolicy[] = subsidyPolicies,
): SubsidyPolicy {
  const day = shanghaiDate(date);
  // `YYYY-MM-DD` strings compare like the dates they spell.
  const inForce = policies.filter((policy) => policy.effectiveFrom <= day).at(-1);
  if (inForce === undefined) throw new NoSubsidyPolicyInForceError(day);
  return inForce;
}

/** A published version by its name, e.g. the `policyVersion` stored with a decided claim. */
export function policyByVersion(
  version: string,
  policies: readonly SubsidyPolicy[] = subsidyPolicies,
): SubsidyPolicy {
  const policy = policies.find((candidate) => candidate.version === version);
  if (policy === undefined) throw new UnknownSubsidyPolicyVersionError(version);
  return policy;
}
