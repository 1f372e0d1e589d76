import type { NotificationRecord } from '../../../shared/notifications/notification.ts';
import type { OutboxItem } from '../../../shared/notifications/outbox.ts';
import {
  type DueNotification,
  type GuardianContact,
  type OutboxKey,
  type OutboxStore,
  pendingSortKey,
} from '../../../shared/notifications/outbox-store.ts';

type StoredItem = Record<string, unknown> & { pk: string; sk: string };

/**
 * An in-memory outbox with the DynamoDB store's semantics: the same conditions, the same sparse
 * pending index ordered by `gsi4sk`, the same attribute changes. Lets the sender's logic be tested
 * without a database; `calls` counts what the sender asked of it.
 */
export class MemoryOutboxStore implements OutboxStore {
  readonly items = new Map<string, StoredItem>();
  readonly cases = new Map<string, GuardianContact>();
  /** Runs before every claim; a test can use it to let a competing run go first. */
  beforeClaim: (key: OutboxKey) => Promise<void> = async () => {};

  private static id({ pk, sk }: OutboxKey): string {
    return `${pk}|${sk}`;
  }

  put(item: OutboxItem | StoredItem): void {
    this.items.set(MemoryOutboxStore.id(item), structuredClone(item) as StoredItem);
  }

  get(key: OutboxKey): StoredItem | undefined {
    return this.items.get(MemoryOutboxStore.id(key));
  }

  /** The item filed under that notification id (whatever its key). */
  byId(notificationId: string): StoredItem {
    const found = [...this.items.values()].find((i) => i.notificationId === notificationId);
    if (!found) throw new Error(`No item ${notificationId}`);
    return found;
  }

  async due(now: Date, limit: number): Promise<DueNotification[]> {
    const bound = `${now.toISOString()}~`;
    return [...this.items.values()]
      .filter((item) => item.gsi4pk === 'OUTBOX#PENDING' && String(item.gsi4sk) < bound)
      .sort((a, b) => String(a.gsi4sk).localeCompare(String(b.gsi4sk)))
      .slice(0, limit)
      .map((item) => {
        const key = { pk: item.pk, sk: item.sk };
        const copy = structuredClone(item);
        return typeof copy.notificationId === 'string'
          ? { key, seen: copy as unknown as NotificationRecord & { gsi4sk: string } }
          : { key, seen: undefined, gsi4sk: String(item.gsi4sk) };
      });
  }

  async claim(
    key: OutboxKey,
    seen: Pick<NotificationRecord, 'status' | 'notificationId'> & { gsi4sk: string },
    claim: { token: string; until: string },
  ) {
    await this.beforeClaim(key);
    const item = this.get(key);
    if (!item || item.status !== seen.status || item.gsi4sk !== seen.gsi4sk) return undefined;
    item.attempts = Number(item.attempts) + (seen.status === 'sending' ? 1 : 0);
    Object.assign(item, {
      status: 'sending',
      claimToken: claim.token,
      claimedUntil: claim.until,
      gsi4sk: pendingSortKey(claim.until, seen.notificationId),
    });
    return {
      key,
      token: claim.token,
      record: structuredClone(item) as unknown as NotificationRecord,
    };
  }

  private held(key: OutboxKey, token: string): StoredItem | undefined {
    const item = this.get(key);
    return item?.status === 'sending' && item.claimToken === token ? item : undefined;
  }

  private static leaveIndex(item: StoredItem): void {
    for (const name of ['gsi4pk', 'gsi4sk', 'claimToken', 'claimedUntil', 'notBefore']) {
      delete item[name];
    }
  }

  async markSent(
    claimed: { key: OutboxKey; token: string },
    receipt: { sentAt: string; channel: string; messageId: string; sentTo: string },
  ) {
    const item = this.held(claimed.key, claimed.token);
    if (!item) return false;
    Object.assign(item, { status: 'sent', ...receipt });
    MemoryOutboxStore.leaveIndex(item);
    return true;
  }

  async markFailed(
    claimed: { key: OutboxKey; token: string; record: NotificationRecord },
    failure: { attempts: number; error: string; at: string; retryAt?: string },
  ) {
    const item = this.held(claimed.key, claimed.token);
    if (!item) return false;
    if (failure.retryAt === undefined) {
      Object.assign(item, {
        status: 'failed',
        attempts: failure.attempts,
        lastError: failure.error,
        failedAt: failure.at,
      });
      MemoryOutboxStore.leaveIndex(item);
    } else {
      Object.assign(item, {
        status: 'pending',
        attempts: failure.attempts,
        lastError: failure.error,
        notBefore: failure.retryAt,
        gsi4sk: pendingSortKey(failure.retryAt, claimed.record.notificationId),
      });
      delete item.claimToken;
      delete item.claimedUntil;
    }
    return true;
  }

  async discard(key: OutboxKey, seenGsi4sk: string, reason: string, at: string) {
    const item = this.get(key);
    if (!item || item.gsi4sk !== seenGsi4sk) return false;
    Object.assign(item, { status: 'failed', lastError: reason, failedAt: at });
    MemoryOutboxStore.leaveIndex(item);
    return true;
  }

  async guardianContact(caseId: string) {
    return this.cases.get(caseId);
  }
}
