import { describe, expect, it } from 'vitest';
import {
  applyRegistrationChanges,
  registrationChangesSchema,
} from '../../../shared/registration/registration-form.ts';
import { compliantRegistrationForm, usccFor } from '../../support/registration-form.ts';

describe('registrationChangesSchema', () => {
  it('refuses an organisation change that names no field', () => {
    // Prepare
    const changes = { organisation: {} };

    // Act
    const result = registrationChangesSchema.safeParse(changes);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['CHANGES_EMPTY']);
  });

  it('refuses a change that changes nothing', () => {
    // Prepare
    const changes = {};

    // Act
    const result = registrationChangesSchema.safeParse(changes);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['CHANGES_EMPTY']);
  });

  it.each([
    ['in the organisation', { organisation: { uscc: usccFor(42) } }],
    ['at the top', { uscc: usccFor(42) }],
  ])('refuses a new 统一社会信用代码 %s: the organisation stays who it is', (_where, changes) => {
    // Prepare
    const input = changes as unknown;

    // Act
    const result = registrationChangesSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues).toContainEqual(
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['uscc'] }),
    );
  });

  it('refuses half a legal representative: the person is replaced whole', () => {
    // Prepare
    const changes = { organisation: { legalRepresentative: { name: '沈明' } } };

    // Act
    const result = registrationChangesSchema.safeParse(changes);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.slice(0, 2))).toContainEqual([
      'organisation',
      'legalRepresentative',
    ]);
  });

  it('accepts a change of any single part, falsy values included', () => {
    // Prepare
    const form = compliantRegistrationForm();
    const changes = [
      { monthlyFeeYuan: 0 },
      { inclusive: false },
      { providesMeals: false },
      { organisation: { name: '湖州吴兴禾苗托育中心' } },
      { organisation: { legalRepresentative: form.organisation.legalRepresentative } },
      { classes: form.classes },
      { documents: [{ kind: 'fire-safety', ref: 'doc-new-fire' }] },
    ];

    // Act
    const accepted = changes.map((change) => registrationChangesSchema.safeParse(change).success);

    // Assess
    expect(accepted).toEqual(changes.map(() => true));
  });

  it('holds changed parts to the same rules as a filing', () => {
    // Prepare
    const changes = [{ classes: [] }, { monthlyFeeYuan: -1 }, { organisation: { district: 'x' } }];

    // Act
    const accepted = changes.map((change) => registrationChangesSchema.safeParse(change).success);

    // Assess
    expect(accepted).toEqual([false, false, false]);
  });
});

describe('applyRegistrationChanges', () => {
  it('merges the organisation field by field, keeping its identity', () => {
    // Prepare
    const form = compliantRegistrationForm();
    const changes = registrationChangesSchema.parse({
      organisation: { name: '湖州吴兴禾苗托育中心', address: '湖州市吴兴区禾苗路2号' },
    });

    // Act
    const changed = applyRegistrationChanges(form, changes);

    // Assess
    expect(changed.organisation).toEqual({
      ...form.organisation,
      name: '湖州吴兴禾苗托育中心',
      address: '湖州市吴兴区禾苗路2号',
    });
    expect(changed.organisation.uscc).toBe(form.organisation.uscc);
    expect(changed.organisation.legalRepresentative).toEqual(form.organisation.legalRepresentative);
  });

  it('replaces the other parts whole, not element by element', () => {
    // Prepare
    const form = compliantRegistrationForm();
    expect(form.classes.length).toBeGreaterThan(1);
    const classes = [{ type: 'mixed' as const, count: 1, placesPerClass: 18 }];
    const documents = [{ kind: 'fire-safety' as const, ref: 'doc-new-fire' }];

    // Act
    const changed = applyRegistrationChanges(form, { classes, documents });

    // Assess
    expect(changed.classes).toEqual(classes);
    expect(changed.documents).toEqual(documents);
    expect(changed.staff).toEqual(form.staff);
    expect(changed.premises).toEqual(form.premises);
  });

  it('applies parts changed to false or 0 and ignores parts left undefined', () => {
    // Prepare
    const form = compliantRegistrationForm({ inclusive: true, providesMeals: true });

    // Act
    const changed = applyRegistrationChanges(form, {
      inclusive: false,
      monthlyFeeYuan: 0,
      providesMeals: undefined,
    });

    // Assess
    expect(changed).toEqual({ ...form, inclusive: false, monthlyFeeYuan: 0 });
  });

  it('leaves the form it was given as it was', () => {
    // Prepare
    const form = compliantRegistrationForm();
    const before = structuredClone(form);

    // Act
    applyRegistrationChanges(form, { organisation: { name: '新名称' }, monthlyFeeYuan: 1 });

    // Assess
    expect(form).toEqual(before);
  });
});
