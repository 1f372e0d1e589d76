/** Error codes this store answers with, as S3 spells them (the SDK names its exceptions after them). */
export type S3ErrorCode =
  | 'AccessDenied'
  | 'AuthorizationHeaderMalformed'
  | 'AuthorizationQueryParametersError'
  | 'BadDigest'
  | 'EntityTooLarge'
  | 'IncompleteBody'
  | 'InternalError'
  | 'InvalidAccessKeyId'
  | 'InvalidArgument'
  | 'InvalidBucketName'
  | 'InvalidRequest'
  | 'MethodNotAllowed'
  | 'MissingContentLength'
  | 'NoSuchBucket'
  | 'NoSuchKey'
  | 'NotImplemented'
  | 'SignatureDoesNotMatch'
  | 'XAmzContentSHA256Mismatch';

const statusCodes: Record<S3ErrorCode, number> = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  BadDigest: 400,
  EntityTooLarge: 400,
  IncompleteBody: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidRequest: 400,
  MethodNotAllowed: 405,
  MissingContentLength: 411,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NotImplemented: 501,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
};

/** A failure S3 reports to its caller: the XML `<Error>` document and its HTTP status. */
export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly statusCode: number;
  /** Extra elements of the `<Error>` document, e.g. `BucketName`, `Key`. */
  readonly fields: Readonly<Record<string, string>>;

  constructor(code: S3ErrorCode, message: string, fields: Record<string, string> = {}) {
    super(message);
    this.name = 'S3Error';
    this.code = code;
    this.statusCode = statusCodes[code];
    this.fields = fields;
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The XML body S3 sends with an error; any error not an {@link S3Error} is an InternalError. */
export function errorDocument(
  error: unknown,
  requestId: string,
): { statusCode: number; body: string } {
  const failure =
    error instanceof S3Error
      ? error
      : new S3Error('InternalError', 'We encountered an internal error. Please try again.');
  const fields = Object.entries({ ...failure.fields, RequestId: requestId })
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return {
    statusCode: failure.statusCode,
    body:
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${failure.code}</Code><Message>${escapeXml(failure.message)}</Message>${fields}</Error>`,
  };
}
