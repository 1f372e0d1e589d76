import type { LocalizedText } from './localized.ts';
import { type ErrorDetail, ShanyuError, type ShanyuErrorOptions } from './shanyu-error.ts';

export class ValidationError extends ShanyuError {
  readonly code = 'VALIDATION_FAILED';
  readonly statusCode = 400;
  constructor(details: readonly ErrorDetail[], options: Omit<ShanyuErrorOptions, 'details'> = {}) {
    super(
      { 'zh-CN': '提交的内容有误，请按提示修改后重试', en: 'The request has invalid fields' },
      { ...options, details },
    );
  }
}

export class MalformedJsonError extends ShanyuError {
  readonly code = 'MALFORMED_JSON';
  readonly statusCode = 400;
  constructor(options?: ShanyuErrorOptions) {
    super({ 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' }, options);
  }
}

export class UnsupportedMediaTypeError extends ShanyuError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly statusCode = 415;
  constructor() {
    super({
      'zh-CN': '请求体必须是 application/json',
      en: 'The request body must be application/json',
    });
  }
}

export class PayloadTooLargeError extends ShanyuError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly statusCode = 413;
  constructor(limitBytes: number) {
    const kb = Math.floor(limitBytes / 1024);
    super({
      'zh-CN': `请求体超过 ${kb} KB 上限`,
      en: `The request body exceeds the ${kb} KB limit`,
    });
  }
}

export class UnauthenticatedError extends ShanyuError {
  readonly code = 'UNAUTHENTICATED';
  readonly statusCode = 401;
  constructor() {
    super({
      'zh-CN': '未登录或登录已过期，请重新登录',
      en: 'Missing, invalid or expired credentials',
    });
  }
}

export class ForbiddenError extends ShanyuError {
  readonly code = 'FORBIDDEN';
  readonly statusCode = 403;
  constructor(text?: LocalizedText) {
    super(text ?? { 'zh-CN': '您无权执行此操作', en: 'You are not allowed to do this' });
  }
}

export class NotFoundError extends ShanyuError {
  readonly code = 'NOT_FOUND';
  readonly statusCode = 404;
  constructor(text?: LocalizedText) {
    super(text ?? { 'zh-CN': '找不到请求的资源', en: 'The requested resource does not exist' });
  }
}

export class RouteNotFoundError extends ShanyuError {
  readonly code = 'ROUTE_NOT_FOUND';
  readonly statusCode = 404;
  constructor() {
    super({ 'zh-CN': '接口不存在', en: 'No such endpoint' });
  }
}

export class MethodNotAllowedError extends ShanyuError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly statusCode = 405;
  constructor(allowed: readonly string[]) {
    super(
      {
        'zh-CN': `该接口不支持此请求方法，可用方法：${allowed.join(', ')}`,
        en: `Method not allowed; use ${allowed.join(', ')}`,
      },
      { headers: { allow: allowed.join(', ') } },
    );
  }
}

export class IdempotencyKeyRequiredError extends ShanyuError {
  readonly code = 'IDEMPOTENCY_KEY_REQUIRED';
  readonly statusCode = 400;
  constructor() {
    super(
      {
        'zh-CN': '创建类请求必须携带 Idempotency-Key 请求头（1–128 个可见字符）',
        en: 'Creating requests need an Idempotency-Key header (1–128 visible characters)',
      },
      {
        details: [
          {
            path: 'headers.idempotency-key',
            message: { 'zh-CN': '缺少或格式不正确', en: 'Missing or malformed' },
          },
        ],
      },
    );
  }
}

export class IdempotencyKeyReusedError extends ShanyuError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly statusCode = 422;
  constructor() {
    super({
      'zh-CN': '该 Idempotency-Key 已用于内容不同的请求',
      en: 'This Idempotency-Key was already used with a different request body',
    });
  }
}

export class RequestInProgressError extends ShanyuError {
  readonly code = 'REQUEST_IN_PROGRESS';
  readonly statusCode = 409;
  constructor() {
    super({
      'zh-CN': '相同的请求正在处理中，请稍后重试',
      en: 'An identical request is still being processed; retry shortly',
    });
  }
}

export class ConflictError extends ShanyuError {
  readonly code: string;
  readonly statusCode = 409;
  constructor(code: string, text: LocalizedText) {
    super(text);
    this.code = code;
  }
}

/** Too many concurrent changes to the same thing; nothing was changed and a retry will do. */
export class ServiceBusyError extends ShanyuError {
  readonly code = 'BUSY';
  readonly statusCode = 503;
  constructor() {
    super(
      { 'zh-CN': '办理人数较多，请稍后重试', en: 'Too many changes at once; please retry shortly' },
      { headers: { 'retry-after': '1' } },
    );
  }
}

export class InternalError extends ShanyuError {
  readonly code = 'INTERNAL';
  readonly statusCode = 500;
  constructor() {
    super({
      'zh-CN': '服务器内部错误，请稍后重试',
      en: 'Internal error; please retry later',
    });
  }
}
