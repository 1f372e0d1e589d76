import { describe, expect, it } from 'vitest';
import {
  documentRefPattern,
  isDocumentRef,
  maxDocumentBytes,
  newDocumentRef,
  objectKeyFor,
} from '../../../shared/documents/document-record.ts';
import { documentUploadRequestSchema } from '../../../shared/documents/upload-request.ts';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { validate } from '../../../shared/errors/validate.ts';
import { documentRefSchema } from '../../../shared/registration/registration-form.ts';

const valid = {
  kind: 'fire-safety',
  fileName: '消防安全检查合格证明.pdf',
  contentType: 'application/pdf',
  sizeBytes: 123_456,
};

/** The details of the ValidationError `validate` throws for `input`, or [] if it passes. */
function problems(input: unknown) {
  try {
    validate(documentUploadRequestSchema, input);
    return [];
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error.details;
  }
}

describe('document references', () => {
  it('are doc_ and 26 Crockford base32 characters, accepted by the filing form', () => {
    // Prepare
    const count = 200;

    // Act
    const refs = Array.from({ length: count }, () => newDocumentRef());

    // Assess
    for (const ref of refs) {
      expect(ref).toMatch(/^doc_[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(isDocumentRef(ref)).toBe(true);
      expect(documentRefSchema.safeParse(ref).success).toBe(true);
    }
    expect(new Set(refs).size).toBe(count);
  });

  it('use every character of the alphabet and none outside it', () => {
    // Prepare
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

    // Act
    const seen = new Set(
      Array.from({ length: 400 }, () => newDocumentRef().slice(4))
        .join('')
        .split(''),
    );

    // Assess
    expect([...seen].sort().join('')).toBe(alphabet);
  });

  it('are told apart from strings of another shape', () => {
    // Prepare
    const others = [
      'doc_0123456789ABCDEFGHJKMNPQR', // 25 characters
      'doc_0123456789ABCDEFGHJKMNPQRST', // 27
      'doc_0123456789ABCDEFGHJKMNPQRI', // I is not Crockford
      'doc_0123456789abcdefghjkmnpqrs', // lower case
      'DOC#doc_0123456789ABCDEFGHJKMNPQRS',
      '',
    ];

    // Act
    const accepted = others.filter(isDocumentRef);

    // Assess
    expect(accepted).toEqual([]);
    expect(documentRefPattern.test('doc_0123456789ABCDEFGHJKMNPQRS')).toBe(true);
  });

  it('name their object by reference only', () => {
    // Prepare / Act / Assess
    expect(objectKeyFor('doc_0123456789ABCDEFGHJKMNPQRS')).toBe(
      'documents/doc_0123456789ABCDEFGHJKMNPQRS',
    );
  });
});

describe('documentUploadRequestSchema', () => {
  it('accepts a PDF, JPEG or PNG of up to 20 MiB of a filing kind', () => {
    // Prepare
    const requests = [
      valid,
      { ...valid, contentType: 'image/jpeg', sizeBytes: 1 },
      { ...valid, contentType: 'image/png', sizeBytes: maxDocumentBytes, kind: 'staff-health' },
    ];

    // Act
    const results = requests.map((request) => problems(request));

    // Assess
    expect(results).toEqual([[], [], []]);
  });

  it('trims the file name', () => {
    // Prepare / Act
    const parsed = documentUploadRequestSchema.parse({ ...valid, fileName: '  scan.pdf ' });

    // Assess
    expect(parsed.fileName).toBe('scan.pdf');
  });

  it('refuses file names with path separators or control characters, in both languages', () => {
    // Prepare
    const names = ['../etc/passwd', 'a\\b.pdf', 'line\nbreak.pdf', 'tab\u0007.pdf'];

    // Act
    const results = names.map((fileName) => problems({ ...valid, fileName }));

    // Assess
    for (const details of results) {
      expect(details).toEqual([
        {
          path: 'fileName',
          message: {
            'zh-CN': '文件名不能包含斜杠、反斜杠或控制字符',
            en: 'A file name may not contain slashes, backslashes or control characters',
          },
        },
      ]);
    }
  });

  it('refuses empty and over-long file names', () => {
    // Prepare / Act
    const empty = problems({ ...valid, fileName: '  ' });
    const long = problems({ ...valid, fileName: `${'名'.repeat(197)}.pdf` });

    // Assess
    expect(empty.map((d) => d.path)).toEqual(['fileName']);
    expect(long.map((d) => d.path)).toEqual(['fileName']);
  });

  it('refuses other content types, sizes outside 1 byte to 20 MiB, and unknown kinds', () => {
    // Prepare
    const input = {
      kind: 'passport',
      fileName: 'a.pdf',
      contentType: 'text/html',
      sizeBytes: maxDocumentBytes + 1,
    };

    // Act
    const details = problems(input);
    const zero = problems({ ...valid, sizeBytes: 0 });
    const fraction = problems({ ...valid, sizeBytes: 1.5 });

    // Assess
    expect(details.map((d) => d.path).sort()).toEqual(['contentType', 'kind', 'sizeBytes']);
    expect(zero.map((d) => d.path)).toEqual(['sizeBytes']);
    expect(fraction.map((d) => d.path)).toEqual(['sizeBytes']);
  });

  it('refuses fields it does not know and missing ones', () => {
    // Prepare / Act
    const extra = problems({ ...valid, ownerSub: 'someone-else' });
    const missing = problems({ kind: 'fire-safety' });

    // Assess
    expect(extra.map((d) => d.path)).toEqual(['ownerSub']);
    expect(missing.map((d) => d.path).sort()).toEqual(['contentType', 'fileName', 'sizeBytes']);
  });
});
