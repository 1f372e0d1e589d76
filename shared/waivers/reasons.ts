import type { LocalizedText } from '../errors/localized.ts';

/*
 * Why a 困难家庭学费减免 application is refused, or why some of its months are not waived, as
 * stable codes (clients and stored decisions branch on them; a code never changes meaning once
 * published) with texts a family can act on. Texts may be reworded freely.
 *
 * Codes are listed in the order a family should read them: the term, the child, the provider, the
 * hardship status, then "no month left" followed by the month cuts that explain it.
 */
export const waiverReasonCodes = [
  // Judged from the form alone, before the application is accepted.
  'TERM_ENDED',
  'TERM_TOO_FAR_AHEAD',
  'TERM_TOO_LONG',
  'CHILD_TOO_OLD',
  // Judged against the registries: each refuses the whole application.
  'CHILD_NOT_IN_REGISTRY',
  'CHILD_NAME_MISMATCH',
  'NOT_HUZHOU_HUKOU',
  'PROVIDER_NOT_REGISTERED',
  'PROVIDER_SUSPENDED',
  'HARDSHIP_NOT_VERIFIED',
  'NO_MONTH_LEFT',
  // Month cuts: the application goes on without these months, and the decision says so.
  'MONTHS_AFTER_THIRD_BIRTHDAY',
  'MONTHS_AFTER_HARDSHIP_EXPIRY',
  'MONTHS_PROVIDER_NOT_REGISTERED',
] as const;

export type WaiverReasonCode = (typeof waiverReasonCodes)[number];

/** The codes that cut months off a term instead of refusing the application. */
export const waiverCutCodes = [
  'MONTHS_AFTER_THIRD_BIRTHDAY',
  'MONTHS_AFTER_HARDSHIP_EXPIRY',
  'MONTHS_PROVIDER_NOT_REGISTERED',
] as const satisfies readonly WaiverReasonCode[];

export type WaiverCutCode = (typeof waiverCutCodes)[number];

export interface WaiverReason {
  readonly code: WaiverReasonCode;
  /** The `YYYY-MM` months the reason is about, ascending; absent when it is about the whole term. */
  readonly months?: string[];
  readonly message: LocalizedText;
}

/** Months a decision does not grant, and why. */
export interface WaiverCut extends WaiverReason {
  readonly code: WaiverCutCode;
  readonly months: string[];
}

/** Figures a message quotes, so the text matches the rules and records the case was judged on. */
export interface WaiverReasonFacts {
  /** Default 36: 托育 serves children under three. */
  readonly ageLimitMonths?: number;
  readonly maxTermMonths?: number;
  readonly maxMonthsAhead?: number;
  /** `YYYY-MM-DD`: the last day the civil-affairs hardship status holds. */
  readonly hardshipValidUntil?: string;
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
  readonly facts: WaiverReasonFacts;
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

const texts: Record<WaiverReasonCode, (parts: MessageParts) => LocalizedText> = {
  TERM_ENDED: () => ({
    'zh-CN': '申请的减免期限已经结束，只能申请尚未结束的期限（期限内已过去的月份可以一并申请）',
    en: 'The term has already ended; apply for a term that has not ended yet (its months that have passed may be included)',
  }),
  TERM_TOO_FAR_AHEAD: ({ facts }) => ({
    'zh-CN':
      facts.maxMonthsAhead === undefined
        ? '减免期限开始得太晚，请临近开始月份时再申请'
        : `减免期限最晚只能从本月之后第 ${facts.maxMonthsAhead} 个月开始，请临近开始月份时再申请`,
    en:
      facts.maxMonthsAhead === undefined
        ? 'The term starts too far ahead; apply closer to its start'
        : `A term may start at most ${facts.maxMonthsAhead} months after the current month; apply closer to its start`,
  }),
  TERM_TOO_LONG: ({ facts }) => ({
    'zh-CN':
      facts.maxTermMonths === undefined
        ? '减免期限太长，请缩短期限后重新提交'
        : `一次申请的减免期限最长 ${facts.maxTermMonths} 个月，请缩短期限后重新提交`,
    en:
      facts.maxTermMonths === undefined
        ? 'The term is too long; shorten it'
        : `One application can cover at most ${facts.maxTermMonths} months; shorten the term`,
  }),
  CHILD_TOO_OLD: ({ facts }) => {
    const limit = facts.ageLimitMonths ?? 36;
    return {
      'zh-CN': `孩子在整个减免期限内均已满${zhAge(limit)}，不能申请学费减免`,
      en: `The child is already ${enAge(limit)} in every month of the term, so no tuition waiver can be granted`,
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
    'zh-CN': '孩子的户籍不在湖州市，暂不能申请困难家庭学费减免',
    en: 'The child’s household registration (hukou) is not in Huzhou, so no tuition waiver can be granted',
  }),
  PROVIDER_NOT_REGISTERED: () => ({
    'zh-CN': '所选托育机构在减免期限内不在湖州市备案的托育机构名单中，请核对机构编号',
    en: 'The chosen childcare provider is not on Huzhou’s register of childcare providers in any month of the term; please check its ID',
  }),
  PROVIDER_SUSPENDED: () => ({
    'zh-CN': '所选托育机构目前已被暂停服务，暂不能申请学费减免，请联系所在区县卫生健康部门',
    en: 'The chosen childcare provider is currently suspended, so no tuition waiver can be granted for now; please contact your district health commission',
  }),
  HARDSHIP_NOT_VERIFIED: ({ facts }) => ({
    'zh-CN': `民政部门登记的困难家庭认定在减免期限内均不在有效期内${
      facts.hardshipValidUntil === undefined ? '' : `（有效期至 ${facts.hardshipValidUntil}）`
    }，请先到民政部门办理认定或续期`,
    en: `Civil affairs has no hardship status for the guardian or the child that is valid in any month of the term${
      facts.hardshipValidUntil === undefined ? '' : ` (valid until ${facts.hardshipValidUntil})`
    }; have it renewed by civil affairs first`,
  }),
  NO_MONTH_LEFT: () => ({
    'zh-CN': '减免期限内没有可以减免的月份，各月份不予减免的原因见其他各项',
    en: 'No month of the term can be waived; the other reasons say why each month is not',
  }),
  MONTHS_AFTER_THIRD_BIRTHDAY: ({ zhMonths, enMonths, zhWhich, enWhich, facts }) => {
    const limit = facts.ageLimitMonths ?? 36;
    return {
      'zh-CN': `孩子在${zhMonths}已满${zhAge(limit)}，${zhWhich}的学费不予减免`,
      en: `The child is already ${enAge(limit)} in ${enMonths}, so there is no waiver for ${enWhich}`,
    };
  },
  MONTHS_AFTER_HARDSHIP_EXPIRY: ({ zhMonths, enMonths, zhWhich, enWhich, facts }) => ({
    'zh-CN': `困难家庭认定在${zhMonths}已过有效期${
      facts.hardshipValidUntil === undefined ? '' : `（有效期至 ${facts.hardshipValidUntil}）`
    }，${zhWhich}的学费不予减免`,
    en: `The hardship status no longer holds in ${enMonths}${
      facts.hardshipValidUntil === undefined ? '' : ` (valid until ${facts.hardshipValidUntil})`
    }, so there is no waiver for ${enWhich}`,
  }),
  MONTHS_PROVIDER_NOT_REGISTERED: ({ zhMonths, enMonths, zhWhich, enWhich }) => ({
    'zh-CN': `所选托育机构在${zhMonths}未处于备案有效期内，${zhWhich}的学费不予减免`,
    en: `The chosen childcare provider was not registered during ${enMonths}, so there is no waiver for ${enWhich}`,
  }),
};

/**
 * A reason with its texts. Months are de-duplicated and sorted; an empty list means none, and a
 * month cut without months speaks of "some of the months".
 */
export function waiverReason(
  code: WaiverReasonCode,
  months?: readonly string[],
  facts: WaiverReasonFacts = {},
): WaiverReason {
  const sorted = [...new Set(months ?? [])].sort();
  const some = sorted.length === 0;
  const one = sorted.length === 1;
  const text = texts[code]({
    zhMonths: some ? '部分月份' : ` ${sorted.join('、')} `,
    enMonths: some ? 'some of the months' : enList(sorted),
    zhWhich: one ? '该月' : '这些月份',
    enWhich: one ? 'that month' : 'those months',
    facts,
  });
  // A sentence may open with the months: no leading space in Chinese, a capital in English.
  const message = {
    'zh-CN': text['zh-CN'].trim(),
    en: text.en.charAt(0).toUpperCase() + text.en.slice(1),
  };
  return some ? { code, message } : { code, months: sorted, message };
}

/** A month cut: the months a decision does not grant, with its texts. */
export function waiverCut(
  code: WaiverCutCode,
  months: readonly string[],
  facts: WaiverReasonFacts = {},
): WaiverCut {
  const built = waiverReason(code, months, facts);
  return { code, months: built.months ?? [], message: built.message };
}
