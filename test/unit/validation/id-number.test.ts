import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  InvalidIdNumberError,
  idNumberCheckDigit,
  idNumberSchema,
  isValidIdNumber,
  maskIdNumber,
  parseIdNumber,
} from '../../../shared/validation/id-number.ts';
import { validationMessages } from '../../../shared/validation/messages.ts';
import { withIdCheckDigit, withWrongLastCharacter } from './check-characters.ts';

// 2025-06-01T16:30Z is already 2025-06-02 00:30 in Beijing: the date ID numbers are checked against.
const NOW = new Date('2025-06-01T16:30:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

const validIds = [
  // The standard's own sample.
  { value: '11010519491231002X', areaCode: '110105', birthDate: '1949-12-31', sex: 'female' },
  {
    value: withIdCheckDigit('33050220230615123'),
    areaCode: '330502',
    birthDate: '2023-06-15',
    sex: 'male',
  },
  {
    value: withIdCheckDigit('33052120000229002'),
    areaCode: '330521',
    birthDate: '2000-02-29',
    sex: 'female',
  },
  {
    value: withIdCheckDigit('11010119000101001'),
    areaCode: '110101',
    birthDate: '1900-01-01',
    sex: 'male',
  },
  {
    value: withIdCheckDigit('82000020250602004'),
    areaCode: '820000',
    birthDate: '2025-06-02',
    sex: 'female',
  },
  {
    value: withIdCheckDigit('71000019991231995'),
    areaCode: '710000',
    birthDate: '1999-12-31',
    sex: 'male',
  },
] as const;

const invalidIds = [
  {
    label: 'wrong check digit',
    value: withWrongLastCharacter('11010519491231002X'),
    problems: ['ID_NUMBER_CHECK_DIGIT'],
  },
  {
    label: '30 February',
    value: withIdCheckDigit('11010519490230002'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: '29 February 1900 (not a leap year)',
    value: withIdCheckDigit('11010519000229002'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'month 13',
    value: withIdCheckDigit('33050220231301123'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'day 00',
    value: withIdCheckDigit('33050220230100123'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'born tomorrow (Beijing time)',
    value: withIdCheckDigit('33050220250603123'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'born in 2999',
    value: withIdCheckDigit('33050229990101123'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'born before 1900',
    value: withIdCheckDigit('11010518991231002'),
    problems: ['ID_NUMBER_BIRTH_DATE'],
  },
  {
    label: 'province 00',
    value: withIdCheckDigit('00010519491231002'),
    problems: ['ID_NUMBER_PROVINCE'],
  },
  {
    label: 'province 20',
    value: withIdCheckDigit('20010519491231002'),
    problems: ['ID_NUMBER_PROVINCE'],
  },
  {
    label: 'province 83',
    value: withIdCheckDigit('83000019491231002'),
    problems: ['ID_NUMBER_PROVINCE'],
  },
  {
    label: 'province 99',
    value: withIdCheckDigit('99010519491231002'),
    problems: ['ID_NUMBER_PROVINCE'],
  },
  {
    label: 'everything but the shape wrong',
    value: withWrongLastCharacter(withIdCheckDigit('99010519490230002')),
    problems: ['ID_NUMBER_PROVINCE', 'ID_NUMBER_BIRTH_DATE', 'ID_NUMBER_CHECK_DIGIT'],
  },
  { label: '17 digits', value: '11010519491231002', problems: ['ID_NUMBER_FORMAT'] },
  { label: '19 characters', value: '11010519491231002X1', problems: ['ID_NUMBER_FORMAT'] },
  { label: 'letters', value: 'ABCDEFGHIJKLMNOPQR', problems: ['ID_NUMBER_FORMAT'] },
  { label: 'X not last', value: '1101051949123100X2', problems: ['ID_NUMBER_FORMAT'] },
  {
    label: 'a letter other than X last',
    value: '11010519491231002Y',
    problems: ['ID_NUMBER_FORMAT'],
  },
  { label: 'inner spaces', value: '110105 19491231 002X', problems: ['ID_NUMBER_FORMAT'] },
  { label: 'old 15-digit number', value: '110105491231002', problems: ['ID_NUMBER_FORMAT'] },
  { label: 'empty', value: '', problems: ['ID_NUMBER_FORMAT'] },
] as const;

describe('isValidIdNumber', () => {
  it.each(validIds)('accepts $value', ({ value }) => {
    // Prepare / Act
    const valid = isValidIdNumber(value);

    // Assess
    expect(valid).toBe(true);
  });

  it.each(invalidIds)('rejects $label ($value)', ({ value }) => {
    // Prepare / Act
    const valid = isValidIdNumber(value);

    // Assess
    expect(valid).toBe(false);
  });

  it('accepts a lowercase check x', () => {
    // Prepare
    const lower = '11010519491231002x';

    // Act
    const valid = isValidIdNumber(lower);

    // Assess
    expect(valid).toBe(true);
  });
});

describe('idNumberSchema', () => {
  it.each(validIds)('parses $value', ({ value }) => {
    // Prepare / Act
    const result = idNumberSchema.safeParse(value);

    // Assess
    expect(result).toEqual({ success: true, data: value });
  });

  it('upper-cases the check character and trims', () => {
    // Prepare
    const input = '  11010519491231002x ';

    // Act
    const result = idNumberSchema.parse(input);

    // Assess
    expect(result).toBe('11010519491231002X');
  });

  it.each(invalidIds)('reports $problems for $label', ({ value, problems }) => {
    // Prepare / Act
    const result = idNumberSchema.safeParse(value);

    // Assess
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message);
    expect(messages).toEqual(problems);
    for (const key of problems) expect(validationMessages[key]).toBeDefined();
  });

  it('rejects a number as input', () => {
    // Prepare
    const input = 110105194912310020;

    // Act
    const result = idNumberSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('invalid_type');
  });
});

describe('parseIdNumber', () => {
  it.each(validIds)(
    'reads area, birth date and sex from $value',
    ({ value, areaCode, birthDate, sex }) => {
      // Prepare / Act
      const info = parseIdNumber(value.toLowerCase());

      // Assess
      expect(info).toEqual({ areaCode, birthDate, sex });
    },
  );

  it.each(invalidIds)('throws InvalidIdNumberError for $label', ({ value, problems }) => {
    // Prepare
    let caught: unknown;

    // Act
    try {
      parseIdNumber(value);
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(caught).toBeInstanceOf(InvalidIdNumberError);
    expect((caught as InvalidIdNumberError).problems).toEqual(problems);
    // The error travels into logs: it must not carry the number.
    if (value.length > 0) expect((caught as Error).message).not.toContain(value);
  });
});

describe('idNumberCheckDigit', () => {
  it.each([
    '11010519491231002',
    '33050220230615123',
    '33052120000229002',
    '44030419850707301',
    '51010719770805113',
    '32010619950320274',
  ])('matches the independent MOD 11-2 computation for %s', (first17) => {
    // Prepare
    const expected = withIdCheckDigit(first17).charAt(17);

    // Act
    const check = idNumberCheckDigit(first17);

    // Assess
    expect(check).toBe(expected);
  });

  it.each(['1101051949123100', '1101051949123100X', '110105194912310021'])(
    'refuses %s',
    (input) => {
      // Prepare / Act
      const act = () => idNumberCheckDigit(input);

      // Assess
      expect(act).toThrow(RangeError);
    },
  );
});

describe('maskIdNumber', () => {
  it.each([
    { value: '33010219900101123X', masked: '330***********123X' },
    { value: '11010519491231002x', masked: '110***********002X' },
    { value: ' 330102199001011234 ', masked: '330***********1234' },
    // Not an ID number: still never shown in full.
    { value: '1234567', masked: '*******' },
    { value: '', masked: '' },
  ])('masks $value as $masked', ({ value, masked }) => {
    // Prepare / Act
    const result = maskIdNumber(value);

    // Assess
    expect(result).toBe(masked);
  });
});
