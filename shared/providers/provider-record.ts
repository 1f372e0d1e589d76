import { z } from 'zod';
import { calendarDateSchema } from '../registries/registry-records.ts';
import { districtSchema } from '../validation/district.ts';
import { usccSchema } from '../validation/uscc.ts';

/** `P-WX-0001`: letters, digits and hyphens. */
export const providerIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/);

/** A childcare provider as our own registry (托育机构备案) has it. */
export const providerRecordSchema = z
  .object({
    providerId: providerIdSchema,
    name: z.string().trim().min(1).max(200),
    district: districtSchema,
    /** 普惠 (inclusive, price-capped) providers are the ones subsidies may be spent at. */
    inclusive: z.boolean(),
    status: z.enum(['registered', 'suspended', 'revoked']),
    /** Places (托位). */
    capacity: z.int().min(0),
    registeredFrom: calendarDateSchema,
    /** Last day of the registration, inclusive; absent while it runs. */
    registeredUntil: calendarDateSchema.optional(),
    uscc: usccSchema.optional(),
  })
  .refine(
    (record) =>
      record.registeredUntil === undefined || record.registeredUntil >= record.registeredFrom,
    { message: 'registeredUntil must not be before registeredFrom', path: ['registeredUntil'] },
  );

export type ProviderRecord = z.infer<typeof providerRecordSchema>;
export type ProviderStatus = ProviderRecord['status'];

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
 * for the whole month YYYY-MM. The status is the current one, so a provider suspended today
 * counts as unregistered for past months too: a claim against it then goes to a person, which is
 * the safe side.
 */
export function registeredForMonth(
  provider: Pick<ProviderRecord, 'status' | 'registeredFrom' | 'registeredUntil'>,
  month: string,
): boolean {
  const { first, last } = monthBounds(month);
  // Same-length YYYY-MM-DD strings compare like the dates they spell.
  return (
    provider.status === 'registered' &&
    provider.registeredFrom <= first &&
    (provider.registeredUntil === undefined || provider.registeredUntil >= last)
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
