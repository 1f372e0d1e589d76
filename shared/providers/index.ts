import type { Actor } from '../cases/case-record.ts';
import { documentClient, tableName } from '../db/client.ts';
import type { ProviderRecord } from './provider-record.ts';
import {
  type ProviderPage,
  ProviderStore,
  type RegistryListing,
  type StatusChange,
} from './provider-store.ts';

export * from './provider-errors.ts';
export * from './provider-record.ts';
export * from './provider-status.ts';
export * from './provider-store.ts';
export * from './provider-view.ts';

let defaultStore: ProviderStore | undefined;
/** Built on first use, so that importing this module never needs TABLE_NAME. */
function store(): ProviderStore {
  defaultStore ??= new ProviderStore({ documents: documentClient, tableName: tableName() });
  return defaultStore;
}

/** The provider from the table (TABLE_NAME); undefined if there is none with that id. */
export function getProvider(providerId: string): Promise<ProviderRecord | undefined> {
  return store().get(providerId);
}

/** Creates or replaces the provider in the table (TABLE_NAME). */
export function putProvider(record: ProviderRecord): Promise<void> {
  return store().put(record);
}

/** One page of the public registry (see ProviderStore.listRegistered). */
export function listRegisteredProviders(listing: RegistryListing): Promise<ProviderPage> {
  return store().listRegistered(listing);
}

/** Suspends, revokes or reinstates a provider (see ProviderStore.setStatus). */
export function setProviderStatus(
  providerId: string,
  change: StatusChange,
  actor: Actor,
): Promise<ProviderRecord> {
  return store().setStatus(providerId, change, actor);
}
