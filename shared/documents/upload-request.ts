import * as z from 'zod';
import { documentKindSchema } from '../registration/registration-form.ts';
import {
  documentContentTypeSchema,
  documentFileNameSchema,
  maxDocumentBytes,
} from './document-record.ts';

/**
 * POST /v1/documents: what the client is about to upload. The size is signed into the upload
 * URL, so S3 refuses a body of any other length: the limit holds without trusting the client.
 */
export const documentUploadRequestSchema = z
  .object({
    kind: documentKindSchema,
    fileName: documentFileNameSchema,
    contentType: documentContentTypeSchema,
    sizeBytes: z.int().min(1).max(maxDocumentBytes),
  })
  .strict();
export type DocumentUploadRequest = z.output<typeof documentUploadRequestSchema>;
