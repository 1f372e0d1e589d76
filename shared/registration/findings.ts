import * as z from 'zod';
import type { LocalizedText } from '../errors/localized.ts';
import type { Enterprise } from '../registries/registry-records.ts';
import type { ClassType, DocumentKind, StaffRole } from './registration-form.ts';

/*
 * Where a 托育机构备案 filing falls short of the standards, as stable codes (the workflow, stored
 * cases and clients branch on them; a code never changes meaning once published) with texts a
 * provider can act on. Texts quote the figures they were judged by and may be reworded freely.
 * Codes are listed in the order a provider should read them: organisation, classes, staff,
 * premises, documents.
 */
export const findingCodes = [
  'ENTERPRISE_NOT_FOUND',
  'ENTERPRISE_NOT_ACTIVE',
  'ENTERPRISE_NAME_MISMATCH',
  'CLASS_TOO_LARGE',
  'STAFF_RATIO_LOW',
  'NO_DIRECTOR',
  'NO_HEALTH_STAFF',
  'STAFF_NOT_HEALTH_CERTIFIED',
  'LEASE_TOO_SHORT',
  'MISSING_DOCUMENT',
  'DOCUMENT_NOT_UPLOADED',
] as const;

export const findingCodeSchema = z.enum(findingCodes);
export type FindingCode = z.infer<typeof findingCodeSchema>;

/** Findings travel through the workflow as JSON and are stored on the case. */
export const findingSchema = z
  .object({
    code: findingCodeSchema,
    message: z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) }).strict(),
    /** Into the form: `['classes', 0, 'placesPerClass']`, `['documents']`. */
    path: z.array(z.union([z.string(), z.int().nonnegative()])),
    /** The figures behind the finding, for machines: `{ required: 6, actual: 4 }`. */
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Finding = z.infer<typeof findingSchema>;

export const classTypeNames: Readonly<Record<ClassType, LocalizedText>> = {
  infant: { 'zh-CN': '乳儿班', en: 'Infant classes' },
  toddler: { 'zh-CN': '托小班', en: 'Toddler classes' },
  preschool: { 'zh-CN': '托大班', en: 'Preschool classes' },
  mixed: { 'zh-CN': '混龄班', en: 'Mixed-age classes' },
};

export const staffRoleNames: Readonly<Record<StaffRole, LocalizedText>> = {
  director: { 'zh-CN': '负责人', en: 'Director' },
  caregiver: { 'zh-CN': '保育人员', en: 'Caregiver' },
  health: { 'zh-CN': '保健人员', en: 'Health worker' },
  cook: { 'zh-CN': '炊事人员', en: 'Cook' },
  security: { 'zh-CN': '安保人员', en: 'Security guard' },
};

/** As the materials are called on the certificates themselves. */
export const documentKindNames: Readonly<Record<DocumentKind, LocalizedText>> = {
  'business-license': { 'zh-CN': '营业执照', en: 'business licence' },
  'premises-proof': {
    'zh-CN': '场地证明（房屋产权证明或租赁合同）',
    en: 'proof of premises (title deed or lease)',
  },
  'fire-safety': { 'zh-CN': '消防安全检查合格证明', en: 'fire safety inspection certificate' },
  'health-evaluation': { 'zh-CN': '托育机构卫生评价报告', en: 'health evaluation report' },
  'food-license': { 'zh-CN': '食品经营许可证', en: 'food business licence' },
  'staff-health': { 'zh-CN': '工作人员健康合格证明', en: 'staff health certificates' },
};

const enterpriseStatusNames: Readonly<
  Record<Exclude<Enterprise['status'], 'active'>, LocalizedText>
> = {
  revoked: { 'zh-CN': '已吊销', en: 'revoked' },
};

/** What each finding's text quotes. */
export interface FindingParams {
  ENTERPRISE_NOT_FOUND: { uscc: string };
  ENTERPRISE_NOT_ACTIVE: { uscc: string; status: Exclude<Enterprise['status'], 'active'> };
  ENTERPRISE_NAME_MISMATCH: { registeredName: string; filedName: string };
  CLASS_TOO_LARGE: { classType: ClassType; max: number; actual: number };
  STAFF_RATIO_LOW: {
    required: number;
    actual: number;
    /** The ratios the requirement was summed from, one per class type filed. */
    ratios: readonly { classType: ClassType; childrenPerCaregiver: number }[];
  };
  NO_DIRECTOR: Record<string, never>;
  NO_HEALTH_STAFF: Record<string, never>;
  STAFF_NOT_HEALTH_CERTIFIED: { role: StaffRole; name: string };
  LEASE_TOO_SHORT: { required: number; actual: number };
  MISSING_DOCUMENT: { kind: DocumentKind; becauseOfMeals: boolean };
  DOCUMENT_NOT_UPLOADED: { kind: DocumentKind; ref: string };
}

interface Definition<P> {
  readonly text: (params: P) => LocalizedText;
  /** Defaults to the params; people's names stay in the text, never in data. */
  readonly data?: (params: P) => Record<string, unknown> | undefined;
}

const definitions: { readonly [C in FindingCode]: Definition<FindingParams[C]> } = {
  ENTERPRISE_NOT_FOUND: {
    text: ({ uscc }) => ({
      'zh-CN': `市场监管登记中查不到统一社会信用代码为${uscc}的主体，请核对统一社会信用代码`,
      en: `Market supervision has no business with the unified social credit code ${uscc}; please check the code`,
    }),
  },
  ENTERPRISE_NOT_ACTIVE: {
    text: ({ uscc, status }) => ({
      'zh-CN': `市场监管登记显示该主体（${uscc}）${enterpriseStatusNames[status]['zh-CN']}，不能办理备案`,
      en: `Market supervision lists the business ${uscc} as ${enterpriseStatusNames[status].en}, so it cannot be registered`,
    }),
  },
  ENTERPRISE_NAME_MISMATCH: {
    text: ({ registeredName, filedName }) => ({
      'zh-CN': `机构名称应与营业执照一致：登记名称为「${registeredName}」，申报为「${filedName}」`,
      en: `The name must match the business licence: registered as “${registeredName}”, filed as “${filedName}”`,
    }),
    data: ({ registeredName }) => ({ registeredName }),
  },
  CLASS_TOO_LARGE: {
    text: ({ classType, max, actual }) => ({
      'zh-CN': `${classTypeNames[classType]['zh-CN']}每班不超过${max}人，申报为${actual}人`,
      en: `${classTypeNames[classType].en} take at most ${max} children; ${actual} ${actual === 1 ? 'was' : 'were'} filed`,
    }),
  },
  STAFF_RATIO_LOW: {
    text: ({ required, actual, ratios }) => ({
      'zh-CN': `按${ratios
        .map((r) => `${classTypeNames[r.classType]['zh-CN']}1:${r.childrenPerCaregiver}`)
        .join('、')}的保育人员与幼儿比例，所报班级至少需要保育人员${required}名，申报为${actual}名`,
      en: `At ${ratios
        .map(
          (r) =>
            `1 caregiver per ${r.childrenPerCaregiver} in ${classTypeNames[r.classType].en.toLowerCase()}`,
        )
        .join(
          ', ',
        )}, the classes filed need at least ${required} caregivers; ${actual} ${actual === 1 ? 'was' : 'were'} filed`,
    }),
    data: ({ required, actual }) => ({ required, actual }),
  },
  NO_DIRECTOR: {
    text: () => ({
      'zh-CN': '未申报机构负责人，托育机构应当有负责人',
      en: 'No director was filed; every childcare provider must have one',
    }),
  },
  NO_HEALTH_STAFF: {
    text: () => ({
      'zh-CN': '未申报保健人员，托育机构应当配备保健人员',
      en: 'No health worker was filed; every childcare provider must have one',
    }),
  },
  STAFF_NOT_HEALTH_CERTIFIED: {
    text: ({ role, name }) => ({
      'zh-CN': `${staffRoleNames[role]['zh-CN']}${name}未持有有效的健康证，工作人员须取得健康证后方可上岗`,
      en: `${staffRoleNames[role].en} ${name} has no valid health certificate; every member of staff needs one before starting work`,
    }),
    data: ({ role }) => ({ role }),
  },
  LEASE_TOO_SHORT: {
    text: ({ required, actual }) => ({
      'zh-CN': `场地租赁期限应不少于${required}年，申报为${actual}年`,
      en: `The premises must be leased for at least ${required} years; ${actual} ${actual === 1 ? 'year was' : 'years were'} filed`,
    }),
  },
  MISSING_DOCUMENT: {
    text: ({ kind, becauseOfMeals }) => ({
      'zh-CN': `缺少${documentKindNames[kind]['zh-CN']}${becauseOfMeals ? '（提供餐食的机构须提交）' : ''}，请补充上传`,
      en: `The ${documentKindNames[kind].en} is missing${becauseOfMeals ? ' (required when meals are served)' : ''}; please upload it`,
    }),
    data: ({ kind }) => ({ kind }),
  },
  DOCUMENT_NOT_UPLOADED: {
    text: ({ kind, ref }) => ({
      'zh-CN': `${documentKindNames[kind]['zh-CN']}所引用的文件（${ref}）未上传成功，请重新上传`,
      en: `The file given for the ${documentKindNames[kind].en} (${ref}) was never uploaded; please upload it again`,
    }),
  },
};

/** A finding with its texts, at `path` in the form. */
export function finding<C extends FindingCode>(
  code: C,
  params: FindingParams[C],
  path: readonly (string | number)[],
): Finding {
  const definition = definitions[code] as Definition<FindingParams[C]>;
  const message = definition.text(params);
  const data = definition.data
    ? definition.data(params)
    : (params as Record<string, unknown> | undefined);
  return data !== undefined && Object.keys(data).length > 0
    ? { code, message: { ...message }, path: [...path], data }
    : { code, message: { ...message }, path: [...path] };
}
