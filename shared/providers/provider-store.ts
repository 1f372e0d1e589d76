import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type ProviderRecord,
  providerIdSchema,
  providerKey,
  providerRecordSchema,
} from './provider-record.ts';

export interface ProviderStoreOptions {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
}

/** An item for a provider that is not what the schema says: a bug or a hand edit, never input. */
export class InvalidProviderRecordError extends Error {
  constructor(readonly providerId: string) {
    super(`The stored record of provider ${providerId} is invalid`);
    this.name = 'InvalidProviderRecordError';
  }
}

/** The table item of a provider. */
export function providerItem(record: ProviderRecord): Record<string, unknown> {
  return { ...providerKey(record.providerId), entity: 'provider', ...record };
}

/** Our provider registry in the one table (`pk = PROVIDER#<providerId>`, `sk = PROFILE`). */
export class ProviderStore {
  readonly #documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly #tableName: string;

  constructor(options: ProviderStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
  }

  async get(providerId: string): Promise<ProviderRecord | undefined> {
    // An id no provider can have is not worth a read (and keeps `#` out of the key).
    if (!providerIdSchema.safeParse(providerId).success) return undefined;
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: providerKey(providerId) }),
    );
    if (Item === undefined) return undefined;
    const parsed = providerRecordSchema.safeParse(Item);
    if (!parsed.success) throw new InvalidProviderRecordError(providerId);
    return parsed.data;
  }

  /** Creates or replaces the provider. */
  async put(record: ProviderRecord): Promise<void> {
    const valid = providerRecordSchema.parse(record);
    await this.#documents.send(
      new PutCommand({ TableName: this.#tableName, Item: providerItem(valid) }),
    );
  }

  /** Creates the provider unless one with its id exists; false (and nothing written) if it does. */
  async create(record: ProviderRecord): Promise<boolean> {
    const valid = providerRecordSchema.parse(record);
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: providerItem(valid),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
