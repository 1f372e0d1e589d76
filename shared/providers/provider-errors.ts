import { ShanyuError } from '../errors/shanyu-error.ts';
import type { ProviderStatus } from './provider-record.ts';

export class ProviderNotFoundError extends ShanyuError {
  readonly code = 'PROVIDER_NOT_FOUND';
  readonly statusCode = 404;
  constructor(readonly providerId: string) {
    super({
      'zh-CN': `托育机构 ${providerId} 不存在`,
      en: `Childcare provider ${providerId} does not exist`,
    });
  }
}

/** A revoked registration is final: the provider must file anew. */
export class ProviderStatusFinalError extends ShanyuError {
  readonly code = 'PROVIDER_STATUS_FINAL';
  readonly statusCode = 409;
  constructor(
    readonly providerId: string,
    readonly status: ProviderStatus,
  ) {
    super({
      'zh-CN': `托育机构 ${providerId} 的备案已撤销，不能再变更状态；如需继续办托，请重新备案`,
      en: `The registration of childcare provider ${providerId} is revoked and cannot change any more; the provider must file a new registration`,
    });
  }
}
