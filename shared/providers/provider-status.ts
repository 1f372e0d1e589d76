import { ProviderStatusFinalError } from './provider-errors.ts';
import type { ProviderRecord, ProviderStatus } from './provider-record.ts';

/**
 * Where a registration may go from each status. Suspension (暂停) can be lifted; revocation (撤销)
 * cannot: a revoked provider files anew.
 */
export const providerStatusTransitions: Readonly<
  Record<ProviderStatus, readonly ProviderStatus[]>
> = {
  registered: ['suspended', 'revoked'],
  suspended: ['registered', 'revoked'],
  revoked: [],
};

/**
 * Whether moving `record` to `to` changes anything: false for its current status (a repeated
 * request is harmless), true for an allowed move; throws {@link ProviderStatusFinalError} for any
 * other (only a revoked provider has none).
 */
export function statusChanges(
  record: Pick<ProviderRecord, 'providerId' | 'status'>,
  to: ProviderStatus,
): boolean {
  if (record.status === to) return false;
  if (!providerStatusTransitions[record.status].includes(to)) {
    throw new ProviderStatusFinalError(record.providerId, record.status);
  }
  return true;
}
