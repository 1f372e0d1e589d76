import { describe, expect, it } from 'vitest';
import {
  providerProfileOf,
  providerProfileSchema,
} from '../../../shared/registration/provider-profile.ts';
import { compliantRegistrationForm } from '../../support/registration-form.ts';

describe('providerProfileOf', () => {
  it('sums places per class type, with 0 for types not offered', () => {
    // Prepare
    const form = compliantRegistrationForm({
      classes: [
        { type: 'infant', count: 2, placesPerClass: 9 },
        { type: 'toddler', count: 1, placesPerClass: 15 },
        { type: 'infant', count: 1, placesPerClass: 6 },
      ],
    });

    // Act
    const profile = providerProfileOf(form);

    // Assess
    expect(profile.capacity).toBe(39);
    expect(profile.capacityByClass).toEqual({ infant: 24, toddler: 15, preschool: 0, mixed: 0 });
    expect(profile.classCount).toBe(4);
  });

  it('counts staff, caregivers and certified caregivers', () => {
    // Prepare
    const base = compliantRegistrationForm();
    const certificates = [[], ['保育员证'], ['育婴员证', '保育员证']];
    const caregivers = base.staff
      .filter((member) => member.role === 'caregiver')
      .slice(0, 3)
      .map((member, index) => ({ ...member, certificates: certificates[index] ?? [] }));
    const staff = [...base.staff.filter((member) => member.role === 'director'), ...caregivers];

    // Act
    const profile = providerProfileOf({ ...base, staff });

    // Assess
    expect(profile.staffCount).toBe(4);
    expect(profile.caregiverCount).toBe(3);
    expect(profile.certifiedCaregiverCount).toBe(2);
    expect(profile.certificationRate).toBe(0.6667);
  });

  it('gives a rate of 0 without caregivers', () => {
    // Prepare
    const base = compliantRegistrationForm();
    const staff = base.staff.filter((member) => member.role !== 'caregiver');

    // Act
    const profile = providerProfileOf({ ...base, staff });

    // Assess
    expect(profile.caregiverCount).toBe(0);
    expect(profile.certificationRate).toBe(0);
  });

  it('holds no names or ID numbers and matches its schema', () => {
    // Prepare
    const form = compliantRegistrationForm();

    // Act
    const profile = providerProfileOf(form);

    // Assess
    expect(providerProfileSchema.parse(profile)).toEqual(profile);
    const text = JSON.stringify(profile);
    for (const member of form.staff) {
      expect(text).not.toContain(member.name);
      expect(text).not.toContain(member.idNumber);
    }
    expect(text).not.toContain(form.organisation.legalRepresentative.idNumber);
  });
});
