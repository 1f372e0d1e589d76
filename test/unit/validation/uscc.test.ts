import { describe, expect, it } from 'vitest';
import { validationMessages } from '../../../shared/validation/messages.ts';
import { isValidUscc, usccCheckCharacter, usccSchema } from '../../../shared/validation/uscc.ts';
import { withUsccCheck, withWrongLastCharacter } from './check-characters.ts';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const validCodes = [
  // Sample printed in guides to GB 32100.
  '91350100M000100Y43',
  withUsccCheck('91330502MA2B3C4D5'), // 企业, 吴兴区
  withUsccCheck('92330523MA2JK7L81'), // 个体工商户, 安吉县
  withUsccCheck('93330522MA2D0E1F2'), // 农民专业合作社, 长兴县
  withUsccCheck('12330500470012345'), // 事业单位, 湖州市
  withUsccCheck('52330521MJ1234567'), // 民办非企业单位, 德清县
  withUsccCheck('31330000MD0123456'), // 律师事务所
  withUsccCheck('N2330503MF1234567'), // 村级集体经济组织, 南浔区
  withUsccCheck('Y1330500MA1234567'), // 其他
];

const invalidCodes = [
  {
    label: 'wrong check character',
    value: withWrongLastCharacter('91350100M000100Y43', USCC_ALPHABET),
    problems: ['USCC_CHECK_CHARACTER'],
  },
  { label: 'an I', value: '91330502MA2B3I4D51', problems: ['USCC_FORMAT'] },
  { label: 'an O', value: '91330502MA2B3O4D51', problems: ['USCC_FORMAT'] },
  { label: 'a Z', value: '91330502MA2B3Z4D51', problems: ['USCC_FORMAT'] },
  { label: 'an S', value: '91330502MA2B3S4D51', problems: ['USCC_FORMAT'] },
  { label: 'a V', value: '91330502MA2B3V4D51', problems: ['USCC_FORMAT'] },
  { label: '17 characters', value: '91350100M000100Y4', problems: ['USCC_FORMAT'] },
  { label: '19 characters', value: '91350100M000100Y431', problems: ['USCC_FORMAT'] },
  { label: 'punctuation', value: '91350100-000100Y43', problems: ['USCC_FORMAT'] },
  { label: 'empty', value: '', problems: ['USCC_FORMAT'] },
  { label: 'authority 0', value: withUsccCheck('01330502MA2B3C4D5'), problems: ['USCC_CATEGORY'] },
  { label: 'authority B', value: withUsccCheck('B1330502MA2B3C4D5'), problems: ['USCC_CATEGORY'] },
  {
    label: 'category 4 under 工商',
    value: withUsccCheck('94330502MA2B3C4D5'),
    problems: ['USCC_CATEGORY'],
  },
  {
    label: 'category 2 under 其他',
    value: withUsccCheck('Y2330502MA2B3C4D5'),
    problems: ['USCC_CATEGORY'],
  },
  {
    label: 'letter category',
    value: withUsccCheck('9A330502MA2B3C4D5'),
    problems: ['USCC_CATEGORY'],
  },
  {
    label: 'letter in the area code',
    value: withUsccCheck('9133A502MA2B3C4D5'),
    problems: ['USCC_AREA_CODE'],
  },
  {
    label: 'everything but the shape wrong',
    value: withWrongLastCharacter(withUsccCheck('0A33A502MA2B3C4D5'), USCC_ALPHABET),
    problems: ['USCC_CATEGORY', 'USCC_AREA_CODE', 'USCC_CHECK_CHARACTER'],
  },
] as const;

describe('isValidUscc', () => {
  it.each(validCodes)('accepts %s', (value) => {
    // Prepare / Act
    const valid = isValidUscc(value);

    // Assess
    expect(valid).toBe(true);
  });

  it.each(invalidCodes)('rejects $label ($value)', ({ value }) => {
    // Prepare / Act
    const valid = isValidUscc(value);

    // Assess
    expect(valid).toBe(false);
  });
});

describe('usccSchema', () => {
  it.each(validCodes)('parses %s, also written in lower case', (value) => {
    // Prepare
    const input = ` ${value.toLowerCase()} `;

    // Act
    const result = usccSchema.safeParse(input);

    // Assess
    expect(result).toEqual({ success: true, data: value });
  });

  it.each(invalidCodes)('reports $problems for $label', ({ value, problems }) => {
    // Prepare / Act
    const result = usccSchema.safeParse(value);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(problems);
    for (const key of problems) expect(validationMessages[key]).toBeDefined();
  });
});

describe('usccCheckCharacter', () => {
  it.each([
    '91350100M000100Y4',
    '91330502MA2B3C4D5',
    '12330500470012345',
    'N2330503MF1234567',
    '52330521MJ1234567',
    '00000000000000000',
    'YYYYYYYYYYYYYYYYY',
  ])('matches the independent MOD 31 computation for %s', (first17) => {
    // Prepare
    const expected = withUsccCheck(first17).charAt(17);

    // Act
    const check = usccCheckCharacter(first17);

    // Assess
    expect(check).toBe(expected);
  });

  it.each(['91350100M000100Y', '91350100M000100Y43', '91350100I000100Y4'])(
    'refuses %s',
    (input) => {
      // Prepare / Act
      const act = () => usccCheckCharacter(input);

      // Assess
      expect(act).toThrow(RangeError);
    },
  );
});
