import { describe, expect, it } from 'vitest';
// Only the pure export: the handler needs the table and is run by the integration tests.
import { receiptNumber } from '../../../functions/workflow/issue-registration-receipt.ts';

describe('receiptNumber', () => {
  it('names the day of issue and the case it answers', () => {
    // Prepare
    const issuedAt = new Date('2026-11-28T03:00:00.000Z');

    // Act
    const number = receiptNumber('PR-7K3M9Q2X4B8N', issuedAt);

    // Assess
    expect(number).toBe('HZTY-20261128-7K3M9Q2X4B8N');
  });

  it("dates the receipt by Huzhou's calendar, not UTC's", () => {
    // Prepare: 01:30 on 29 November in Huzhou is still 28 November in UTC.
    const issuedAt = new Date('2026-11-28T17:30:00.000Z');

    // Act
    const number = receiptNumber('PR-7K3M9Q2X4B8N', issuedAt);

    // Assess
    expect(number).toBe('HZTY-20261129-7K3M9Q2X4B8N');
  });

  it('keeps an id without the PR- prefix whole', () => {
    // Prepare
    const issuedAt = new Date('2026-11-28T03:00:00.000Z');

    // Act
    const number = receiptNumber('XPR-1', issuedAt);

    // Assess
    expect(number).toBe('HZTY-20261128-XPR-1');
  });
});
