import { describe, expect, it } from 'vitest';
import { type CaseRecord, checkedAlready } from '../../../shared/cases/case-record.ts';

const record = (version: number, checks?: CaseRecord['checks']): CaseRecord => ({
  caseId: 'PR-1',
  caseType: 'provider-registration',
  status: 'in-review',
  applicantSub: 'provider-1',
  fingerprint: 'f',
  form: {},
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version,
  ...(checks ? { checks } : {}),
});

describe('checkedAlready', () => {
  const checks = (ofVersion?: number) => ({
    policyVersion: 'standards-2019',
    checkedAt: '2026-11-02T00:00:00.000Z',
    ...(ofVersion === undefined ? {} : { ofVersion }),
  });

  it('is true when the last change recorded a check of the version before it (a retried step)', () => {
    // Act / Assess
    expect(checkedAlready(record(4, checks(3)))).toBe(true);
  });

  it('is false once anything changed the case after the check, or before any check', () => {
    // Act / Assess
    expect(checkedAlready(record(5, checks(3)))).toBe(false);
    expect(checkedAlready(record(2))).toBe(false);
    expect(checkedAlready(record(4, checks()))).toBe(false);
  });
});
