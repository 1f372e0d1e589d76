import { ShanyuError } from '../errors/shanyu-error.ts';

/**
 * No such document, or not one the caller may see: the two answer alike, so a reference says
 * nothing about documents of others.
 */
export class DocumentNotFoundError extends ShanyuError {
  readonly code = 'DOCUMENT_NOT_FOUND';
  readonly statusCode = 404;
  constructor(ref: string) {
    super({ 'zh-CN': `材料 ${ref} 不存在`, en: `Document ${ref} does not exist` });
  }
}
