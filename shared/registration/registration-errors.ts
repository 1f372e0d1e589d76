import { ShanyuError } from '../errors/shanyu-error.ts';

/** 409: the provider already has a filing in progress. */
export class RegistrationInProgressError extends ShanyuError {
  readonly code = 'REGISTRATION_IN_PROGRESS';
  readonly statusCode = 409;
  constructor(caseId: string) {
    super({
      'zh-CN': `该机构已有备案申请正在办理（案件 ${caseId}），请办结后再提交`,
      en: `This provider already has a filing in progress (case ${caseId})`,
    });
  }
}

/** 409: the organisation is filed under another provider id. */
export class OrganisationAlreadyFiledError extends ShanyuError {
  readonly code = 'ORGANISATION_ALREADY_FILED';
  readonly statusCode = 409;
  constructor() {
    super(
      {
        'zh-CN': '该统一社会信用代码已由其他机构账号备案',
        en: 'This unified social credit code is filed under another provider account',
      },
      {
        details: [
          {
            path: 'organisation.uscc',
            message: {
              'zh-CN': '已由其他机构账号备案',
              en: 'filed under another provider account',
            },
          },
        ],
      },
    );
  }
}

/** 409: a registered provider files changes, not a second registration. */
export class ProviderAlreadyRegisteredError extends ShanyuError {
  readonly code = 'PROVIDER_ALREADY_REGISTERED';
  readonly statusCode = 409;
  constructor(providerId: string) {
    super({
      'zh-CN': `机构 ${providerId} 已备案，变更请提交变更备案`,
      en: `Provider ${providerId} is registered; file a change instead`,
    });
  }
}

/** 409: only a registered provider can file a change. */
export class ProviderNotRegisteredError extends ShanyuError {
  readonly code = 'PROVIDER_NOT_REGISTERED';
  readonly statusCode = 409;
  constructor(providerId: string) {
    super({
      'zh-CN': `机构 ${providerId} 未处于已备案状态，不能提交变更备案`,
      en: `Provider ${providerId} is not registered, so it cannot file a change`,
    });
  }
}

/** 409: the provider's registration was entered by hand, so there is no filing to change. */
export class RegistrationRecordMissingError extends ShanyuError {
  readonly code = 'REGISTRATION_RECORD_MISSING';
  readonly statusCode = 409;
  constructor(providerId: string) {
    super({
      'zh-CN': `机构 ${providerId} 没有线上备案材料，请先提交完整备案`,
      en: `Provider ${providerId} has no filing on record; submit a full registration first`,
    });
  }
}

/** 403: only an account tied to a provider (its `providerId`) may file for it. */
export class ProviderAccountRequiredError extends ShanyuError {
  readonly code = 'PROVIDER_ACCOUNT_REQUIRED';
  readonly statusCode = 403;
  constructor() {
    super({
      'zh-CN': '当前账号未关联托育机构，请使用机构账号登录后提交备案',
      en: 'This account is not tied to a childcare provider; sign in with the provider account to file',
    });
  }
}
