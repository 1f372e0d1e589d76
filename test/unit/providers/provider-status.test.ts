import { describe, expect, it } from 'vitest';
import { ProviderStatusFinalError } from '../../../shared/providers/provider-errors.ts';
import type { ProviderStatus } from '../../../shared/providers/provider-record.ts';
import { statusChanges } from '../../../shared/providers/provider-status.ts';

describe('statusChanges', () => {
  it.each<[ProviderStatus, ProviderStatus, boolean | 'final']>([
    ['registered', 'registered', false],
    ['registered', 'suspended', true],
    ['registered', 'revoked', true],
    ['suspended', 'registered', true],
    ['suspended', 'suspended', false],
    ['suspended', 'revoked', true],
    ['revoked', 'registered', 'final'],
    ['revoked', 'suspended', 'final'],
    ['revoked', 'revoked', false],
  ])('%s → %s: %s', (from, to, expected) => {
    // Prepare
    const record = { providerId: 'P-WX-0001', status: from };

    // Act
    const decide = () => statusChanges(record, to);

    // Assess
    if (expected === 'final') {
      expect(decide).toThrow(ProviderStatusFinalError);
      expect(decide).toThrow(
        expect.objectContaining({ code: 'PROVIDER_STATUS_FINAL', statusCode: 409 }),
      );
    } else {
      expect(decide()).toBe(expected);
    }
  });
});
