import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../shared/cases/case-record.ts';

let locks: typeof import('../../../shared/registration/registration-locks.ts');

beforeAll(async () => {
  process.env.TABLE_NAME ??= 'test-table';
  locks = await import('../../../shared/registration/registration-locks.ts');
});

const filing = (kind: 'new' | 'change'): CaseRecord => ({
  caseId: 'PR-1',
  caseType: 'provider-registration',
  status: 'rejected',
  applicantSub: 'staff-a',
  providerId: 'P-WX-0100',
  fingerprint: 'x',
  form: { organisation: { uscc: '91330502MA2019058X' }, filing: { kind } },
  createdAt: '2026-11-28T00:00:00.000Z',
  updatedAt: '2026-11-28T00:00:00.000Z',
  version: 3,
});

describe('releaseOrganisationItems', () => {
  it("gives a failed first filing's code back, only where this provider holds it", () => {
    // Prepare / Act
    const items = locks.releaseOrganisationItems(filing('new'));

    // Assess
    expect(items).toEqual([
      {
        Delete: expect.objectContaining({
          Key: { pk: 'ORGANISATION#91330502MA2019058X', sk: 'PROVIDER' },
          ConditionExpression: 'attribute_not_exists(pk) OR providerId = :providerId',
          ExpressionAttributeValues: { ':providerId': 'P-WX-0100' },
        }),
      },
    ]);
  });

  it('keeps the code of a registered provider whose change filing failed', () => {
    // Prepare / Act
    const items = locks.releaseOrganisationItems(filing('change'));

    // Assess
    expect(items).toEqual([]);
  });
});
