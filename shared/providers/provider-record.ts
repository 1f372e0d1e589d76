import * as z from 'zod';
import { actorSchema } from '../cases/case-record.ts';
import { classTypeSchema } from '../registration/registration-form.ts';
import { calendarDateSchema } from '../registries/registry-records.ts';
import { shanghaiDate, shanghaiMidnight } from '../subsidy/policy/shanghai-calendar.ts';
import { districtSchema } from '../validation/district.ts';
import { usccSchema } from '../validation/uscc.ts';

/** `P-WX-0001`: letters, digits and hyphens. */
export const providerIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/);

export const providerStatusSchema = z.enum(['registered', 'suspended', 'revoked']);
export type ProviderStatus = z.infer<typeof providerStatusSchema>;

/** Places (托位) by class type: every type present, 0 where the provider runs none. */
export const capacityByClassSchema = z.record(classTypeSchema, z.int().min(0));
export type CapacityByClass = z.infer<typeof capacityByClassSchema>;

/**
 * The staff as the public and the statistics need them: counts only. Names and ID numbers stay in
 * the registration case, never on the provider.
 */
export const staffSummarySchema = z
  .object({
    staffCount: z.int().min(0),
    caregiverCount: z.int().min(0),
    /** Caregivers holding at least one certificate (保育员证, 育婴员证 …). */
    certifiedCaregiverCount: z.int().min(0),
    /** certifiedCaregiverCount / caregiverCount, 0 when there are no caregivers. */
    certificationRate: z.number().min(0).max(1),
  })
  .refine(
    (summary) =>
      summary.certifiedCaregiverCount <= summary.caregiverCount &&
      summary.caregiverCount <= summary.staffCount,
    { message: 'counts must nest: certified ≤ caregivers ≤ staff' },
  );
export type StaffSummary = z.infer<typeof staffSummarySchema>;

/**
 * The reminders before a registration ends, in the order they go out: the provider has time to
 * file its 延续备案 after the first, and is told once more after the second.
 */
export const renewalThresholdSchema = z.enum(['60-days', '30-days']);
export type RenewalThreshold = z.infer<typeof renewalThresholdSchema>;

export const renewalDaysBefore: Readonly<Record<RenewalThreshold, number>> = {
  '60-days': 60,
  '30-days': 30,
};

/**
 * `<registeredUntil>#<threshold>`: the last renewal reminder sent, and for which end date — a new
 * end date (a renewal's) leaves it behind.
 */
export const renewalRemindedForSchema = z.templateLiteral([
  calendarDateSchema,
  '#',
  renewalThresholdSchema,
]);
export type RenewalRemindedFor = z.infer<typeof renewalRemindedForSchema>;

export const renewalRemindedFor = (
  registeredUntil: string,
  threshold: RenewalThreshold,
): RenewalRemindedFor => `${registeredUntil}#${threshold}`;

/** The record's fields without its cross-field rules, so that views can pick from them. */
export const providerFieldsSchema = z.object({
  providerId: providerIdSchema,
  name: z.string().trim().min(1).max(200),
  district: districtSchema,
  /** 普惠 (inclusive, price-capped) providers are the ones subsidies may be spent at. */
  inclusive: z.boolean(),
  status: providerStatusSchema,
  /** Places (托位). */
  capacity: z.int().min(0),
  registeredFrom: calendarDateSchema,
  /** Last day of the registration, inclusive; absent while it runs. */
  registeredUntil: calendarDateSchema.optional(),
  uscc: usccSchema.optional(),
  address: z.string().trim().min(1).max(300).optional(),
  monthlyFeeYuan: z.number().min(0).max(100_000).optional(),
  capacityByClass: capacityByClassSchema.optional(),
  staffSummary: staffSummarySchema.optional(),
  /** When the filing that registered the provider was approved. */
  registeredAt: z.iso.datetime().optional(),
  /** The 托育机构备案 case that registered it. */
  registrationCaseId: z.string().min(1).max(64).optional(),
  /**
   * Bumped by every change; each change's audit event is stored under this number. Providers
   * written before versions existed (demo seeds, /dev/providers) have none: they count as 0.
   */
  version: z.int().min(1).optional(),
  /** Why the provider is suspended or revoked; absent while registered. */
  statusReason: z.string().trim().min(1).max(1000).optional(),
  /**
   * Set by the renewal reminder's transaction. Writers carry it over like any other field: the
   * due index entry a write computes follows on from it (see renewalIndexKeys).
   */
  renewalRemindedFor: renewalRemindedForSchema.optional(),
});

/** A childcare provider as our own registry (托育机构备案) has it. */
export const providerRecordSchema = providerFieldsSchema.refine(
  (record) =>
    record.registeredUntil === undefined || record.registeredUntil >= record.registeredFrom,
  { message: 'registeredUntil must not be before registeredFrom', path: ['registeredUntil'] },
);

export type ProviderRecord = z.infer<typeof providerRecordSchema>;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** First and last day of a month `YYYY-MM`, as `YYYY-MM-DD`. */
export function monthBounds(month: string): { first: string; last: string } {
  const match = MONTH.exec(month);
  if (match === null) throw new RangeError(`Expected a month YYYY-MM, got ${month}`);
  // Day 0 of the next month is the last day of this one.
  const days = new Date(Date.UTC(Number(match[1]), Number(match[2]), 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, '0')}` };
}

/**
 * Whether the provider was registered (status registered, within registeredFrom..registeredUntil)
 * on any day of the month YYYY-MM: a provider registered on the 28th may be paid for that month's
 * children, whose attendance it confirms (and a child could only be enrolled once it was). The
 * status is the current one, so a provider suspended today counts as unregistered for past months
 * too: a claim against it then goes to a person, which is the safe side.
 */
export function registeredForMonth(
  provider: Pick<ProviderRecord, 'status' | 'registeredFrom' | 'registeredUntil'>,
  month: string,
): boolean {
  const { first, last } = monthBounds(month);
  // Same-length YYYY-MM-DD strings compare like the dates they spell.
  return (
    provider.status === 'registered' &&
    provider.registeredFrom <= last &&
    (provider.registeredUntil === undefined || provider.registeredUntil >= first)
  );
}

/** `P-<district code>-` for generated provider ids. */
export const providerIdPrefixes = {
  wuxing: 'WX',
  nanxun: 'NX',
  nantaihu: 'NTH',
  deqing: 'DQ',
  changxing: 'CX',
  anji: 'AJ',
} as const satisfies Record<z.infer<typeof districtSchema>, string>;

export const providerKey = (providerId: string) => ({
  pk: `PROVIDER#${providerId}`,
  sk: 'PROFILE',
});

/**
 * The public registry's index keys (sparse): a provider is listed only while registered, on gsi3
 * (`REGISTRY#PROVIDERS`) and, when inclusive, on gsi2 too (`REGISTRY#PROVIDERS#INCLUSIVE`), sorted
 * by district then id so that a district is a `begins_with`. A provider's Put replaces its whole
 * item, which is how a suspension takes it off the lists.
 */
export const registryPartitions = {
  all: 'REGISTRY#PROVIDERS',
  inclusive: 'REGISTRY#PROVIDERS#INCLUSIVE',
} as const;

export const registrySortPrefix = (district: string) => `${district}#`;

export function registryIndexKeys(
  record: Pick<ProviderRecord, 'providerId' | 'district' | 'status' | 'inclusive'>,
): Record<string, string> {
  if (record.status !== 'registered') return {};
  const sort = `${registrySortPrefix(record.district)}${record.providerId}`;
  return {
    gsi3pk: registryPartitions.all,
    gsi3sk: sort,
    ...(record.inclusive ? { gsi2pk: registryPartitions.inclusive, gsi2sk: sort } : {}),
  };
}

/** The sparse gsi4 partition of providers with a renewal reminder ahead, by when it is due. */
export const renewalDuePartition = 'DUE#RENEWALS';

export const renewalDueSort = (remindAt: string, providerId: string) => `${remindAt}#${providerId}`;

const dayMs = 24 * 60 * 60 * 1000;
/** Reminders go out at 09:00 Beijing time: providers hear in office hours. */
const remindAfterMidnightMs = 9 * 60 * 60 * 1000;

/** When a threshold's reminder is due: 09:00 Beijing time, `daysBefore` days before the end. */
export function renewalRemindAt(registeredUntil: string, threshold: RenewalThreshold): Date {
  const midnight = shanghaiMidnight(registeredUntil).getTime();
  return new Date(midnight - renewalDaysBefore[threshold] * dayMs + remindAfterMidnightMs);
}

export interface RenewalReminderDue {
  readonly threshold: RenewalThreshold;
  readonly remindAt: Date;
}

/**
 * The first reminder after `after` (from the first, without it) still ahead of `now`; undefined
 * when every one has passed. A reminder whose time has come is not "ahead".
 */
export function nextRenewalReminder(
  registeredUntil: string,
  now: Date,
  after?: RenewalThreshold,
): RenewalReminderDue | undefined {
  const order = renewalThresholdSchema.options;
  const from = after === undefined ? 0 : order.indexOf(after) + 1;
  for (const threshold of order.slice(from)) {
    const remindAt = renewalRemindAt(registeredUntil, threshold);
    if (remindAt.getTime() > now.getTime()) return { threshold, remindAt };
  }
  return undefined;
}

/** The last reminder sent for the record's end date: none before the first, or for another date. */
export function lastRenewalReminded(
  record: Pick<ProviderRecord, 'registeredUntil' | 'renewalRemindedFor'>,
): RenewalThreshold | undefined {
  const prefix = `${record.registeredUntil}#`;
  const remindedFor = record.renewalRemindedFor;
  if (record.registeredUntil === undefined || !remindedFor?.startsWith(prefix)) return undefined;
  return renewalThresholdSchema.parse(remindedFor.slice(prefix.length));
}

/**
 * The reminder a profile waits for: of the reminders after the last one sent for its end date,
 * the first that was still ahead when the end date was set — when the filing was approved
 * (registeredAt), or the registration's first day for providers without one (demo seeds). Only
 * the record decides, not when it is written: a write after a reminder's time, before the daily
 * run sent it, leaves it due (the run sends it late rather than never), and a new end date (a
 * renewal) starts afresh without the reminders already behind it then. None while the provider
 * is not registered or has no end date, nor once its registration has ended at `now`.
 */
export function pendingRenewalReminder(
  record: Pick<
    ProviderRecord,
    'status' | 'registeredFrom' | 'registeredUntil' | 'registeredAt' | 'renewalRemindedFor'
  >,
  now: Date,
): RenewalReminderDue | undefined {
  const { registeredUntil } = record;
  if (record.status !== 'registered' || registeredUntil === undefined) return undefined;
  if (shanghaiDate(now) > registeredUntil) return undefined;
  // Without registeredAt: 00:00 Beijing time on the first day.
  const setAt = new Date(record.registeredAt ?? `${record.registeredFrom}T00:00:00+08:00`);
  return nextRenewalReminder(registeredUntil, setAt, lastRenewalReminded(record));
}

/** The attributes that put a provider's profile on the due index of renewal reminders. */
export interface RenewalIndexEntry {
  readonly gsi4pk: typeof renewalDuePartition;
  readonly gsi4sk: string;
  /** Which reminder is next. */
  readonly renewalReminder: RenewalThreshold;
  readonly renewalRemindAt: string;
}

/** The attribute names of {@link RenewalIndexEntry}: an Update that ends the entry removes these. */
export const renewalIndexAttributes = [
  'gsi4pk',
  'gsi4sk',
  'renewalReminder',
  'renewalRemindAt',
] as const;

export function renewalIndexEntry(providerId: string, due: RenewalReminderDue): RenewalIndexEntry {
  const remindAt = due.remindAt.toISOString();
  return {
    gsi4pk: renewalDuePartition,
    gsi4sk: renewalDueSort(remindAt, providerId),
    renewalReminder: due.threshold,
    renewalRemindAt: remindAt,
  };
}

/**
 * The due index keys (sparse, gsi4) of a profile written at `now`: its pending renewal reminder
 * (see pendingRenewalReminder), none otherwise. Every write of the profile is a whole-item Put, so
 * a suspension or revocation takes the entry away with the item's other attributes, and a write
 * that carries renewalRemindedFor over puts the entry back where it was.
 */
export function renewalIndexKeys(
  record: Pick<
    ProviderRecord,
    | 'providerId'
    | 'status'
    | 'registeredFrom'
    | 'registeredUntil'
    | 'registeredAt'
    | 'renewalRemindedFor'
  >,
  now: Date,
): RenewalIndexEntry | Record<string, never> {
  const due = pendingRenewalReminder(record, now);
  return due === undefined ? {} : renewalIndexEntry(record.providerId, due);
}

/** One change to a provider, kept next to it; the provider's version orders them. */
export const providerEventSchema = z.object({
  providerId: providerIdSchema,
  version: z.int().min(1),
  at: z.iso.datetime(),
  /** What happened, e.g. `provider.registered`, `provider.status-changed`. */
  type: z.string().min(1),
  actor: actorSchema,
  fromStatus: providerStatusSchema.optional(),
  toStatus: providerStatusSchema.optional(),
  /** A person's words: why the provider was suspended, revoked or reinstated. */
  note: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ProviderEvent = z.infer<typeof providerEventSchema>;

export const providerEventKey = (providerId: string, version: number) => ({
  pk: `PROVIDER#${providerId}`,
  sk: `EVENT#${String(version).padStart(8, '0')}`,
});
