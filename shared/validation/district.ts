import * as z from 'zod';
import type { ValidationMessageKey } from './messages.ts';

/*
 * Huzhou's five county-level divisions plus 南太湖新区. The new area is a functional zone
 * (功能区): it runs its own services like a district, but it is not an administrative division and
 * has no GB/T 2260 code of its own, hence `divisionCode: null`. Its residents' addresses still
 * carry the code of the division the place formally belongs to.
 */

const DISTRICT_IDS = ['wuxing', 'nanxun', 'nantaihu', 'deqing', 'changxing', 'anji'] as const;

/** Error maps get the input; undefined falls through so a missing field still reads "required". */
function keyUnlessMissing(key: ValidationMessageKey) {
  return (issue: { readonly input?: unknown }) => (issue.input === undefined ? undefined : key);
}

/** Where a case or a provider belongs: one of the six areas, never the city itself. */
export const districtSchema = z.enum(DISTRICT_IDS, { error: keyUnlessMissing('DISTRICT_INVALID') });

/** Where a staff member works: a district, or `city` for city-level staff who see every district. */
export const staffDistrictSchema = z.enum([...DISTRICT_IDS, 'city'], {
  error: keyUnlessMissing('STAFF_DISTRICT_INVALID'),
});

export type District = z.infer<typeof districtSchema>;
export type StaffDistrict = z.infer<typeof staffDistrictSchema>;

export interface DistrictInfo {
  readonly id: StaffDistrict;
  readonly name: { readonly 'zh-CN': string; readonly en: string };
  /** GB/T 2260 code; null for the functional zone, which has none. */
  readonly divisionCode: string | null;
  readonly level: 'city' | 'district' | 'county' | 'functional-zone';
}

export const districts: readonly DistrictInfo[] = [
  {
    id: 'wuxing',
    name: { 'zh-CN': '吴兴区', en: 'Wuxing District' },
    divisionCode: '330502',
    level: 'district',
  },
  {
    id: 'nanxun',
    name: { 'zh-CN': '南浔区', en: 'Nanxun District' },
    divisionCode: '330503',
    level: 'district',
  },
  {
    id: 'nantaihu',
    name: { 'zh-CN': '南太湖新区', en: 'South Taihu New Area' },
    divisionCode: null,
    level: 'functional-zone',
  },
  {
    id: 'deqing',
    name: { 'zh-CN': '德清县', en: 'Deqing County' },
    divisionCode: '330521',
    level: 'county',
  },
  {
    id: 'changxing',
    name: { 'zh-CN': '长兴县', en: 'Changxing County' },
    divisionCode: '330522',
    level: 'county',
  },
  {
    id: 'anji',
    name: { 'zh-CN': '安吉县', en: 'Anji County' },
    divisionCode: '330523',
    level: 'county',
  },
  {
    id: 'city',
    name: { 'zh-CN': '湖州市', en: 'Huzhou City' },
    divisionCode: '330500',
    level: 'city',
  },
];

/** The entry for an id; every StaffDistrict has one. */
export function districtInfo(id: StaffDistrict): DistrictInfo {
  const info = districts.find((district) => district.id === id);
  if (info === undefined) throw new RangeError(`Unknown district ${id}`);
  return info;
}
