import * as z from 'zod';
import { type ClassType, classTypeSchema, type RegistrationForm } from './registration-form.ts';

const count = z.int().nonnegative();

/**
 * The figures of a filing that a registered provider is known by (capacity, staffing), without
 * any names or ID numbers: safe to store on the provider record and to show to anyone.
 */
export const providerProfileSchema = z
  .object({
    /** Places (托位) over all classes. */
    capacity: count,
    /** Places per class type; 0 for types not offered. */
    capacityByClass: z.record(classTypeSchema, count),
    classCount: count,
    staffCount: count,
    caregiverCount: count,
    /** Caregivers holding at least one certificate (保育员证, 育婴员证, …). */
    certifiedCaregiverCount: count,
    /** certifiedCaregiverCount / caregiverCount to 4 decimals; 0 without caregivers. */
    certificationRate: z.number().min(0).max(1),
  })
  .strict();
export type ProviderProfile = z.infer<typeof providerProfileSchema>;

export function providerProfileOf(form: RegistrationForm): ProviderProfile {
  const capacityByClass = Object.fromEntries(
    classTypeSchema.options.map((type) => [type, 0]),
  ) as Record<ClassType, number>;
  let classCount = 0;
  for (const group of form.classes) {
    capacityByClass[group.type] += group.count * group.placesPerClass;
    classCount += group.count;
  }
  const caregivers = form.staff.filter((member) => member.role === 'caregiver');
  const certified = caregivers.filter((member) => member.certificates.length > 0).length;
  return {
    capacity: Object.values(capacityByClass).reduce((total, places) => total + places, 0),
    capacityByClass,
    classCount,
    staffCount: form.staff.length,
    caregiverCount: caregivers.length,
    certifiedCaregiverCount: certified,
    certificationRate:
      caregivers.length === 0 ? 0 : Math.round((certified / caregivers.length) * 10_000) / 10_000,
  };
}
