import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { documentKindSchema } from '../registration/registration-form.ts';

/** What the bucket takes: scans and photos of paper certificates. */
export const documentContentTypeSchema = z.enum(['application/pdf', 'image/jpeg', 'image/png']);
export type DocumentContentType = z.infer<typeof documentContentTypeSchema>;

/** 20 MiB: a multi-page scan at a readable resolution, well below S3's single-PUT limit. */
export const maxDocumentBytes = 20 * 1024 * 1024;

// Crockford base32: no I, L, O, U, so a reference read aloud or retyped is unambiguous.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const refLength = 26;

/** `doc_` and 26 Crockford base32 characters (130 random bits), as POST /v1/documents issues. */
export const documentRefPattern = /^doc_[0-9A-HJKMNP-TV-Z]{26}$/;

/** A fresh, unguessable document reference. */
export function newDocumentRef(): string {
  // 256 is a multiple of 32, so `byte % 32` picks every character equally often.
  const bytes = randomBytes(refLength);
  let ref = 'doc_';
  for (const byte of bytes) ref += alphabet[byte % 32];
  return ref;
}

/** Whether `ref` has the shape of a reference we issue (it may still name nothing). */
export function isDocumentRef(ref: string): boolean {
  return documentRefPattern.test(ref);
}

/**
 * The name the file had on the uploader's device, shown to staff and offered on download. Path
 * separators and control characters would let it pose as a path or break a header.
 */
export const documentFileNameSchema = z
  .string()
  .trim()
  .min(1, { abort: true })
  .max(200)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .regex(/^[^/\\\u0000-\u001f\u007f]+$/, { message: 'DOCUMENT_FILE_NAME_INVALID' });

/** Where a document's file lives in the bucket: by reference only, so keys carry no names. */
export function objectKeyFor(ref: string): string {
  return `documents/${ref}`;
}

/**
 * A document's record in the table (`DOC#<ref>`), written when the upload URL is handed out. The
 * file may never arrive: whether it did is the bucket's to say (HeadObject), not the record's.
 * Unused records stay (a few hundred bytes each); no TTL removes them yet.
 */
export const documentRecordSchema = z.object({
  ref: z.string().regex(documentRefPattern),
  /** The `sub` of who asked for the upload; only they may file it. */
  ownerSub: z.string().min(1),
  /** The provider the uploader acted for, when they are provider staff. */
  ownerProviderId: z.string().min(1).optional(),
  kind: documentKindSchema,
  fileName: documentFileNameSchema,
  contentType: documentContentTypeSchema,
  sizeBytes: z.int().min(1).max(maxDocumentBytes),
  createdAt: z.iso.datetime(),
  objectKey: z.string().min(1),
});
export type DocumentRecord = z.infer<typeof documentRecordSchema>;
