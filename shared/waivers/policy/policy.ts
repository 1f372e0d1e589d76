import { z } from 'zod';
import { calendarDateSchema, hardshipCategorySchema } from '../../registries/registry-records.ts';
import { shanghaiDate } from '../../subsidy/policy/shanghai-calendar.ts';
import v2025_01 from './versions/2025-01.json' with { type: 'json' };

/*
 * The 困难家庭学费减免 and 爱心牛奶 rules as data: each version is a JSON file under ./versions,
 * in force from its `effectiveFrom` (a Huzhou calendar date) until the next version starts. A new
 * rule set is a new file plus one import below, never an edit to a published version: decided
 * cases keep the `policyVersion` they were judged under.
 */

const yuan = z.number().positive().multipleOf(0.01);

export const waiverPolicySchema = z
  .object({
    version: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    effectiveFrom: calendarDateSchema,
    /**
     * Share of the monthly tuition waived, in whole percent, for every category (a category
     * missing from a file is an error, not a 0 % waiver).
     */
    percentByCategory: z.record(hardshipCategorySchema, z.int().min(1).max(100)),
    /** The most waived in one month, whatever the tuition and percentage. */
    maxWaiverYuanPerMonth: yuan,
    /** 爱心牛奶: paid for each granted month when the family asked for it. */
    milkSubsidyYuanPerMonth: yuan,
    /** The child must be younger than this for the whole month. */
    ageLimitMonths: z.int().min(1),
    /** The longest term one application may cover (the form itself caps at 12). */
    maxTermMonths: z.int().min(1).max(12),
    /** How many months after the current one a term may start. */
    maxMonthsAhead: z.int().min(0),
    /** True while the figures are ours, not the city's: shown to staff, never hidden. */
    placeholders: z.boolean(),
    /** Where the rule comes from, in the words of the document. */
    source: z.string().min(1),
    notes: z.string().optional(),
  })
  .strict();

export type WaiverPolicy = Readonly<z.infer<typeof waiverPolicySchema>>;

/** A policy file that does not match the schema, or a set of versions that contradict each other. */
export class InvalidWaiverPolicyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidWaiverPolicyError';
  }
}

/** Asked for a version that was never published. */
export class UnknownWaiverPolicyVersionError extends Error {
  readonly version: string;
  constructor(version: string) {
    super(`No waiver policy version ${version}`);
    this.name = 'UnknownWaiverPolicyVersionError';
    this.version = version;
  }
}

/** Asked for the rules on a day before the first version took effect: there were no waivers. */
export class NoWaiverPolicyInForceError extends Error {
  readonly date: string;
  constructor(date: string) {
    super(`No waiver policy in force on ${date}`);
    this.name = 'NoWaiverPolicyInForceError';
    this.date = date;
  }
}

/**
 * Validates policy versions and orders them by `effectiveFrom`. Throws
 * {@link InvalidWaiverPolicyError} naming the offending version and field, so a bad file fails
 * the deployment's first cold start (and the unit tests) instead of a family's application.
 */
export function loadWaiverPolicies(raw: readonly unknown[]): readonly WaiverPolicy[] {
  const policies = raw.map((candidate, index) => {
    const result = waiverPolicySchema.safeParse(candidate);
    if (result.success) return Object.freeze(result.data);
    const label =
      typeof candidate === 'object' && candidate !== null && 'version' in candidate
        ? String(candidate.version)
        : `#${index}`;
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new InvalidWaiverPolicyError(
      `Waiver policy ${label} is invalid: ${problems.join('; ')}`,
      { cause: result.error },
    );
  });
  const sorted = [...policies].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1];
    const current = sorted[i];
    if (previous === undefined || current === undefined) continue;
    if (previous.effectiveFrom === current.effectiveFrom) {
      throw new InvalidWaiverPolicyError(
        `Waiver policies ${previous.version} and ${current.version} both take effect on ${current.effectiveFrom}`,
      );
    }
  }
  if (new Set(sorted.map((policy) => policy.version)).size !== sorted.length) {
    throw new InvalidWaiverPolicyError('Two waiver policy files share a version');
  }
  return Object.freeze(sorted);
}

/** Every published version, oldest first. */
export const waiverPolicies: readonly WaiverPolicy[] = loadWaiverPolicies([v2025_01]);

/** The version in force at `date`: the latest whose `effectiveFrom` is on or before that Huzhou day. */
export function waiverPolicyFor(
  date: Date,
  policies: readonly WaiverPolicy[] = waiverPolicies,
): WaiverPolicy {
  const day = shanghaiDate(date);
  // `YYYY-MM-DD` strings compare like the dates they spell.
  const inForce = policies.filter((policy) => policy.effectiveFrom <= day).at(-1);
  if (inForce === undefined) throw new NoWaiverPolicyInForceError(day);
  return inForce;
}

/** A published version by its name, e.g. the `policyVersion` stored with a decided case. */
export function waiverPolicyByVersion(
  version: string,
  policies: readonly WaiverPolicy[] = waiverPolicies,
): WaiverPolicy {
  const policy = policies.find((candidate) => candidate.version === version);
  if (policy === undefined) throw new UnknownWaiverPolicyVersionError(version);
  return policy;
}
