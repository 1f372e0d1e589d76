import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { BatchReadIncompleteError, batchGetAll, jitteredBackoff } from '../db/batch-get.ts';
import { keys } from '../db/keys.ts';
import { type DocumentRecord, documentRecordSchema, isDocumentRef } from './document-record.ts';

export interface DocumentStoreOptions {
  readonly documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly tableName: string;
  /** Pause before retrying keys DynamoDB left unprocessed; attempt counts from 1. */
  readonly backoff?: (attempt: number) => Promise<void>;
}

/** An item for a document that is not what the schema says: a bug or a hand edit, never input. */
export class InvalidDocumentRecordError extends Error {
  constructor(readonly ref: string) {
    super(`The stored record of document ${ref} is invalid`);
    this.name = 'InvalidDocumentRecordError';
  }
}

/** A second record for a reference already issued: only a broken random source gets here. */
export class DocumentRefTakenError extends Error {
  constructor(readonly ref: string) {
    super(`Document reference ${ref} is already taken`);
    this.name = 'DocumentRefTakenError';
  }
}

/** DynamoDB kept throttling a batch read; the caller may retry the whole request. */
export class DocumentReadIncompleteError extends Error {
  constructor(readonly missing: number) {
    super(`${missing} document records stayed unprocessed after retries`);
    this.name = 'DocumentReadIncompleteError';
  }
}

/** BatchGetItem's limit per request. */
const maxAttempts = 5;

function parseRecord(item: Record<string, unknown>): DocumentRecord {
  const parsed = documentRecordSchema.safeParse(item);
  if (!parsed.success) throw new InvalidDocumentRecordError(String(item.ref));
  return parsed.data;
}

/** Document records in the one table (`pk = DOC#<ref>`, `sk = DOC`). */
export class DocumentStore {
  readonly #documents: Pick<DynamoDBDocumentClient, 'send'>;
  readonly #tableName: string;
  readonly #backoff: (attempt: number) => Promise<void>;

  constructor(options: DocumentStoreOptions) {
    this.#documents = options.documents;
    this.#tableName = options.tableName;
    this.#backoff = options.backoff ?? jitteredBackoff;
  }

  /** Writes a new record; never replaces one (references are issued once). */
  async put(record: DocumentRecord): Promise<void> {
    const valid = documentRecordSchema.parse(record);
    try {
      await this.#documents.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...keys.document(valid.ref), entity: 'document', ...valid },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new DocumentRefTakenError(valid.ref);
      throw error;
    }
  }

  async get(ref: string): Promise<DocumentRecord | undefined> {
    // A reference we never issue is not worth a read (and keeps `#` out of the key).
    if (!isDocumentRef(ref)) return undefined;
    const { Item } = await this.#documents.send(
      new GetCommand({ TableName: this.#tableName, Key: keys.document(ref) }),
    );
    return Item === undefined ? undefined : parseRecord(Item);
  }

  /** The records of those refs that have one, by ref; malformed refs are simply absent. */
  async findDocuments(refs: Iterable<string>): Promise<Map<string, DocumentRecord>> {
    const wanted = [...new Set(refs)].filter(isDocumentRef);
    const found = new Map<string, DocumentRecord>();
    let items: Record<string, unknown>[];
    try {
      ({ items } = await batchGetAll(
        {
          documents: this.#documents,
          tableName: this.#tableName,
          maxAttempts,
          backoff: this.#backoff,
        },
        wanted.map((ref) => keys.document(ref)),
      ));
    } catch (error) {
      if (error instanceof BatchReadIncompleteError)
        throw new DocumentReadIncompleteError(error.missing);
      throw error;
    }
    for (const item of items) {
      const record = parseRecord(item);
      found.set(record.ref, record);
    }
    return found;
  }
}
