import { roles } from '../../shared/auth/roles.ts';
import { now } from '../../shared/clock/index.ts';
import {
  canReadDocument,
  DocumentNotFoundError,
  documentFiles,
  getDocument,
} from '../../shared/documents/index.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';

/**
 * GET /v1/documents/{ref} — a document's description, whether its file arrived, and if so a
 * short-lived URL to open it. For its uploader and for staff who review filings; to anyone else
 * it does not exist.
 */
export const handler = apiHandler(
  { name: 'GetDocument', roles },
  async ({ principal, pathParameters }) => {
    const ref = pathParameters.ref ?? '';
    const record = await getDocument(ref);
    if (!record || !canReadDocument(principal, record)) throw new DocumentNotFoundError(ref);
    const files = documentFiles();
    const uploaded = await files.objectExists(record.objectKey);
    const download = uploaded ? await files.presignDownload(record, now()) : undefined;
    return jsonResponse(200, {
      ref: record.ref,
      kind: record.kind,
      fileName: record.fileName,
      contentType: record.contentType,
      sizeBytes: record.sizeBytes,
      uploaded,
      ...(download ? { download } : {}),
    });
  },
);
