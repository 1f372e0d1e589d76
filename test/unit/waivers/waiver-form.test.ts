import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { validate } from '../../../shared/errors/validate.ts';
import { formMessages } from '../../../shared/forms/messages.ts';
import { waiverFormSchema } from '../../../shared/waivers/waiver-form.ts';
import { childIdBornOn, guardianId } from './fixtures.ts';

const validForm = {
  child: { name: '沈小禾', idNumber: childIdBornOn('2024-03-15') },
  guardian: { name: '沈秀英', idNumber: guardianId, phone: '13857200000' },
  providerId: 'P-WX-0001',
  hardship: { category: 'dibao', certificateNo: 'DB-330502-0001' },
  term: { from: '2026-09', to: '2027-08' },
  monthlyTuitionYuan: 1800,
  milkSubsidy: true,
};

function issuesOf(input: unknown): [string, string][] {
  const result = waiverFormSchema.safeParse(input);
  return result.success
    ? []
    : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
}

describe('waiverFormSchema', () => {
  it('accepts a complete application and trims the certificate number', () => {
    // Prepare
    const input = { ...validForm, hardship: { category: 'dibian', certificateNo: ' DB-1 ' } };

    // Act
    const form = waiverFormSchema.parse(input);

    // Assess
    expect(form.hardship).toEqual({ category: 'dibian', certificateNo: 'DB-1' });
    expect(form.term).toEqual({ from: '2026-09', to: '2027-08' });
    expect(form.milkSubsidy).toBe(true);
  });

  it.each([
    ['one month', { from: '2026-09', to: '2026-09' }],
    ['12 months across a year end', { from: '2026-09', to: '2027-08' }],
    ['12 months in one calendar year', { from: '2026-01', to: '2026-12' }],
  ])('accepts a term of %s', (_label, term) => {
    // Prepare / Act
    const issues = issuesOf({ ...validForm, term });

    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    ['reversed', { from: '2026-09', to: '2026-08' }, [['term.to', 'TERM_REVERSED']]],
    ['reversed across a year', { from: '2027-01', to: '2026-12' }, [['term.to', 'TERM_REVERSED']]],
    ['13 months long', { from: '2026-09', to: '2027-09' }, [['term.to', 'TERM_TOO_LONG']]],
    ['25 months long', { from: '2026-01', to: '2028-01' }, [['term.to', 'TERM_TOO_LONG']]],
    [
      'a malformed month, reported once',
      { from: '2026-13', to: '2027-01' },
      [['term.from', 'MONTH_FORMAT']],
    ],
  ])('refuses a term %s', (_label, term, expected) => {
    // Prepare / Act
    const issues = issuesOf({ ...validForm, term });

    // Assess
    expect(issues).toEqual(expected);
  });

  it.each([0.01, 0.29, 1234.57, 99_999.99, 100_000])('accepts a tuition of %d yuan', (yuan) => {
    // Prepare / Act
    const issues = issuesOf({ ...validForm, monthlyTuitionYuan: yuan });

    // Assess
    expect(issues).toEqual([]);
  });

  it.each([0, -1, 1.005, 1234.567, 100_000.01, Number.NaN])(
    'refuses a tuition of %d yuan',
    (yuan) => {
      // Prepare / Act
      const issues = issuesOf({ ...validForm, monthlyTuitionYuan: yuan });

      // Assess
      expect(issues.map(([path]) => path)).toEqual(['monthlyTuitionYuan']);
    },
  );

  it.each([
    ['a space', 'DB 0001', 'HARDSHIP_CERTIFICATE_INVALID'],
    ['Chinese characters', '低保0001', 'HARDSHIP_CERTIFICATE_INVALID'],
    ['65 characters', 'A'.repeat(65), undefined],
  ])('refuses a certificate number with %s', (_label, certificateNo, message) => {
    // Prepare / Act
    const issues = issuesOf({ ...validForm, hardship: { category: 'dibao', certificateNo } });

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.[0]).toBe('hardship.certificateNo');
    if (message) expect(issues[0]?.[1]).toBe(message);
  });

  it('refuses an unknown hardship category, an unknown field and a missing milk choice', () => {
    // Prepare
    const { milkSubsidy: _omitted, ...withoutMilk } = validForm;
    const input = {
      ...withoutMilk,
      hardship: { category: 'poor', certificateNo: 'DB-1' },
      discount: 10,
    };

    // Act
    const paths = issuesOf(input).map(([path]) => path);

    // Assess
    expect(paths.sort()).toEqual(['', 'hardship.category', 'milkSubsidy']);
  });

  it.each(['TERM_REVERSED', 'TERM_TOO_LONG', 'HARDSHIP_CERTIFICATE_INVALID'] as const)(
    'words %s in both languages through validate()',
    (key) => {
      // Prepare
      const bad = {
        TERM_REVERSED: { term: { from: '2026-09', to: '2026-08' } },
        TERM_TOO_LONG: { term: { from: '2026-09', to: '2027-09' } },
        HARDSHIP_CERTIFICATE_INVALID: { hardship: { category: 'dibao', certificateNo: 'A B' } },
      }[key];

      // Act
      const thrown = (() => {
        try {
          validate(waiverFormSchema, { ...validForm, ...bad });
        } catch (error) {
          return error;
        }
        return undefined;
      })();

      // Assess
      expect(thrown).toBeInstanceOf(ValidationError);
      const [detail] = (thrown as ValidationError).details;
      expect(detail?.message).toEqual(formMessages[key]);
      expect(formMessages[key]['zh-CN']).toMatch(/\p{Script=Han}/u);
      expect(formMessages[key].en).toMatch(/^[A-Z]/);
    },
  );
});
