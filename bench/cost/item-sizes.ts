import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../shared/db/keys.ts';

/*
 * What a case's items weigh in DynamoDB's own terms: write units are charged per started KB of
 * the item (the larger of its old and new image), once for the table and once more for every
 * index the item has keys in (all of them project ALL attributes), and twice inside a transaction.
 */

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: about one byte per two significant digits, plus one. */
function numberSize(value: number): number {
  const digits = String(Math.abs(value))
    .replace(/[.-]|e[+-]?\d+$/gi, '')
    .replace(/^0+/, '');
  return Math.min(21, Math.ceil(Math.max(1, digits.length) / 2) + 1);
}

/** A value's size as DynamoDB counts it (AWS: "Item sizes and formats"). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value) || value instanceof Set) {
    return 3 + [...value].reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  }
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (sum, [name, element]) => sum + 1 + utf8(name) + valueSize(element),
      0,
    )
  );
}

/** An item's size: every attribute's name and value. */
export function itemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + valueSize(value),
    0,
  );
}

/** The indexes an item is in: those whose partition key attribute it carries (gsi1pk …). */
export function indexesOf(item: Record<string, unknown>): number {
  return Object.keys(item).filter((name) => /^gsi\d+pk$/.test(name)).length;
}

/** Write units of writing the item whole, in a transaction or not. */
export function writeUnitsOf(item: Record<string, unknown>, transactional: boolean): number {
  return Math.ceil(itemSize(item) / 1024) * (1 + indexesOf(item)) * (transactional ? 2 : 1);
}

export interface StoredItemKind {
  /** The sort key's kind: `CASE`, `FORM`, `EVENT`, `TASK` … */
  readonly kind: string;
  readonly count: number;
  /** The largest of them. */
  readonly bytes: number;
  readonly indexes: number;
  readonly transactionalWriteUnits: number;
}

/** The items in a case's partition, by kind: how much each kind costs to write. */
export async function caseItemKinds(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  caseId: string,
): Promise<StoredItemKind[]> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk },
    }),
  );
  const kinds = new Map<string, StoredItemKind>();
  for (const item of Items) {
    // The form's item (CASE#FORM) is written once, the record with every change: apart.
    const kind =
      item.sk === keys.caseForm(caseId).sk ? 'FORM' : (String(item.sk).split('#')[0] ?? '');
    const before = kinds.get(kind);
    const bytes = itemSize(item);
    const heaviest = !before || bytes > before.bytes;
    kinds.set(kind, {
      kind,
      count: (before?.count ?? 0) + 1,
      bytes: heaviest ? bytes : (before?.bytes ?? 0),
      indexes: heaviest ? indexesOf(item) : (before?.indexes ?? 0),
      transactionalWriteUnits: heaviest
        ? writeUnitsOf(item, true)
        : (before?.transactionalWriteUnits ?? 0),
    });
  }
  return [...kinds.values()];
}

/**
 * The case record, and the part of it that is a form (no listing shows it, and every write of
 * the record would carry it): none since the form has an item of its own, so formBytes is 0
 * unless the record was stored before that.
 */
export async function caseRecordForm(
  documents: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  caseId: string,
): Promise<{ recordBytes: number; formBytes: number; indexes: number } | undefined> {
  const { Items = [] } = await documents.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk = :case',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':case': keys.case(caseId).sk },
    }),
  );
  const [record] = Items;
  if (!record) return undefined;
  return {
    recordBytes: itemSize(record),
    // The attribute's name and its value, if the record has one.
    formBytes: record.form === undefined ? 0 : utf8('form') + valueSize(record.form),
    indexes: indexesOf(record),
  };
}
