import { documentClient } from '../db/client.ts';
import { HttpRegistries, httpRegistriesOptionsFromEnvironment } from './http-registries.ts';
import type { Registries } from './registries.ts';
import type { Enterprise, ResidentWithHardship } from './registry-records.ts';
import { TableRegistries } from './table-registries.ts';

export * from './http-registries.ts';
export * from './registries.ts';
export * from './registry-keys.ts';
export * from './registry-records.ts';
export * from './table-registries.ts';

/**
 * `REGISTRY_MODE=http`: the provincial data platform ({@link HttpRegistries}); anything else: the
 * registries kept in the table (TABLE_NAME), as locally and in demos.
 */
export function registriesFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Registries {
  if (env.REGISTRY_MODE === 'http') {
    return new HttpRegistries(httpRegistriesOptionsFromEnvironment(env));
  }
  return tableRegistriesFromEnvironment(env);
}

function tableRegistriesFromEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): TableRegistries {
  const tableName = env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set');
  return new TableRegistries({ documents: documentClient, tableName });
}

let defaultTable: TableRegistries | undefined;
/** Built on first use, so that importing this module never needs TABLE_NAME. */
function tableRegistries(): TableRegistries {
  defaultTable ??= tableRegistriesFromEnvironment(process.env);
  return defaultTable;
}

/** Creates or replaces a resident in the table registries (TABLE_NAME). */
export function putResident(resident: ResidentWithHardship): Promise<void> {
  return tableRegistries().putResident(resident);
}

/** Creates or replaces an enterprise in the table registries (TABLE_NAME). */
export function putEnterprise(enterprise: Enterprise): Promise<void> {
  return tableRegistries().putEnterprise(enterprise);
}
