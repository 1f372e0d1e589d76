import { randomInt } from 'node:crypto';
import type { RegistrationForm } from '../../shared/registration/registration-form.ts';
import type { ApiClient } from './api-client.ts';
import {
  compliantRegistrationForm,
  enterpriseFor,
  type RegistrationFormOverrides,
  usccFor,
} from './registration-form.ts';

/** A USCC no other test run is likely to have used. */
export const freshUscc = () => usccFor(randomInt(0, 10_000_000));

/**
 * Uploads one small PDF per document of the form through the API (POST /v1/documents, then the
 * PUT it hands out) and returns the form with the refs it got.
 */
export async function withUploadedDocuments(
  api: ApiClient,
  token: string,
  form: RegistrationForm,
): Promise<RegistrationForm> {
  const content = new TextEncoder().encode('%PDF-1.4\n% 善育 test document\n');
  const documents = [];
  for (const document of form.documents) {
    const requested = await api.request<{
      ref: string;
      upload: { method: string; url: string; headers: Record<string, string> };
    }>('POST', '/v1/documents', {
      token,
      body: {
        kind: document.kind,
        fileName: `${document.kind}.pdf`,
        contentType: 'application/pdf',
        sizeBytes: content.byteLength,
      },
    });
    if (requested.status !== 201) throw new Error(`upload not granted: ${requested.status}`);
    const { upload, ref } = requested.body;
    const put = await fetch(upload.url, {
      method: upload.method,
      headers: upload.headers,
      body: content,
    });
    if (!put.ok) throw new Error(`upload failed: ${put.status} ${await put.text()}`);
    documents.push({ kind: document.kind, ref });
  }
  return { ...form, documents };
}

/**
 * A compliant filing for a fresh organisation, known to the enterprise registry as active, with
 * its documents uploaded by `token`'s account.
 */
export async function readyFiling(
  api: ApiClient,
  token: string,
  overrides: RegistrationFormOverrides = {},
  enterprise: { status?: 'active' | 'revoked'; listed?: boolean } = {},
): Promise<RegistrationForm> {
  const form = compliantRegistrationForm({ uscc: freshUscc(), ...overrides });
  if (enterprise.listed !== false) {
    const registered = await api.request('POST', '/dev/registry/enterprises', {
      body: { ...enterpriseFor(form), status: enterprise.status ?? 'active' },
    });
    if (registered.status !== 201) throw new Error(`enterprise not listed: ${registered.status}`);
  }
  return withUploadedDocuments(api, token, form);
}
