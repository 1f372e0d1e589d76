import type { LocalizedText } from '../errors/localized.ts';

/*
 * Why a 入托补助 claim cannot be paid, as stable codes (clients and stored decisions branch on
 * them; a code never changes meaning once published) with texts a family can act on. Texts may be
 * reworded freely. Codes are listed in the order a family should read them: the claim itself, then
 * the child, then the provider.
 */
export const reasonCodes = [
  'MONTH_IN_FUTURE',
  'MONTH_TOO_OLD',
  'TOO_MANY_MONTHS',
  'CHILD_NOT_BORN',
  'CHILD_TOO_OLD',
  'CHILD_NOT_IN_REGISTRY',
  'CHILD_NAME_MISMATCH',
  'NOT_HUZHOU_HUKOU',
  'PROVIDER_NOT_REGISTERED',
  'PROVIDER_NOT_INCLUSIVE',
  'PROVIDER_SUSPENDED',
] as const;

export type ReasonCode = (typeof reasonCodes)[number];

export interface Reason {
  readonly code: ReasonCode;
  /** The `YYYY-MM` months the reason is about, ascending; absent when it is about the whole claim. */
  readonly months?: string[];
  readonly message: LocalizedText;
}

/** Policy figures a message quotes, so the text matches the rules the claim was judged under. */
export interface ReasonFacts {
  /** Default 36: 托育 serves children under three. */
  readonly ageLimitMonths?: number;
  readonly claimWindowMonths?: number;
  readonly maxMonthsPerClaim?: number;
}

interface MessageParts {
  /** ` 2027-04、2027-05 ` (spaced apart from the Chinese around it), or 部分月份 without months. */
  readonly zhMonths: string;
  /** `2027-04 and 2027-05`, or `some of the months`. */
  readonly enMonths: string;
  /** 该月 / 这些月份 */
  readonly zhWhich: string;
  /** that month / those months */
  readonly enWhich: string;
  readonly count: number;
  readonly facts: ReasonFacts;
}

function zhAge(months: number): string {
  return months % 12 === 0 ? `${months / 12}周岁` : `${months}个月`;
}

function enAge(months: number): string {
  return months % 12 === 0 ? `${months / 12}` : `${months} months old`;
}

function enList(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const texts: Record<ReasonCode, (parts: MessageParts) => LocalizedText> = {
  MONTH_IN_FUTURE: ({ zhMonths, enMonths, zhWhich, count }) => ({
    'zh-CN': `${zhMonths}还没有到，不能提前申请${zhWhich}的补助，请到时再申请`,
    en: `A month can be claimed once it has begun; ${enMonths} ${count === 1 ? 'has' : 'have'} not begun yet`,
  }),
  MONTH_TOO_OLD: ({ zhMonths, enMonths, zhWhich, enWhich, facts }) => ({
    'zh-CN':
      facts.claimWindowMonths === undefined
        ? `${zhMonths}已超过申请期限，不能再申请${zhWhich}的补助`
        : `${zhMonths}已超过申请期限（只能申请最近 ${facts.claimWindowMonths} 个月的补助，含本月）`,
    en:
      facts.claimWindowMonths === undefined
        ? `The deadline to claim ${enMonths} has passed; ${enWhich} can no longer be claimed`
        : `Only the last ${facts.claimWindowMonths} months (including this one) can be claimed; the deadline for ${enMonths} has passed`,
  }),
  TOO_MANY_MONTHS: ({ facts }) => ({
    'zh-CN':
      facts.maxMonthsPerClaim === undefined
        ? '一次申请的月份太多，请减少月份后重新提交'
        : `一次最多申请 ${facts.maxMonthsPerClaim} 个月，请减少月份后重新提交`,
    en:
      facts.maxMonthsPerClaim === undefined
        ? 'Too many months in one claim; claim fewer months'
        : `One claim can cover at most ${facts.maxMonthsPerClaim} months; claim fewer months`,
  }),
  CHILD_NOT_BORN: ({ zhMonths, enMonths, zhWhich, enWhich }) => ({
    'zh-CN': `孩子在${zhMonths}月初尚未出生，不能申请${zhWhich}的补助（出生后的整月才能申请）`,
    en: `The child was not yet born when ${enMonths} began, so ${enWhich} cannot be claimed (only whole months after the birth can)`,
  }),
  CHILD_TOO_OLD: ({ zhMonths, enMonths, zhWhich, enWhich, facts }) => {
    const limit = facts.ageLimitMonths ?? 36;
    return {
      'zh-CN': `孩子在${zhMonths}已满${zhAge(limit)}，不能申请${zhWhich}的补助`,
      en: `The child is already ${enAge(limit)} in ${enMonths}, so ${enWhich} cannot be claimed`,
    };
  },
  CHILD_NOT_IN_REGISTRY: () => ({
    'zh-CN': '在户籍信息中查不到孩子的身份证号码，请核对号码是否填写正确',
    en: 'The child’s ID number was not found in the household registry; please check it for typos',
  }),
  CHILD_NAME_MISMATCH: () => ({
    'zh-CN': '孩子的姓名与户籍登记的姓名不一致，请按户口簿上的姓名填写',
    en: 'The child’s name does not match the household registry; enter it exactly as in the hukou booklet',
  }),
  NOT_HUZHOU_HUKOU: () => ({
    'zh-CN': '孩子的户籍不在湖州市，暂不能申请入托补助',
    en: 'The child’s household registration (hukou) is not in Huzhou, so the childcare subsidy cannot be claimed',
  }),
  PROVIDER_NOT_REGISTERED: ({ zhMonths, enMonths, zhWhich, enWhich, count }) =>
    count === 0
      ? {
          'zh-CN': '所选托育机构不在湖州市备案的托育机构名单中，请核对机构编号',
          en: 'The chosen childcare provider is not on Huzhou’s register of childcare providers; please check its ID',
        }
      : {
          'zh-CN': `所选托育机构在${zhMonths}未处于备案有效期内，不能申请${zhWhich}的补助`,
          en: `The chosen childcare provider was not registered during ${enMonths}, so ${enWhich} cannot be claimed`,
        },
  PROVIDER_NOT_INCLUSIVE: () => ({
    'zh-CN': '所选托育机构不是普惠性托育机构，入托补助只适用于普惠性托育机构',
    en: 'The chosen childcare provider is not an inclusive (普惠) provider; the subsidy only covers inclusive providers',
  }),
  PROVIDER_SUSPENDED: () => ({
    'zh-CN': '所选托育机构目前已被暂停服务，暂不能申请补助，请联系所在区县卫生健康部门',
    en: 'The chosen childcare provider is currently suspended, so no subsidy can be paid for now; please contact your district health commission',
  }),
};

/**
 * A reason with its texts. Months are de-duplicated and sorted; an empty list means none, and a
 * month-specific code without months speaks of "some of the months".
 */
export function reason(
  code: ReasonCode,
  months?: readonly string[],
  facts: ReasonFacts = {},
): Reason {
  const sorted = [...new Set(months ?? [])].sort();
  const some = sorted.length === 0;
  const one = sorted.length === 1;
  const text = texts[code]({
    zhMonths: some ? '部分月份' : ` ${sorted.join('、')} `,
    enMonths: some ? 'some of the months' : enList(sorted),
    zhWhich: one ? '该月' : '这些月份',
    enWhich: one ? 'that month' : 'those months',
    count: sorted.length,
    facts,
  });
  // A sentence may open with the months: no leading space in Chinese, a capital in English.
  const message = {
    'zh-CN': text['zh-CN'].trim(),
    en: text.en.charAt(0).toUpperCase() + text.en.slice(1),
  };
  return some ? { code, message } : { code, months: sorted, message };
}
