/** Texts for the message keys of the form fields shared by the workflows (see shared/forms/fields.ts). */
export const formMessages = {
  PERSON_NAME_INVALID: {
    'zh-CN': '姓名只能包含汉字、字母、间隔号“·”、空格或连字符',
    en: 'A name may contain Chinese characters, letters, the middle dot “·”, spaces or hyphens',
  },
  MONTH_FORMAT: {
    'zh-CN': '月份格式应为 YYYY-MM，例如 2026-09',
    en: 'Months are written YYYY-MM, e.g. 2026-09',
  },
  MONTHS_DUPLICATE: {
    'zh-CN': '同一月份不能重复申请',
    en: 'A month may be listed only once',
  },
  DECISION_REASON_REQUIRED: {
    'zh-CN': '退回或要求补充材料时必须填写理由',
    en: 'A rejection or a request for information needs a reason',
  },
  CURSOR_INVALID: {
    'zh-CN': '分页游标无效，请从第一页重新查询',
    en: 'The page cursor is invalid; start again from the first page',
  },
  PROVIDER_ID_INVALID: {
    'zh-CN': '托育机构编号格式不正确',
    en: 'The provider id is malformed',
  },
} as const satisfies Record<string, { readonly 'zh-CN': string; readonly en: string }>;
