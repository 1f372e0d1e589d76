import type { Language, LocalizedText } from '../errors/localized.ts';
import type { NotificationParams, TemplateId } from './notification.ts';

/** A template was rendered without a value it needs: the code filing it is wrong, not the data. */
export class MissingTemplateParamError extends Error {
  constructor(
    readonly template: TemplateId,
    readonly param: string,
  ) {
    super(`Template ${template} needs the parameter "${param}"`);
    this.name = 'MissingTemplateParamError';
  }
}

/** A template value of the wrong kind (a due date that is no date, a number for a type id). */
export class InvalidTemplateParamError extends Error {
  constructor(
    readonly template: TemplateId,
    readonly param: string,
    reason: string,
  ) {
    super(`Template ${template}: parameter "${param}" ${reason}`);
    this.name = 'InvalidTemplateParamError';
  }
}

export interface RenderedNotification {
  /** For e-mail and topic subscribers; SMS sends only the text. */
  readonly subject: string;
  readonly text: string;
}

const taskTypeNames: Readonly<Record<string, LocalizedText>> = {
  'confirm-enrollment': { 'zh-CN': '确认入托', en: 'Confirm enrollment' },
  'supply-info': { 'zh-CN': '补充材料', en: 'Supply information' },
  'district-approval': { 'zh-CN': '区级审核', en: 'District approval' },
  'district-review': { 'zh-CN': '区级审核', en: 'District review' },
  'manual-check': { 'zh-CN': '人工核验', en: 'Manual check' },
  'amend-registration': { 'zh-CN': '备案材料补正', en: 'Amend the registration filing' },
  'health-review': { 'zh-CN': '卫健部门审查', en: 'Health commission review' },
  'fire-review': { 'zh-CN': '消防审查', en: 'Fire safety review' },
  'market-review': { 'zh-CN': '市场监管审查', en: 'Market supervision review' },
  'on-site-inspection': { 'zh-CN': '现场核查', en: 'On-site inspection' },
  'city-confirmation': { 'zh-CN': '市级确认', en: 'City confirmation' },
};

const caseTypeNames: Readonly<Record<string, LocalizedText>> = {
  'subsidy-claim': { 'zh-CN': '入托补助', en: 'childcare subsidy' },
  'tuition-waiver': { 'zh-CN': '学费减免', en: 'tuition waiver' },
  'provider-registration': { 'zh-CN': '托育机构备案', en: 'childcare provider registration' },
};

const providerStatusNames: Readonly<Record<string, LocalizedText>> = {
  registered: { 'zh-CN': '正常', en: 'registered' },
  suspended: { 'zh-CN': '暂停', en: 'suspended' },
  revoked: { 'zh-CN': '撤销', en: 'revoked' },
};

/** A workflow's task type as people call it; an unknown type shows its id rather than nothing. */
export function taskTypeName(taskType: string, language: Language): string {
  return Object.hasOwn(taskTypeNames, taskType)
    ? (taskTypeNames[taskType]?.[language] ?? taskType)
    : taskType;
}

export function caseTypeName(caseType: string, language: Language): string {
  return Object.hasOwn(caseTypeNames, caseType)
    ? (caseTypeNames[caseType]?.[language] ?? caseType)
    : caseType;
}

/** A provider's registration status as people call it; an unknown one shows its id. */
export function providerStatusName(status: string, language: Language): string {
  return Object.hasOwn(providerStatusNames, status)
    ? (providerStatusNames[status]?.[language] ?? status)
    : status;
}

// Families and caseworkers are in Huzhou: every time they read is Beijing time, whatever the
// server's zone. China has kept UTC+8 all year since 1991 (no daylight saving), so an offset does
// what Intl.DateTimeFormat('Asia/Shanghai') did, without loading ICU's zone data: that took about
// 15 ms of the cold start of every function that imports the templates (timed module by module).
const beijingOffsetMs = 8 * 60 * 60 * 1000;

/** `2026年3月5日 17:00` (zh-CN) or `2026-03-05 17:00` (en), in Asia/Shanghai. */
export function formatDateTime(date: Date, language: Language): string {
  const beijing = new Date(date.getTime() + beijingOffsetMs);
  const [year, month, day] = [
    beijing.getUTCFullYear(),
    beijing.getUTCMonth() + 1,
    beijing.getUTCDate(),
  ];
  const time = beijing.toISOString().slice(11, 16);
  return language === 'zh-CN'
    ? `${year}年${month}月${day}日 ${time}`
    : `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')} ${time}`;
}

/** What a template's text is written from: the notification's case id and its parameters. */
interface Values {
  readonly caseId: string;
  readonly params: NotificationParams;
}

type Text = (value: Reader) => RenderedNotification;

interface Reader {
  readonly caseId: string;
  readonly taskType: string;
  readonly caseType: string;
  readonly dueDate: string;
  readonly providerStatus: string;
  readonly receiptNumber: string;
  readonly month: string;
  readonly providerName: string;
  /** A registration's last day, formatted. */
  readonly registeredUntil: string;
  readonly daysLeft: string;
  /** A task's queue (`caseworker#D:anji`). */
  readonly queue: string;
}

interface TemplateDefinition {
  /** Parameters the texts read; anything else in `params` (a `dedupeKey`) is ignored. */
  readonly params: readonly (
    | 'taskType'
    | 'caseType'
    | 'dueAt'
    | 'providerStatus'
    | 'receiptNumber'
    | 'month'
    | 'providerName'
    | 'registeredUntil'
    | 'daysLeft'
    | 'queue'
  )[];
  readonly 'zh-CN': Text;
  readonly en: Text;
}

// Each zh-CN text fits one SMS segment (70 characters) for the known type names and a case id
// of today's shape: the unit tests hold them to it.
const templates: Readonly<Record<TemplateId, TemplateDefinition>> = {
  'task-assigned': {
    params: ['taskType', 'dueAt'],
    'zh-CN': (v) => ({
      subject: '善育：新的待办任务',
      text: `【善育】您的待办队列有新任务：${v.taskType}（案件 ${v.caseId}），请于 ${v.dueDate} 前处理。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: a new task in your queue',
      text: `[Shanyu] New task in your queue: ${v.taskType} (case ${v.caseId}). Please handle it by ${v.dueDate} (Beijing time).`,
    }),
  },
  'info-requested': {
    params: ['caseType', 'dueAt'],
    'zh-CN': (v) => ({
      subject: '善育：请补充申请材料',
      text: `【善育】您的${v.caseType}申请（案件 ${v.caseId}）需补充材料，请于 ${v.dueDate} 前登录善育提交。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: more information needed',
      text: `[Shanyu] Your ${v.caseType} application (case ${v.caseId}) needs more information. Please sign in to Shanyu and provide it by ${v.dueDate} (Beijing time).`,
    }),
  },
  'case-approved': {
    params: ['caseType'],
    'zh-CN': (v) => ({
      subject: '善育：申请已通过',
      text: `【善育】您的${v.caseType}申请（案件 ${v.caseId}）已审核通过。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: application approved',
      text: `[Shanyu] Your ${v.caseType} application (case ${v.caseId}) has been approved.`,
    }),
  },
  'case-rejected': {
    params: ['caseType'],
    'zh-CN': (v) => ({
      subject: '善育：申请未通过',
      text: `【善育】您的${v.caseType}申请（案件 ${v.caseId}）未通过审核，原因请登录善育查看。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: application not approved',
      text: `[Shanyu] Your ${v.caseType} application (case ${v.caseId}) was not approved. Sign in to Shanyu to see the reasons.`,
    }),
  },
  'task-reminder': {
    params: ['taskType', 'dueAt'],
    'zh-CN': (v) => ({
      subject: '善育：待办任务即将到期',
      text: `【善育】提醒：待办任务${v.taskType}（案件 ${v.caseId}）将于 ${v.dueDate} 到期，请及时处理。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: a task is due soon',
      text: `[Shanyu] Reminder: the task ${v.taskType} (case ${v.caseId}) is due at ${v.dueDate} (Beijing time). Please handle it in time.`,
    }),
  },
  'task-overdue': {
    params: ['taskType', 'dueAt'],
    'zh-CN': (v) => ({
      subject: '善育：待办任务已逾期',
      text: `【善育】待办任务${v.taskType}（案件 ${v.caseId}）已于 ${v.dueDate} 逾期，请尽快处理。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: a task is overdue',
      text: `[Shanyu] The task ${v.taskType} (case ${v.caseId}) has been overdue since ${v.dueDate} (Beijing time). Please handle it as soon as possible.`,
    }),
  },
  'case-expired': {
    params: ['caseType'],
    'zh-CN': (v) => ({
      subject: '善育：申请已超期终止',
      text: `【善育】您的${v.caseType}申请（案件 ${v.caseId}）已超过办理期限，申请终止。如仍需办理，请重新申请。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: application lapsed',
      text: `[Shanyu] Your ${v.caseType} application (case ${v.caseId}) has lapsed because its time limit passed. Please apply again if you still need it.`,
    }),
  },
  'case-withdrawn': {
    params: ['caseType'],
    'zh-CN': (v) => ({
      subject: '善育：申请已撤回',
      text: `【善育】${v.caseType}申请（案件 ${v.caseId}）已撤回，相关待办已取消。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: application withdrawn',
      text: `[Shanyu] The ${v.caseType} application (case ${v.caseId}) has been withdrawn; its open tasks are cancelled.`,
    }),
  },
  // Filed with the provider's id as `caseId`: the registry is not a case.
  'provider-status-changed': {
    params: ['providerStatus'],
    'zh-CN': (v) => ({
      subject: '善育：机构备案状态变更',
      text: `【善育】贵机构（${v.caseId}）的托育机构备案状态已变更为“${v.providerStatus}”，如有疑问请联系所在区县卫健部门。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: registration status changed',
      text: `[Shanyu] The childcare registration of your provider (${v.caseId}) is now ${v.providerStatus}. Please contact your district's health commission with any questions.`,
    }),
  },
  'registration-receipt': {
    params: ['receiptNumber'],
    'zh-CN': (v) => ({
      subject: '善育：托育机构备案回执',
      text: `【善育】机构备案（案件 ${v.caseId}）已受理，回执 ${v.receiptNumber}，转部门审查。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: registration receipt',
      text: `[Shanyu] Your childcare provider registration (case ${v.caseId}) meets the filing standards. Receipt ${v.receiptNumber}; it now goes to the health, fire and market supervision reviews.`,
    }),
  },
  // To the family and to the provider alike: the provider bills the full fee from that month on.
  'waiver-stopped': {
    params: ['month'],
    'zh-CN': (v) => ({
      subject: '善育：学费减免停止',
      text: `【善育】经民政部门复核，困难家庭认定已失效，学费减免（案件 ${v.caseId}）自${v.month}起停止。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: tuition waiver stopped',
      text: `[Shanyu] Civil affairs no longer lists the family's hardship status: the tuition waiver (case ${v.caseId}) stops from ${v.month}.`,
    }),
  },
  'waiver-granted': {
    params: ['month'],
    'zh-CN': (v) => ({
      subject: '善育：学费减免已核准',
      text: `【善育】学费减免（案件 ${v.caseId}）已核准，自${v.month}起按减免后金额向家庭收费，明细请登录查看。`,
    }),
    en: (v) => ({
      subject: 'Shanyu: tuition waiver granted',
      text: `[Shanyu] A tuition waiver (case ${v.caseId}) is granted: from ${v.month}, bill the family the remainder. Sign in to see the months and amounts.`,
    }),
  },
  // To the provider and to its district's caseworkers alike, filed under the registration's case
  // (or the provider's id). The name is in the subjects only, not the texts, which an SMS sends
  // alone: it may be 200 characters long. The case id tells the caseworkers which provider.
  'registration-renewal': {
    params: ['providerName', 'registeredUntil', 'daysLeft'],
    'zh-CN': (v) => ({
      subject: `善育：${v.providerName}托育机构备案即将到期`,
      text: `【善育】托育机构备案（${v.caseId}）将于${v.registeredUntil}到期（剩${v.daysLeft}天），请及时办理延续备案。`,
    }),
    en: (v) => ({
      subject: `Shanyu: the registration of ${v.providerName} ends soon`,
      text: `[Shanyu] The childcare registration (${v.caseId}) ends on ${v.registeredUntil} (${v.daysLeft} days left). Please file its renewal in time.`,
    }),
  },
  // To the supervisors (督办): the queue's own staff had the task-overdue notice already.
  'task-escalated': {
    params: ['taskType', 'dueAt', 'queue'],
    'zh-CN': (v) => ({
      subject: `善育：待办任务逾期督办（${v.queue}）`,
      text: `【善育】督办提醒：待办任务${v.taskType}（案件 ${v.caseId}）已于 ${v.dueDate} 逾期，请督促办理。`,
    }),
    en: (v) => ({
      subject: `Shanyu: an overdue task escalated (${v.queue})`,
      text: `[Shanyu] Escalation: the task ${v.taskType} (case ${v.caseId}) in queue ${v.queue} has been overdue since ${v.dueDate} (Beijing time). Please see that it is handled.`,
    }),
  },
};

/** The parameters a template needs (besides the notification's case id). */
export function templateParams(template: TemplateId): readonly string[] {
  return templates[template].params;
}

function requiredParam(template: TemplateId, values: Values, name: string): string | number {
  const value = Object.hasOwn(values.params, name) ? values.params[name] : undefined;
  if (value === undefined || value === '') throw new MissingTemplateParamError(template, name);
  return value;
}

function typeId(template: TemplateId, values: Values, name: string): string {
  const value = requiredParam(template, values, name);
  if (typeof value !== 'string') {
    throw new InvalidTemplateParamError(template, name, 'must be a type id (a string)');
  }
  return value;
}

/** A string parameter in the shape `pattern` describes, matched. */
function matchedParam(
  template: TemplateId,
  values: Values,
  name: string,
  pattern: RegExp,
  shape: string,
): RegExpExecArray {
  const value = requiredParam(template, values, name);
  const match = typeof value === 'string' ? pattern.exec(value) : null;
  if (!match) throw new InvalidTemplateParamError(template, name, `must be ${shape}`);
  return match;
}

/** A calendar month, `YYYY-MM`: `2026年12月` (zh-CN) or `2026-12` (en). */
function calendarMonth(
  template: TemplateId,
  values: Values,
  name: string,
  language: Language,
): string {
  const match = matchedParam(
    template,
    values,
    name,
    /^(\d{4})-(0[1-9]|1[0-2])$/,
    'a YYYY-MM month',
  );
  return language === 'zh-CN' ? `${match[1]}年${Number(match[2])}月` : `${match[1]}-${match[2]}`;
}

/** A calendar date, `YYYY-MM-DD`: `2029年11月27日` (zh-CN) or `2029-11-27` (en). */
function calendarDate(
  template: TemplateId,
  values: Values,
  name: string,
  language: Language,
): string {
  const match = matchedParam(
    template,
    values,
    name,
    /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
    'a YYYY-MM-DD date',
  );
  return language === 'zh-CN'
    ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日`
    : `${match[1]}-${match[2]}-${match[3]}`;
}

/** A whole number of days, 0 or more (a number, or its digits). */
function dayCount(template: TemplateId, values: Values, name: string): string {
  const value = requiredParam(template, values, name);
  const days = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(days) || days < 0) {
    throw new InvalidTemplateParamError(
      template,
      name,
      'must be a whole number of days, 0 or more',
    );
  }
  return String(days);
}

/** An ISO-8601 timestamp or epoch milliseconds. */
function instant(template: TemplateId, values: Values, name: string): Date {
  const value = requiredParam(template, values, name);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidTemplateParamError(template, name, 'must be an ISO-8601 time or epoch ms');
  }
  return date;
}

/**
 * The subject and text of a notification in one language. Throws
 * {@link MissingTemplateParamError} or {@link InvalidTemplateParamError} when the parameters do
 * not fit the template: every caller files notifications from code, so that is a bug to surface.
 */
export function renderNotification(
  notification: { readonly template: TemplateId; readonly caseId: string } & Values,
  language: Language,
): RenderedNotification {
  const { template } = notification;
  const definition = templates[template];
  if (notification.caseId === '') throw new MissingTemplateParamError(template, 'caseId');
  const needs = new Set(definition.params);
  const reader: Reader = {
    caseId: notification.caseId,
    taskType: needs.has('taskType')
      ? taskTypeName(typeId(template, notification, 'taskType'), language)
      : '',
    caseType: needs.has('caseType')
      ? caseTypeName(typeId(template, notification, 'caseType'), language)
      : '',
    dueDate: needs.has('dueAt')
      ? formatDateTime(instant(template, notification, 'dueAt'), language)
      : '',
    providerStatus: needs.has('providerStatus')
      ? providerStatusName(typeId(template, notification, 'providerStatus'), language)
      : '',
    receiptNumber: needs.has('receiptNumber')
      ? String(requiredParam(template, notification, 'receiptNumber'))
      : '',
    month: needs.has('month') ? calendarMonth(template, notification, 'month', language) : '',
    providerName: needs.has('providerName')
      ? String(requiredParam(template, notification, 'providerName'))
      : '',
    registeredUntil: needs.has('registeredUntil')
      ? calendarDate(template, notification, 'registeredUntil', language)
      : '',
    daysLeft: needs.has('daysLeft') ? dayCount(template, notification, 'daysLeft') : '',
    queue: needs.has('queue') ? String(requiredParam(template, notification, 'queue')) : '',
  };
  return definition[language](reader);
}
