import { describe, expect, it } from 'vitest';
import { templateIdSchema } from '../../../shared/notifications/notification.ts';
import {
  caseTypeName,
  formatDateTime,
  InvalidTemplateParamError,
  MissingTemplateParamError,
  providerStatusName,
  renderNotification,
  taskTypeName,
  templateParams,
} from '../../../shared/notifications/templates.ts';

const caseId = 'SC-0123456789AB';
const allParams = {
  taskType: 'confirm-enrollment',
  caseType: 'subsidy-claim',
  dueAt: '2026-03-05T09:00:00.000Z',
  providerStatus: 'suspended',
  receiptNumber: 'HZTY-20261128-0123456789AB',
  month: '2026-12',
  providerName: 'Little Oak Childcare',
  registeredUntil: '2029-11-27',
  daysLeft: 60,
  queue: 'caseworker#D:wuxing',
};

describe('renderNotification', () => {
  it('renders task-assigned in natural Chinese with Beijing time', () => {
    // Prepare
    const notification = {
      template: 'task-assigned' as const,
      caseId,
      params: { taskType: 'confirm-enrollment', dueAt: '2026-03-05T09:00:00.000Z' },
    };

    // Act
    const rendered = renderNotification(notification, 'zh-CN');

    // Assess
    expect(rendered.text).toBe(
      '【善育】您的待办队列有新任务：确认入托（案件 SC-0123456789AB），请于 2026年3月5日 17:00 前处理。',
    );
    expect(rendered.subject).toBe('善育：新的待办任务');
  });

  it('renders task-assigned in English with an ISO-like Beijing time', () => {
    // Prepare
    const notification = {
      template: 'task-assigned' as const,
      caseId,
      params: { taskType: 'district-approval', dueAt: '2026-12-31T16:05:00.000Z' },
    };

    // Act
    const rendered = renderNotification(notification, 'en');

    // Assess
    expect(rendered.text).toBe(
      '[Shanyu] New task in your queue: District approval (case SC-0123456789AB). Please handle it by 2027-01-01 00:05 (Beijing time).',
    );
  });

  it.each([
    ['info-requested', '您的入托补助申请', '需补充材料'],
    ['case-approved', '您的入托补助申请', '已审核通过'],
    ['case-rejected', '您的入托补助申请', '未通过审核'],
    ['task-reminder', '待办任务确认入托', '2026年3月5日 17:00 到期'],
    ['task-overdue', '待办任务确认入托', '2026年3月5日 17:00 逾期'],
    ['case-expired', '您的入托补助申请', '已超过办理期限'],
    ['case-withdrawn', '入托补助申请', '已撤回'],
  ] as const)(
    'renders %s in Chinese with its case and display names',
    (template, subject, fact) => {
      // Prepare
      const notification = { template, caseId, params: allParams };

      // Act
      const { text } = renderNotification(notification, 'zh-CN');

      // Assess
      expect(text.startsWith('【善育】')).toBe(true);
      expect(text).toContain(subject);
      expect(text).toContain(fact);
      expect(text).toContain(`案件 ${caseId}`);
      expect(text).not.toMatch(/subsidy-claim|confirm-enrollment|undefined/);
    },
  );

  it.each(templateIdSchema.options)(
    'renders %s in English without Chinese characters',
    (template) => {
      // Prepare
      const notification = { template, caseId, params: allParams };

      // Act
      const { text, subject } = renderNotification(notification, 'en');

      // Assess
      expect(text.startsWith('[Shanyu] ')).toBe(true);
      expect(text).toContain(caseId);
      expect(`${subject} ${text}`).not.toMatch(/[\u3000-\u9fff\uff00-\uffef]/);
      expect(text).not.toContain('undefined');
    },
  );

  it.each(templateIdSchema.options)(
    'keeps %s within one SMS segment (70 characters) in Chinese',
    (template) => {
      // Prepare: the longest display names and the longest date
      const params = {
        taskType: 'health-review',
        caseType: 'provider-registration',
        dueAt: '2026-12-31T15:59:00.000Z',
        providerStatus: 'registered',
        receiptNumber: 'HZTY-20261231-0123456789AB',
        month: '2026-12',
        providerName: '湖州市吴兴区爱山街道小橡树托育服务有限公司第一托育园',
        registeredUntil: '2029-12-31',
        daysLeft: 365,
        queue: 'on-site-inspection#D:nantaihu',
      };

      // Act
      const { text } = renderNotification({ template, caseId, params }, 'zh-CN');

      // Assess
      if (templateParams(template).includes('dueAt'))
        expect(text).toContain('2026年12月31日 23:59');
      expect(Array.from(text).length).toBeLessThanOrEqual(70);
    },
  );

  it.each(
    templateIdSchema.options.flatMap((template) =>
      templateParams(template).map((param) => [template, param] as const),
    ),
  )('%s throws when %s is missing', (template, param) => {
    // Prepare
    const params: Record<string, string | number> = { ...allParams };
    delete params[param];

    // Act
    const render = () => renderNotification({ template, caseId, params }, 'zh-CN');

    // Assess
    expect(render).toThrow(MissingTemplateParamError);
    expect(render).toThrow(`"${param}"`);
  });

  it('renders provider-status-changed for the provider, naming the status in each language', () => {
    // Prepare
    const notification = {
      template: 'provider-status-changed' as const,
      caseId: 'P-WX-0001',
      params: { providerStatus: 'suspended', dedupeKey: 3 },
    };

    // Act
    const zh = renderNotification(notification, 'zh-CN');
    const en = renderNotification(notification, 'en');

    // Assess
    expect(zh.text).toBe(
      '【善育】贵机构（P-WX-0001）的托育机构备案状态已变更为“暂停”，如有疑问请联系所在区县卫健部门。',
    );
    expect(en.text).toContain('(P-WX-0001) is now suspended.');
  });

  it('renders waiver-stopped with the month it stops from, in each language', () => {
    // Prepare
    const notification = {
      template: 'waiver-stopped' as const,
      caseId: 'TW-0123456789AB',
      params: { month: '2027-01', dedupeKey: '2027-01' },
    };

    // Act
    const zh = renderNotification(notification, 'zh-CN');
    const en = renderNotification(notification, 'en');

    // Assess
    expect(zh.text).toBe(
      '【善育】经民政部门复核，困难家庭认定已失效，学费减免（案件 TW-0123456789AB）自2027年1月起停止。',
    );
    expect(en.text).toContain('(case TW-0123456789AB) stops from 2027-01.');
  });

  it('renders registration-renewal with the end date and the days left, in each language', () => {
    // Prepare
    const notification = {
      template: 'registration-renewal' as const,
      caseId: 'PR-0123456789AB',
      params: {
        providerName: '吴兴区小橡树托育园',
        registeredUntil: '2029-11-27',
        daysLeft: 60,
        dedupeKey: '60-days#2029-11-27',
      },
    };

    // Act
    const zh = renderNotification(notification, 'zh-CN');
    const en = renderNotification(notification, 'en');

    // Assess
    expect(zh.text).toBe(
      '【善育】托育机构备案（PR-0123456789AB）将于2029年11月27日到期（剩60天），请及时办理延续备案。',
    );
    expect(zh.subject).toBe('善育：吴兴区小橡树托育园托育机构备案即将到期');
    expect(en.text).toBe(
      '[Shanyu] The childcare registration (PR-0123456789AB) ends on 2029-11-27 (60 days left). Please file its renewal in time.',
    );
    expect(en.subject).toBe('Shanyu: the registration of 吴兴区小橡树托育园 ends soon');
  });

  it.each([
    ['registeredUntil', '2029-11'],
    ['registeredUntil', '2029-13-01'],
    ['registeredUntil', 20291127],
    ['daysLeft', -1],
    ['daysLeft', 1.5],
    ['daysLeft', 'sixty'],
  ])('rejects registration-renewal with %s %s', (param, value) => {
    // Prepare
    const params = { ...allParams, [param]: value };

    // Act
    const render = () =>
      renderNotification({ template: 'registration-renewal', caseId, params }, 'zh-CN');

    // Assess
    expect(render).toThrow(InvalidTemplateParamError);
  });

  it('renders task-escalated for the supervisors, naming the task, its case and queue', () => {
    // Prepare
    const notification = {
      template: 'task-escalated' as const,
      caseId,
      params: {
        taskType: 'district-review',
        dueAt: '2026-03-05T09:30:00.000Z',
        queue: 'caseworker#D:wuxing',
      },
    };

    // Act
    const zh = renderNotification(notification, 'zh-CN');
    const en = renderNotification(notification, 'en');

    // Assess
    expect(zh.text).toBe(
      '【善育】督办提醒：待办任务区级审核（案件 SC-0123456789AB）已于 2026年3月5日 17:30 逾期，请督促办理。',
    );
    expect(zh.subject).toContain('caseworker#D:wuxing');
    expect(en.text).toBe(
      '[Shanyu] Escalation: the task District review (case SC-0123456789AB) in queue caseworker#D:wuxing has been overdue since 2026-03-05 17:30 (Beijing time). Please see that it is handled.',
    );
  });

  it.each([['2027-1'], ['January'], [202701]])('rejects the month %s', (month) => {
    // Act
    const render = () =>
      renderNotification({ template: 'waiver-stopped', caseId, params: { month } }, 'zh-CN');

    // Assess
    expect(render).toThrow(InvalidTemplateParamError);
  });

  it('treats an empty value as missing', () => {
    // Prepare
    const params = { ...allParams, caseType: '' };

    // Act
    const render = () => renderNotification({ template: 'case-approved', caseId, params }, 'en');

    // Assess
    expect(render).toThrow(MissingTemplateParamError);
  });

  it.each([
    ['a due date that is no date', { ...allParams, dueAt: 'next Tuesday' }],
    ['a number as type id', { ...allParams, taskType: 42 }],
  ])('rejects %s', (_case, params) => {
    // Act
    const render = () => renderNotification({ template: 'task-reminder', caseId, params }, 'en');

    // Assess
    expect(render).toThrow(InvalidTemplateParamError);
  });

  it('accepts a due date in epoch milliseconds and ignores extra params', () => {
    // Prepare
    const params = {
      taskType: 'supply-info',
      dueAt: Date.UTC(2026, 0, 1, 0, 0),
      dedupeKey: 'r2',
      reason: '',
    };

    // Act
    const { text } = renderNotification({ template: 'task-overdue', caseId, params }, 'zh-CN');

    // Assess
    expect(text).toBe(
      '【善育】待办任务补充材料（案件 SC-0123456789AB）已于 2026年1月1日 08:00 逾期，请尽快处理。',
    );
  });
});

describe('display names', () => {
  it.each([
    ['confirm-enrollment', '确认入托', 'Confirm enrollment'],
    ['supply-info', '补充材料', 'Supply information'],
    ['district-approval', '区级审核', 'District approval'],
    ['fire-inspection', 'fire-inspection', 'fire-inspection'],
    ['constructor', 'constructor', 'constructor'],
  ])('names task type %s', (id, zh, en) => {
    // Act
    const names = [taskTypeName(id, 'zh-CN'), taskTypeName(id, 'en')];

    // Assess
    expect(names).toEqual([zh, en]);
  });

  it.each([
    ['subsidy-claim', '入托补助', 'childcare subsidy'],
    ['tuition-waiver', '学费减免', 'tuition waiver'],
    ['provider-registration', '托育机构备案', 'childcare provider registration'],
    ['meal-allowance', 'meal-allowance', 'meal-allowance'],
  ])('names case type %s', (id, zh, en) => {
    // Act
    const names = [caseTypeName(id, 'zh-CN'), caseTypeName(id, 'en')];

    // Assess
    expect(names).toEqual([zh, en]);
  });
});

describe('provider status names', () => {
  it.each([
    ['registered', '正常', 'registered'],
    ['suspended', '暂停', 'suspended'],
    ['revoked', '撤销', 'revoked'],
    ['toString', 'toString', 'toString'],
  ])('names provider status %s', (id, zh, en) => {
    // Act
    const names = [providerStatusName(id, 'zh-CN'), providerStatusName(id, 'en')];

    // Assess
    expect(names).toEqual([zh, en]);
  });
});

describe('formatDateTime', () => {
  it.each([
    ['2026-03-05T09:00:00.000Z', '2026年3月5日 17:00', '2026-03-05 17:00'],
    ['2026-06-30T16:00:00.000Z', '2026年7月1日 00:00', '2026-07-01 00:00'],
    ['2026-11-20T23:59:00.000Z', '2026年11月21日 07:59', '2026-11-21 07:59'],
    ['2026-12-31T16:00:00.000Z', '2027年1月1日 00:00', '2027-01-01 00:00'],
    ['2028-02-28T16:30:00.000Z', '2028年2月29日 00:30', '2028-02-29 00:30'],
  ])('shows %s in Asia/Shanghai', (iso, zh, en) => {
    // Prepare
    const date = new Date(iso);

    // Act
    const formatted = [formatDateTime(date, 'zh-CN'), formatDateTime(date, 'en')];

    // Assess
    expect(formatted).toEqual([zh, en]);
  });
});
