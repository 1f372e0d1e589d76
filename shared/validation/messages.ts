/**
 * Texts for the message KEYS that this directory's validators put into zod issues.
 *
 * Convention the API's error formatter relies on (shared/errors/validate.ts): a custom issue's
 * `message` is a stable SCREAMING_SNAKE_CASE key, looked up here for both languages. Keys never
 * change meaning once published; reword the texts freely.
 */
const messages = {
  ID_NUMBER_FORMAT: {
    'zh-CN': '身份证号码应为 18 位，前 17 位为数字，最后一位为数字或 X',
    en: 'An ID number has 18 characters: 17 digits followed by a digit or X',
  },
  ID_NUMBER_PROVINCE: {
    'zh-CN': '身份证号码开头的地区代码不正确',
    en: 'The ID number does not start with a valid province code',
  },
  ID_NUMBER_BIRTH_DATE: {
    'zh-CN': '身份证号码中的出生日期不正确',
    en: 'The ID number contains an invalid date of birth',
  },
  ID_NUMBER_CHECK_DIGIT: {
    'zh-CN': '身份证号码校验位不正确，请检查是否输错',
    en: 'The ID number’s check digit does not match; please check for typos',
  },
  USCC_FORMAT: {
    'zh-CN': '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V）',
    en: 'A unified social credit code has 18 digits or capital letters (not I, O, Z, S or V)',
  },
  USCC_CATEGORY: {
    'zh-CN': '统一社会信用代码前两位（登记管理部门和机构类别）不正确',
    en: 'The first two characters of the unified social credit code (registration authority and category) are invalid',
  },
  USCC_AREA_CODE: {
    'zh-CN': '统一社会信用代码第 3–8 位应为 6 位数字的行政区划代码',
    en: 'Characters 3–8 of the unified social credit code must be a 6-digit area code',
  },
  USCC_CHECK_CHARACTER: {
    'zh-CN': '统一社会信用代码校验位不正确，请检查是否输错',
    en: 'The unified social credit code’s check character does not match; please check for typos',
  },
  MOBILE_FORMAT: {
    'zh-CN': '请输入 11 位中国大陆手机号码',
    en: 'Enter an 11-digit mainland China mobile number',
  },
  DISTRICT_INVALID: {
    'zh-CN': '请选择湖州市下辖的区、县或南太湖新区',
    en: 'Choose one of Huzhou’s districts or counties, or the South Taihu New Area',
  },
  STAFF_DISTRICT_INVALID: {
    'zh-CN': '请选择湖州市本级，或下辖的区、县、南太湖新区',
    en: 'Choose Huzhou city level, or one of its districts, counties or the South Taihu New Area',
  },
} as const satisfies Record<string, { readonly 'zh-CN': string; readonly en: string }>;

/** A key this directory's validators may put into an issue's `message`. */
export type ValidationMessageKey = keyof typeof messages;

/** Typed as a string record on purpose: the formatter looks up any issue message, keyed or not. */
export const validationMessages: Readonly<Record<string, { 'zh-CN': string; en: string }>> =
  messages;
