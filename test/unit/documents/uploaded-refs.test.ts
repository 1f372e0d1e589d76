import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../../shared/documents/document-record.ts';
import { findUploadedDocuments } from '../../../shared/documents/uploaded-refs.ts';

function recordOf(ref: string, ownerSub: string): DocumentRecord {
  return {
    ref,
    ownerSub,
    kind: 'business-license',
    fileName: 'license.pdf',
    contentType: 'application/pdf',
    sizeBytes: 10,
    createdAt: '2026-11-28T10:00:00.000Z',
    objectKey: `documents/${ref}`,
  };
}

const mine = 'doc_00000000000000000000000001';
const mineNotUploaded = 'doc_00000000000000000000000002';
const theirs = 'doc_00000000000000000000000003';
const unknown = 'doc_00000000000000000000000004';

const store = {
  async findDocuments(refs: Iterable<string>) {
    const known = new Map([
      [mine, recordOf(mine, 'owner')],
      [mineNotUploaded, recordOf(mineNotUploaded, 'owner')],
      [theirs, recordOf(theirs, 'someone-else')],
    ]);
    return new Map(
      [...refs].flatMap((ref) => {
        const record = known.get(ref);
        return record ? [[ref, record] as const] : [];
      }),
    );
  },
};

describe('findUploadedDocuments', () => {
  it("keeps only the owner's documents whose file is in the bucket", async () => {
    // Prepare
    const headed: string[] = [];
    const files = {
      async objectExists(objectKey: string) {
        headed.push(objectKey);
        return objectKey !== `documents/${mineNotUploaded}`;
      },
    };

    // Act
    const found = await findUploadedDocuments(
      [mine, mineNotUploaded, theirs, unknown],
      { sub: 'owner' },
      {
        store,
        files,
      },
    );

    // Assess
    expect([...found.keys()]).toEqual([mine]);
    expect(found.get(mine)?.kind).toBe('business-license');
    // Someone else's file is not even looked for.
    expect(headed.sort()).toEqual([`documents/${mine}`, `documents/${mineNotUploaded}`]);
  });

  it('checks many files without running more than ten checks at once', async () => {
    // Prepare
    const refs = Array.from({ length: 45 }, (_, i) => `doc_${String(i).padStart(26, '0')}`);
    const manyStore = {
      async findDocuments(wanted: Iterable<string>) {
        return new Map([...wanted].map((ref) => [ref, recordOf(ref, 'owner')]));
      },
    };
    let running = 0;
    let peak = 0;
    const files = {
      async objectExists() {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
        return true;
      },
    };

    // Act
    const found = await findUploadedDocuments(refs, { sub: 'owner' }, { store: manyStore, files });

    // Assess
    expect(found.size).toBe(45);
    expect(peak).toBeLessThanOrEqual(10);
    expect(peak).toBeGreaterThan(1);
  });
});
