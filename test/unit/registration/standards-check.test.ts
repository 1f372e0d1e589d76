import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../shared/registration/findings.ts';
import {
  type ClassType,
  type RegistrationForm,
  registrationFormSchema,
  type StaffMember,
} from '../../../shared/registration/registration-form.ts';
import {
  findingsNote,
  type StandardsFacts,
  standardsFindings,
} from '../../../shared/registration/standards-check.ts';
import {
  compliantRegistrationForm,
  compliantStaff,
  enterpriseFor,
  uploadedRefsOf,
} from '../../support/registration-form.ts';

/** The facts a compliant filing is judged with: its enterprise active, its files uploaded. */
function factsFor(form: RegistrationForm, overrides: Partial<StandardsFacts> = {}): StandardsFacts {
  return { enterprise: enterpriseFor(form), uploadedRefs: uploadedRefsOf(form), ...overrides };
}

function check(form: RegistrationForm, overrides: Partial<StandardsFacts> = {}): Finding[] {
  return standardsFindings(form, factsFor(form, overrides));
}

const codes = (findings: readonly Finding[]) => findings.map((item) => item.code);

/** Director, health worker, cook, guard and exactly `caregivers` caregivers. */
function staffWith(caregivers: number): StaffMember[] {
  const staff = compliantStaff([{ type: 'infant', count: caregivers, placesPerClass: 3 }]);
  expect(staff.filter((member) => member.role === 'caregiver')).toHaveLength(caregivers);
  return staff;
}

describe('standardsFindings', () => {
  it('finds nothing wrong with a compliant filing', () => {
    // Prepare
    const form = registrationFormSchema.parse(compliantRegistrationForm());

    // Act
    const findings = check(form);

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports an oversized infant class and a missing fire-safety certificate in one call', () => {
    // Prepare
    const base = compliantRegistrationForm();
    const form = compliantRegistrationForm({
      classes: [{ type: 'infant', count: 1, placesPerClass: 12 }],
      documents: base.documents.filter((document) => document.kind !== 'fire-safety'),
    });

    // Act
    const findings = check(form);

    // Assess
    expect(findings).toEqual([
      {
        code: 'CLASS_TOO_LARGE',
        message: {
          'zh-CN': '乳儿班每班不超过10人，申报为12人',
          en: 'Infant classes take at most 10 children; 12 were filed',
        },
        path: ['classes', 0, 'placesPerClass'],
        data: { classType: 'infant', max: 10, actual: 12 },
      },
      {
        code: 'MISSING_DOCUMENT',
        message: expect.objectContaining({ 'zh-CN': '缺少消防安全检查合格证明，请补充上传' }),
        path: ['documents'],
        data: { kind: 'fire-safety' },
      },
    ]);
  });

  describe('class sizes', () => {
    it.each<[ClassType, number]>([
      ['infant', 10],
      ['toddler', 15],
      ['preschool', 20],
      ['mixed', 18],
    ])('takes %s classes of %i but not one more', (type, max) => {
      // Prepare
      const atLimit = compliantRegistrationForm({
        classes: [{ type, count: 2, placesPerClass: max }],
      });
      const over = compliantRegistrationForm({
        classes: [
          { type: 'toddler', count: 1, placesPerClass: 10 },
          { type, count: 2, placesPerClass: max + 1 },
        ],
      });

      // Act
      const atLimitFindings = check(atLimit);
      const overFindings = check(over);

      // Assess
      expect(atLimitFindings).toEqual([]);
      expect(overFindings).toEqual([
        expect.objectContaining({
          code: 'CLASS_TOO_LARGE',
          path: ['classes', 1, 'placesPerClass'],
          data: { classType: type, max, actual: max + 1 },
        }),
      ]);
    });

    it('reports each oversized class group once', () => {
      // Prepare
      const form = compliantRegistrationForm({
        classes: [
          { type: 'infant', count: 3, placesPerClass: 11 },
          { type: 'toddler', count: 1, placesPerClass: 15 },
          { type: 'preschool', count: 1, placesPerClass: 25 },
        ],
      });

      // Act
      const findings = check(form);

      // Assess
      expect(findings.map((item) => item.path)).toEqual([
        ['classes', 0, 'placesPerClass'],
        ['classes', 2, 'placesPerClass'],
      ]);
    });
  });

  describe('caregiver ratio', () => {
    // 2 × ceil(10/3) + 1 × ceil(11/5) + 1 × ceil(8/7) = 8 + 3 + 2 = 13
    const classes = [
      { type: 'infant', count: 2, placesPerClass: 10 },
      { type: 'toddler', count: 1, placesPerClass: 11 },
      { type: 'preschool', count: 1, placesPerClass: 8 },
    ] as const;

    it('accepts the ratio exactly met', () => {
      // Prepare
      const form = compliantRegistrationForm({ classes: [...classes], staff: staffWith(13) });

      // Act
      const findings = check(form);

      // Assess
      expect(findings).toEqual([]);
    });

    it('reports required and actual caregivers when one short', () => {
      // Prepare
      const form = compliantRegistrationForm({ classes: [...classes], staff: staffWith(12) });

      // Act
      const findings = check(form);

      // Assess
      expect(findings).toEqual([
        {
          code: 'STAFF_RATIO_LOW',
          message: {
            'zh-CN':
              '按乳儿班1:3、托小班1:5、托大班1:7的保育人员与幼儿比例，所报班级至少需要保育人员13名，申报为12名',
            en: expect.stringContaining('at least 13 caregivers; 12 were filed'),
          },
          path: ['staff'],
          data: { required: 13, actual: 12 },
        },
      ]);
    });

    it('holds mixed classes to 1:5', () => {
      // Prepare: 18 children need 4 caregivers at 1:5 (6 at 1:3, 3 at 1:7)
      const mixed = [{ type: 'mixed', count: 1, placesPerClass: 18 }] as const;
      const met = compliantRegistrationForm({ classes: [...mixed], staff: staffWith(4) });
      const short = compliantRegistrationForm({ classes: [...mixed], staff: staffWith(3) });

      // Act
      const metFindings = check(met);
      const shortFindings = check(short);

      // Assess
      expect(metFindings).toEqual([]);
      expect(shortFindings).toEqual([
        expect.objectContaining({ code: 'STAFF_RATIO_LOW', data: { required: 4, actual: 3 } }),
      ]);
      expect(shortFindings[0]?.message['zh-CN']).toContain('混龄班1:5');
    });

    it('counts only caregivers towards the ratio', () => {
      // Prepare: 15 toddlers need 3 caregivers; 6 staff, 2 of them caregivers
      const form = compliantRegistrationForm({
        classes: [{ type: 'toddler', count: 1, placesPerClass: 15 }],
        staff: staffWith(2),
      });

      // Act
      const findings = check(form);

      // Assess
      expect(form.staff).toHaveLength(6);
      expect(findings).toEqual([
        expect.objectContaining({ code: 'STAFF_RATIO_LOW', data: { required: 3, actual: 2 } }),
      ]);
    });
  });

  describe('staff', () => {
    it('reports a filing without a director or a health worker', () => {
      // Prepare
      const base = compliantRegistrationForm();
      const staff = base.staff.filter(
        (member) => member.role !== 'director' && member.role !== 'health',
      );

      // Act
      const findings = check({ ...base, staff });

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({ code: 'NO_DIRECTOR', path: ['staff'] }),
        expect.objectContaining({ code: 'NO_HEALTH_STAFF', path: ['staff'] }),
      ]);
    });

    it('reports each member without a health certificate by position and name, never ID number', () => {
      // Prepare
      const base = compliantRegistrationForm();
      const staff = base.staff.map((member, index) =>
        index === 2 || index === 5 ? { ...member, healthCertified: false } : member,
      );
      const [, , cook, , , caregiver] = staff;
      if (!cook || !caregiver) throw new Error('the fixture has fewer staff than expected');

      // Act
      const findings = check({ ...base, staff });

      // Assess
      expect(cook.role).toBe('cook');
      expect(caregiver.role).toBe('caregiver');
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'STAFF_NOT_HEALTH_CERTIFIED',
          path: ['staff', 2, 'healthCertified'],
          data: { role: 'cook' },
        }),
        expect.objectContaining({
          code: 'STAFF_NOT_HEALTH_CERTIFIED',
          path: ['staff', 5, 'healthCertified'],
          data: { role: 'caregiver' },
        }),
      ]);
      expect(findings[0]?.message['zh-CN']).toContain(`炊事人员${cook.name}`);
      expect(findings[1]?.message['zh-CN']).toContain(`保育人员${caregiver.name}`);
      const text = JSON.stringify(findings);
      expect(text).not.toContain(cook.idNumber);
      expect(text).not.toContain(caregiver.idNumber);
    });
  });

  describe('premises', () => {
    it('accepts a lease of exactly 3 years', () => {
      // Prepare
      const form = compliantRegistrationForm({
        premises: { indoorAreaM2: 300, outdoorAreaM2: 0, leaseYears: 3 },
      });

      // Act
      const findings = check(form);

      // Assess
      expect(findings).toEqual([]);
    });

    it('reports a lease of 2.9 years', () => {
      // Prepare
      const form = compliantRegistrationForm({
        premises: { indoorAreaM2: 300, outdoorAreaM2: 0, leaseYears: 2.9 },
      });

      // Act
      const findings = check(form);

      // Assess
      expect(findings).toEqual([
        {
          code: 'LEASE_TOO_SHORT',
          message: {
            'zh-CN': '场地租赁期限应不少于3年，申报为2.9年',
            en: 'The premises must be leased for at least 3 years; 2.9 years were filed',
          },
          path: ['premises', 'leaseYears'],
          data: { required: 3, actual: 2.9 },
        },
      ]);
    });
  });

  describe('documents', () => {
    it('needs no food licence without meals', () => {
      // Prepare
      const form = compliantRegistrationForm({ providesMeals: false });

      // Act
      const findings = check(form);

      // Assess
      expect(form.documents.map((document) => document.kind)).not.toContain('food-license');
      expect(findings).toEqual([]);
    });

    it('needs a food licence with meals', () => {
      // Prepare
      const form = compliantRegistrationForm({
        providesMeals: true,
        documents: compliantRegistrationForm({ providesMeals: false }).documents,
      });

      // Act
      const findings = check(form);

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'MISSING_DOCUMENT',
          path: ['documents'],
          data: { kind: 'food-license' },
        }),
      ]);
    });

    it('reports every missing kind, in the order of the standard', () => {
      // Prepare
      const form = compliantRegistrationForm({ documents: [] });

      // Act
      const findings = check(form);

      // Assess
      expect(findings.map((item) => item.data?.kind)).toEqual([
        'business-license',
        'premises-proof',
        'fire-safety',
        'health-evaluation',
        'staff-health',
        'food-license',
      ]);
      expect(new Set(codes(findings))).toEqual(new Set(['MISSING_DOCUMENT']));
    });

    it('reports each ref that was never uploaded, once', () => {
      // Prepare
      const form = compliantRegistrationForm({
        documents: [
          { kind: 'business-license', ref: 'up-1' },
          { kind: 'premises-proof', ref: 'lost-1' },
          { kind: 'fire-safety', ref: 'up-2' },
          { kind: 'health-evaluation', ref: 'lost-2' },
          { kind: 'staff-health', ref: 'lost-1' },
          { kind: 'food-license', ref: 'up-3' },
        ],
      });

      // Act
      const findings = check(form, { uploadedRefs: new Set(['up-1', 'up-2', 'up-3']) });

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'DOCUMENT_NOT_UPLOADED',
          path: ['documents', 1, 'ref'],
          data: { kind: 'premises-proof', ref: 'lost-1' },
        }),
        expect.objectContaining({
          code: 'DOCUMENT_NOT_UPLOADED',
          path: ['documents', 3, 'ref'],
          data: { kind: 'health-evaluation', ref: 'lost-2' },
        }),
      ]);
      expect(findings[0]?.message['zh-CN']).toContain('场地证明');
    });

    it('does not look at uploads when none are given', () => {
      // Prepare
      const form = compliantRegistrationForm();

      // Act
      const findings = standardsFindings(form, { enterprise: enterpriseFor(form) });

      // Assess
      expect(findings).toEqual([]);
    });
  });

  describe('enterprise', () => {
    it('reports an enterprise market supervision does not know, and nothing else about it', () => {
      // Prepare
      const form = compliantRegistrationForm();

      // Act
      const findings = check(form, { enterprise: undefined });

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'ENTERPRISE_NOT_FOUND',
          path: ['organisation', 'uscc'],
          data: { uscc: form.organisation.uscc },
        }),
      ]);
      expect(findings[0]?.message['zh-CN']).toContain(form.organisation.uscc);
    });

    it('reports a revoked enterprise', () => {
      // Prepare
      const form = compliantRegistrationForm();
      const enterprise = { ...enterpriseFor(form), status: 'revoked' as const };

      // Act
      const findings = check(form, { enterprise });

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({ code: 'ENTERPRISE_NOT_ACTIVE', path: ['organisation', 'uscc'] }),
      ]);
      expect(findings[0]?.message['zh-CN']).toContain('已吊销');
    });

    it('reports a name that differs from the registered one', () => {
      // Prepare
      const form = compliantRegistrationForm();
      const enterprise = { ...enterpriseFor(form), name: '湖州吴兴禾苗教育咨询有限公司' };

      // Act
      const findings = check(form, { enterprise });

      // Assess
      expect(findings).toEqual([
        expect.objectContaining({
          code: 'ENTERPRISE_NAME_MISMATCH',
          path: ['organisation', 'name'],
          data: { registeredName: '湖州吴兴禾苗教育咨询有限公司' },
        }),
      ]);
      expect(findings[0]?.message['zh-CN']).toContain('湖州吴兴禾苗教育咨询有限公司');
      expect(findings[0]?.message['zh-CN']).toContain(form.organisation.name);
    });

    it('ignores spaces around the registered name', () => {
      // Prepare
      const form = compliantRegistrationForm();
      const enterprise = { ...enterpriseFor(form), name: ` ${form.organisation.name}\u3000` };

      // Act
      const findings = check(form, { enterprise });

      // Assess
      expect(findings).toEqual([]);
    });

    it('reports a revoked enterprise with the wrong name twice over', () => {
      // Prepare
      const form = compliantRegistrationForm();
      const enterprise = { ...enterpriseFor(form), name: '别的公司', status: 'revoked' as const };

      // Act
      const findings = check(form, { enterprise });

      // Assess
      expect(codes(findings)).toEqual(['ENTERPRISE_NOT_ACTIVE', 'ENTERPRISE_NAME_MISMATCH']);
    });
  });

  it('lists everything at once, organisation first and documents last, the same way every time', () => {
    // Prepare
    const base = compliantRegistrationForm();
    const form = compliantRegistrationForm({
      classes: [{ type: 'infant', count: 1, placesPerClass: 12 }],
      staff: base.staff
        .filter((member) => member.role !== 'director')
        .map((member, index) => (index === 0 ? { ...member, healthCertified: false } : member))
        .slice(0, 3),
      premises: { indoorAreaM2: 300, outdoorAreaM2: 0, leaseYears: 1 },
      documents: base.documents.filter((document) => document.kind !== 'staff-health'),
    });
    const facts = {
      enterprise: { ...enterpriseFor(form), name: '别的公司' },
      uploadedRefs: new Set<string>(),
    };

    // Act
    const first = standardsFindings(form, facts);
    const second = standardsFindings(form, facts);

    // Assess
    expect(codes(first)).toEqual([
      'ENTERPRISE_NAME_MISMATCH',
      'CLASS_TOO_LARGE',
      'STAFF_RATIO_LOW',
      'NO_DIRECTOR',
      'STAFF_NOT_HEALTH_CERTIFIED',
      'LEASE_TOO_SHORT',
      'MISSING_DOCUMENT',
      'DOCUMENT_NOT_UPLOADED',
      'DOCUMENT_NOT_UPLOADED',
      'DOCUMENT_NOT_UPLOADED',
      'DOCUMENT_NOT_UPLOADED',
      'DOCUMENT_NOT_UPLOADED',
    ]);
    expect(second).toEqual(first);
  });
});

describe('findingsNote', () => {
  const lease = (actual: number): Finding => ({
    code: 'LEASE_TOO_SHORT',
    message: { 'zh-CN': `场地租赁期限应不少于3年，申报为${actual}年`, en: `Lease ${actual}` },
    path: ['premises', 'leaseYears'],
  });

  it('numbers every finding, one per line', () => {
    // Prepare
    const findings = [lease(1), lease(2)];

    // Act
    const note = findingsNote(findings);

    // Assess
    expect(note).toBe(
      '1. 场地租赁期限应不少于3年，申报为1年\n2. 场地租赁期限应不少于3年，申报为2年',
    );
  });

  it('writes English on request', () => {
    // Prepare / Act
    const note = findingsNote([lease(1), lease(2)], 'en');

    // Assess
    expect(note).toBe('1. Lease 1\n2. Lease 2');
  });

  it('is empty without findings', () => {
    // Prepare / Act
    const note = findingsNote([]);

    // Assess
    expect(note).toBe('');
  });

  it('keeps whole findings within 1000 characters and says how many there are', () => {
    // Prepare: lines of 21 to 23 characters, about 1400 in all
    const findings = Array.from({ length: 60 }, (_, i) => lease(i + 1));

    // Act
    const note = findingsNote(findings);

    // Assess
    expect(note.length).toBeLessThanOrEqual(1000);
    expect(note.length).toBeGreaterThan(950);
    expect(note).toMatch(/^1\. 场地租赁期限/);
    expect(note.endsWith('\n…等60项')).toBe(true);
    const lines = note.split('\n').slice(0, -1);
    expect(lines.at(-1)).toMatch(new RegExp(`^${lines.length}\\. .*申报为${lines.length}年$`));
  });

  it('leaves a note of exactly 1000 characters alone', () => {
    // Prepare: one finding whose line is 1000 characters long
    const long: Finding = { ...lease(1), message: { 'zh-CN': '长'.repeat(997), en: 'x' } };

    // Act
    const note = findingsNote([long]);

    // Assess
    expect(note).toHaveLength(1000);
    expect(note).not.toContain('等');
  });

  it('cuts a single finding too long to fit', () => {
    // Prepare
    const long: Finding = { ...lease(1), message: { 'zh-CN': '长'.repeat(1200), en: 'x' } };

    // Act
    const note = findingsNote([long, lease(2)]);

    // Assess
    expect(note.length).toBeLessThanOrEqual(1000);
    expect(note.endsWith('\n…等2项')).toBe(true);
    expect(note.startsWith('1. 长长')).toBe(true);
  });
});
