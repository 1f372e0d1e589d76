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
  DECISION_DATA_REQUIRED: {
    'zh-CN': '通过时须填写该任务要求的记录（如核查日期与结果、实际学费、困难类别）',
    en: 'An approval needs the record this task asks for (inspection findings, the actual tuition, the hardship category)',
  },
  CURSOR_INVALID: {
    'zh-CN': '分页游标无效，请从第一页重新查询',
    en: 'The page cursor is invalid; start again from the first page',
  },
  PROVIDER_ID_INVALID: {
    'zh-CN': '托育机构编号格式不正确',
    en: 'The provider id is malformed',
  },
  DOCUMENT_FILE_NAME_INVALID: {
    'zh-CN': '文件名不能包含斜杠、反斜杠或控制字符',
    en: 'A file name may not contain slashes, backslashes or control characters',
  },
  DOCUMENT_REF_INVALID: {
    'zh-CN': '材料编号无效，请使用上传材料时返回的编号',
    en: 'The document reference is malformed; use the ref the upload returned',
  },
  CHANGES_EMPTY: {
    'zh-CN': '变更内容不能为空',
    en: 'A change must change something',
  },
  TERM_REVERSED: {
    'zh-CN': '减免期限的结束月份不能早于开始月份',
    en: 'The term cannot end before it starts',
  },
  TERM_TOO_LONG: {
    'zh-CN': '一次申请的减免期限最长 12 个月',
    en: 'One application can cover at most 12 months',
  },
  HARDSHIP_CERTIFICATE_INVALID: {
    'zh-CN': '困难家庭证书编号只能包含字母、数字和连字符',
    en: 'A hardship certificate number may contain only letters, digits and hyphens',
  },
} as const satisfies Record<string, { readonly 'zh-CN': string; readonly en: string }>;
