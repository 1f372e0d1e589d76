import * as z from 'zod';
import { districtInfo } from '../validation/district.ts';
import { type ProviderRecord, providerFieldsSchema } from './provider-record.ts';

/**
 * What anyone may read about a provider (the public registry, no login): what a family choosing
 * a place needs. Staff aggregates, the registration case, the reason of a suspension and the
 * audit version stay inside.
 */
export const publicProviderViewSchema = providerFieldsSchema
  .pick({
    providerId: true,
    name: true,
    uscc: true,
    district: true,
    address: true,
    inclusive: true,
    status: true,
    capacity: true,
    capacityByClass: true,
    monthlyFeeYuan: true,
    registeredFrom: true,
    registeredUntil: true,
  })
  .extend({ districtName: z.string() })
  .strict();
export type PublicProviderView = z.infer<typeof publicProviderViewSchema>;

/** Field by field, so that a field added to the record never leaks into the view by default. */
export function publicProviderView(record: ProviderRecord): PublicProviderView {
  return {
    providerId: record.providerId,
    name: record.name,
    ...(record.uscc === undefined ? {} : { uscc: record.uscc }),
    district: record.district,
    districtName: districtInfo(record.district).name['zh-CN'],
    ...(record.address === undefined ? {} : { address: record.address }),
    inclusive: record.inclusive,
    status: record.status,
    capacity: record.capacity,
    ...(record.capacityByClass === undefined ? {} : { capacityByClass: record.capacityByClass }),
    ...(record.monthlyFeeYuan === undefined ? {} : { monthlyFeeYuan: record.monthlyFeeYuan }),
    registeredFrom: record.registeredFrom,
    ...(record.registeredUntil === undefined ? {} : { registeredUntil: record.registeredUntil }),
  };
}
