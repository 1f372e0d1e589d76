import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../shared/auth/principal.ts';
import type { Role } from '../../../shared/auth/roles.ts';
import { canReadDocument } from '../../../shared/documents/document-access.ts';

const record = { ownerSub: 'provider-staff-1' };
const as = (sub: string, ...roles: Role[]): Principal => ({ sub, roles, district: 'wuxing' });

describe('canReadDocument', () => {
  it('lets the uploader read their document', () => {
    // Prepare / Act / Assess
    expect(canReadDocument(as('provider-staff-1', 'provider'), record)).toBe(true);
  });

  it('lets the staff who review filings read any document', () => {
    // Prepare
    const reviewers: Role[] = [
      'caseworker',
      'supervisor',
      'civil-affairs',
      'fire',
      'market',
      'admin',
    ];

    // Act
    const allowed = reviewers.map((role) => canReadDocument(as('staff', role), record));

    // Assess
    expect(allowed).toEqual(reviewers.map(() => true));
  });

  it('keeps documents from other providers, families and finance staff', () => {
    // Prepare
    const others = [
      as('provider-staff-2', 'provider'),
      as('family-1', 'citizen'),
      as('finance-1', 'finance'),
      as('nobody'),
    ];

    // Act
    const allowed = others.map((principal) => canReadDocument(principal, record));

    // Assess
    expect(allowed).toEqual([false, false, false, false]);
  });
});

describe('canReadDocument for colleagues at a provider', () => {
  it("lets a provider's other accounts read its uploads, and no other provider's", () => {
    // Prepare
    const uploaded = { ownerSub: 'staff-a', ownerProviderId: 'P-WX-0100' };
    const colleague: Principal = { sub: 'staff-b', roles: ['provider'], providerId: 'P-WX-0100' };
    const stranger: Principal = { sub: 'staff-c', roles: ['provider'], providerId: 'P-WX-0200' };

    // Act
    const results = [canReadDocument(colleague, uploaded), canReadDocument(stranger, uploaded)];

    // Assess
    expect(results).toEqual([true, false]);
  });
});
