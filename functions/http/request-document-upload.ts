import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { now } from '../../shared/clock/index.ts';
import {
  documentFiles,
  newDocumentRef,
  objectKeyFor,
  putDocument,
} from '../../shared/documents/index.ts';
import { documentUploadRequestSchema } from '../../shared/documents/upload-request.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { jsonResponse } from '../../shared/http/response.ts';
import { logger, metrics } from '../../shared/observability/index.ts';

/**
 * POST /v1/documents — a provider or a family is about to upload a file for a filing: it gets a
 * new reference and a URL to PUT the file to, directly to storage. Not idempotent: each call
 * issues a new reference, and a reference never used costs only its small record.
 */
export const handler = apiHandler(
  {
    name: 'RequestDocumentUpload',
    roles: ['provider', 'citizen'],
    body: documentUploadRequestSchema,
  },
  async ({ principal, body }) => {
    const ref = newDocumentRef();
    const objectKey = objectKeyFor(ref);
    const createdAt = now();
    await putDocument({
      ref,
      ownerSub: principal.sub,
      ...(principal.roles.includes('provider') && principal.providerId
        ? { ownerProviderId: principal.providerId }
        : {}),
      kind: body.kind,
      fileName: body.fileName,
      contentType: body.contentType,
      sizeBytes: body.sizeBytes,
      createdAt: createdAt.toISOString(),
      objectKey,
    });
    const upload = await documentFiles().presignUpload(
      { objectKey, contentType: body.contentType, sizeBytes: body.sizeBytes },
      createdAt,
    );
    logger.appendKeys({ documentRef: ref });
    metrics.addMetric('DocumentUploadRequested', MetricUnit.Count, 1);
    logger.info('Document upload requested', { kind: body.kind, sizeBytes: body.sizeBytes });
    return jsonResponse(201, { ref, kind: body.kind, upload });
  },
);
