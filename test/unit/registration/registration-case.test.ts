import { describe, expect, it } from 'vitest';
import {
  amendFiling,
  changedPartsOf,
  type Filing,
  registrationFormOf,
  reviewsNeeded,
} from '../../../shared/registration/registration-case.ts';
import { compliantRegistrationForm } from '../../support/registration-form.ts';

const nobody = { health: false, fire: false, market: false, inspection: false };
const everybody = { health: true, fire: true, market: true, inspection: true };
const change = (...changedParts: string[]): Filing => ({ kind: 'change', changedParts });

describe('reviewsNeeded', () => {
  it('sends a first filing to every department and a visit', () => {
    // Prepare
    const filing: Filing = { kind: 'new' };

    // Act
    const needed = reviewsNeeded(filing);

    // Assess
    expect(needed).toEqual(everybody);
  });

  it.each([
    ['organisation.address', everybody],
    ['organisation.district', everybody],
    ['premises', everybody],
    ['classes', { ...nobody, health: true, inspection: true }],
    ['providesMeals', { ...nobody, health: true, inspection: true }],
    ['organisation.name', { ...nobody, market: true }],
    ['organisation.legalRepresentative', { ...nobody, market: true }],
    ['documents:fire-safety', { ...nobody, fire: true }],
    ['documents:business-license', { ...nobody, market: true }],
    ['documents:food-license', { ...nobody, market: true }],
    ['documents', { ...nobody, health: true }],
    ['staff', { ...nobody, health: true }],
    ['monthlyFeeYuan', { ...nobody, health: true }],
    ['inclusive', { ...nobody, health: true }],
    ['documents:health-evaluation', { ...nobody, health: true }],
    ['documents:staff-health', { ...nobody, health: true }],
  ])('sends a change of %s to %j', (part, expected) => {
    // Prepare
    const filing = change(part);

    // Act
    const needed = reviewsNeeded(filing);

    // Assess
    expect(needed).toEqual(expected);
  });

  it('adds up what several changed parts need', () => {
    // Prepare
    const filing = change('organisation.name', 'documents:fire-safety', 'staff');

    // Act
    const needed = reviewsNeeded(filing);

    // Assess
    expect(needed).toEqual({ health: true, fire: true, market: true, inspection: false });
  });

  it('needs nobody for a change that names no part', () => {
    // Prepare
    const filings: Filing[] = [{ kind: 'change' }, change()];

    // Act
    const needed = filings.map(reviewsNeeded);

    // Assess
    expect(needed).toEqual([nobody, nobody]);
  });
});

describe('changedPartsOf', () => {
  it('names organisation fields one by one and the other parts whole, sorted', () => {
    // Prepare
    const form = compliantRegistrationForm();
    const changes = {
      staff: form.staff,
      organisation: { name: '湖州吴兴禾苗托育中心', address: '湖州市吴兴区禾苗路2号' },
      classes: form.classes,
    };

    // Act
    const parts = changedPartsOf(changes);

    // Assess
    expect(parts).toEqual(['classes', 'organisation.address', 'organisation.name', 'staff']);
  });

  it('names the withdrawal of every document as a change of documents', () => {
    // Prepare / Act
    const parts = changedPartsOf({ documents: [] });

    // Assess
    expect(parts).toEqual(['documents']);
  });

  it('names each replaced document by its kind, once', () => {
    // Prepare
    const documents = [
      { kind: 'fire-safety', ref: 'doc-a' },
      { kind: 'business-license', ref: 'doc-b' },
      { kind: 'fire-safety', ref: 'doc-c' },
    ] as const;

    // Act
    const parts = changedPartsOf({ documents: [...documents] });

    // Assess
    expect(parts).toEqual(['documents:business-license', 'documents:fire-safety']);
  });

  it('counts parts changed to false or 0, and skips parts left undefined', () => {
    // Prepare
    const changes = {
      inclusive: false,
      monthlyFeeYuan: 0,
      providesMeals: undefined,
      organisation: { name: undefined, district: 'anji' as const },
    };

    // Act
    const parts = changedPartsOf(changes);

    // Assess
    expect(parts).toEqual(['inclusive', 'monthlyFeeYuan', 'organisation.district']);
  });

  it('names a new legal representative as one part, which market supervision reviews', () => {
    // Prepare
    const { legalRepresentative } = compliantRegistrationForm().organisation;

    // Act
    const parts = changedPartsOf({ organisation: { legalRepresentative } });

    // Assess
    expect(parts).toEqual(['organisation.legalRepresentative']);
    expect(reviewsNeeded(change(...parts))).toEqual({ ...nobody, market: true });
  });
});

describe('registrationFormOf', () => {
  it('splits a registration case form into the filing and the form', () => {
    // Prepare
    const form = compliantRegistrationForm();
    const filing: Filing = { kind: 'change', changedParts: ['staff'], baseCaseId: 'PR-0001' };
    const record = {
      caseId: 'PR-0002',
      caseType: 'provider-registration' as const,
      form: { ...form, filing },
    };

    // Act
    const split = registrationFormOf(record);

    // Assess
    expect(split).toEqual({ form, filing });
    expect(split.form).not.toHaveProperty('filing');
  });

  it('refuses a case of another type', () => {
    // Prepare
    const record = {
      caseId: 'SC-0001',
      caseType: 'subsidy-claim' as const,
      form: { ...compliantRegistrationForm(), filing: { kind: 'new' } },
    };

    // Act
    const split = () => registrationFormOf(record);

    // Assess
    expect(split).toThrow('Case SC-0001 is not a provider registration');
  });

  it('refuses a stored form without its filing', () => {
    // Prepare
    const record = {
      caseId: 'PR-0003',
      caseType: 'provider-registration' as const,
      form: compliantRegistrationForm(),
    };

    // Act
    const split = () => registrationFormOf(record);

    // Assess
    expect(split).toThrow(/filing/);
  });
});

describe('amendFiling', () => {
  it("adds an amendment's parts to what a change filing touches", () => {
    // Prepare
    const form = compliantRegistrationForm();
    const filing = { kind: 'change' as const, changedParts: ['staff'], baseCaseId: 'PR-1' };

    // Act
    const amended = amendFiling(form, filing, {
      premises: { indoorAreaM2: 500, outdoorAreaM2: 200, leaseYears: 6 },
    });

    // Assess
    expect(amended.filing.changedParts).toEqual(['premises', 'staff']);
    expect(reviewsNeeded(amended.filing)).toEqual({
      health: true,
      fire: true,
      market: true,
      inspection: true,
    });
    expect(amended.form.premises.indoorAreaM2).toBe(500);
    expect(amended.changedParts).toEqual(['premises']);
  });

  it('leaves a first filing a first filing, and a message-only answer the form as it was', () => {
    // Prepare
    const form = compliantRegistrationForm();

    // Act
    const corrected = amendFiling(form, { kind: 'new' }, { monthlyFeeYuan: 1 });
    const unchanged = amendFiling(form, { kind: 'new' }, undefined);

    // Assess
    expect(corrected.filing).toEqual({ kind: 'new' });
    expect(corrected.form.monthlyFeeYuan).toBe(1);
    expect(unchanged).toEqual({ form, filing: { kind: 'new' }, changedParts: [] });
  });
});
