import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import type { Registries, RegistryName } from './registries.ts';
import { RegistryUnavailableError } from './registries.ts';
import { normaliseCode, registryKeys } from './registry-keys.ts';
import {
  type Enterprise,
  enterpriseSchema,
  type HardshipRecord,
  hardshipRecordSchema,
  type Resident,
  type ResidentWithHardship,
  residentSchema,
} from './registry-records.ts';

export interface TableRegistriesOptions {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

const storedResidentSchema = residentSchema.extend({ hardship: hardshipRecordSchema.optional() });

/** The table item of a resident (with their hardship status, if any). */
export function residentItem(resident: ResidentWithHardship): Record<string, unknown> {
  const { idNumber, name, birthDate, hukouDistrict, hardship } = resident;
  return {
    ...registryKeys.resident(idNumber),
    entity: 'registry-resident',
    idNumber: normaliseCode(idNumber),
    name,
    birthDate,
    hukouDistrict,
    ...(hardship === undefined
      ? {}
      : { hardship: { category: hardship.category, validUntil: hardship.validUntil } }),
  };
}

/** The table item of an enterprise. */
export function enterpriseItem(enterprise: Enterprise): Record<string, unknown> {
  return {
    ...registryKeys.enterprise(enterprise.uscc),
    entity: 'registry-enterprise',
    uscc: normaliseCode(enterprise.uscc),
    name: enterprise.name,
    status: enterprise.status,
  };
}

/**
 * The registries as items of the one table: the local stand-in for the provincial data platform,
 * and what demos run on. A table that fails to answer is reported like a registry that fails to
 * answer, so that workflows behave the same locally and against the platform.
 */
export class TableRegistries implements Registries {
  readonly #documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly #tableName: string;

  constructor(options: TableRegistriesOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  async findResident(idNumber: string): Promise<Resident | undefined> {
    const stored = await this.#findStoredResident(idNumber, 'household');
    if (stored === undefined) return undefined;
    const { hardship: _hardship, ...resident } = stored;
    return resident;
  }

  async findHardship(idNumber: string): Promise<HardshipRecord | undefined> {
    return (await this.#findStoredResident(idNumber, 'civil-affairs'))?.hardship;
  }

  async findEnterprise(uscc: string): Promise<Enterprise | undefined> {
    const item = await this.#get(registryKeys.enterprise(uscc), 'market');
    return item === undefined ? undefined : this.#parse(enterpriseSchema, item, 'market');
  }

  /** Creates or replaces a resident (and their hardship status: none if absent). */
  async putResident(resident: ResidentWithHardship): Promise<void> {
    await this.#documents.send(
      new PutCommand({ TableName: this.#tableName, Item: residentItem(resident) }),
    );
  }

  /** Creates or replaces an enterprise. */
  async putEnterprise(enterprise: Enterprise): Promise<void> {
    await this.#documents.send(
      new PutCommand({ TableName: this.#tableName, Item: enterpriseItem(enterprise) }),
    );
  }

  async #findStoredResident(idNumber: string, registry: RegistryName) {
    const item = await this.#get(registryKeys.resident(idNumber), registry);
    return item === undefined ? undefined : this.#parse(storedResidentSchema, item, registry);
  }

  async #get(
    key: { pk: string; sk: string },
    registry: RegistryName,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const { Item } = await this.#documents.send(
        new GetCommand({ TableName: this.#tableName, Key: key }),
      );
      return Item;
    } catch (cause) {
      throw new RegistryUnavailableError({ registry, reason: 'unreachable', attempts: 1, cause });
    }
  }

  #parse<S extends z.ZodType>(
    schema: S,
    item: Record<string, unknown>,
    registry: RegistryName,
  ): z.output<S> {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      throw new RegistryUnavailableError({ registry, reason: 'invalid-response', attempts: 1 });
    }
    return parsed.data;
  }
}
