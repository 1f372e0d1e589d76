import { describe, expect, it } from 'vitest';
import {
  type District,
  districtInfo,
  districtSchema,
  districts,
  type StaffDistrict,
  staffDistrictSchema,
} from '../../../shared/validation/district.ts';
import { validationMessages } from '../../../shared/validation/messages.ts';

const areas: District[] = ['wuxing', 'nanxun', 'nantaihu', 'deqing', 'changxing', 'anji'];

describe('districtSchema', () => {
  it.each(areas)('accepts %s', (id) => {
    // Prepare / Act
    const result = districtSchema.safeParse(id);

    // Assess
    expect(result).toEqual({ success: true, data: id });
  });

  it.each(['city', 'huzhou', 'Wuxing', 'xihu', '330502', ''])('rejects %s', (input) => {
    // Prepare / Act
    const result = districtSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['DISTRICT_INVALID']);
    expect(validationMessages.DISTRICT_INVALID).toBeDefined();
  });

  it('leaves a missing value to the default "required" wording', () => {
    // Prepare / Act
    const result = districtSchema.safeParse(undefined);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).not.toBe('DISTRICT_INVALID');
  });
});

describe('staffDistrictSchema', () => {
  it.each<StaffDistrict>([...areas, 'city'])('accepts %s', (id) => {
    // Prepare / Act
    const result = staffDistrictSchema.safeParse(id);

    // Assess
    expect(result).toEqual({ success: true, data: id });
  });

  it.each(['huzhou', 'hangzhou', 'CITY'])('rejects %s', (input) => {
    // Prepare / Act
    const result = staffDistrictSchema.safeParse(input);

    // Assess
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['STAFF_DISTRICT_INVALID']);
  });
});

describe('districts', () => {
  it.each([
    { id: 'wuxing', zh: '吴兴区', code: '330502' },
    { id: 'nanxun', zh: '南浔区', code: '330503' },
    { id: 'nantaihu', zh: '南太湖新区', code: null },
    { id: 'deqing', zh: '德清县', code: '330521' },
    { id: 'changxing', zh: '长兴县', code: '330522' },
    { id: 'anji', zh: '安吉县', code: '330523' },
    { id: 'city', zh: '湖州市', code: '330500' },
  ] as const)('lists $id as $zh ($code)', ({ id, zh, code }) => {
    // Prepare / Act
    const info = districtInfo(id);

    // Assess
    expect(info.name['zh-CN']).toBe(zh);
    expect(info.name.en).not.toBe('');
    expect(info.divisionCode).toBe(code);
  });

  it('has exactly one entry per staff district', () => {
    // Prepare
    const expected = [...staffDistrictSchema.options].sort();

    // Act
    const ids = districts.map((district) => district.id).sort();

    // Assess
    expect(ids).toEqual(expected);
  });

  it('keeps every county-level code under Huzhou (3305xx)', () => {
    // Prepare / Act
    const codes = districts.flatMap((district) => district.divisionCode ?? []);

    // Assess
    expect(codes).toHaveLength(6);
    for (const code of codes) expect(code).toMatch(/^3305\d\d$/);
  });
});
