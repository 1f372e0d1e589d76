import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const nameOf = (token: string, names: Names) =>
  token.startsWith('#') ? (names?.[token] ?? token) : token;

/** Terms joined by AND, each `attribute_not_exists(a)` or `a = :v` (names may be `#aliases`). */
function holds(item: Item | undefined, condition: unknown, names: Names, values: Values): boolean {
  if (condition === undefined) return true;
  return String(condition)
    .split(/\s+AND\s+/)
    .every((term) => {
      const notExists = /^attribute_not_exists\((\S+)\)$/.exec(term.trim());
      if (notExists?.[1]) return item?.[nameOf(notExists[1], names)] === undefined;
      const equals = /^(\S+)\s*=\s*(:\w+)$/.exec(term.trim());
      if (equals?.[1] && equals[2]) {
        return item !== undefined && item[nameOf(equals[1], names)] === values?.[equals[2]];
      }
      throw new Error(`The fake cannot evaluate "${term}"`);
    });
}

/** `SET a = :x, #b = :y REMOVE c, d` on a copy of the item. */
function applyUpdate(item: Item, expression: string, names: Names, values: Values): Item {
  const next = { ...item };
  for (const clause of expression.split(/\s(?=SET |REMOVE )/)) {
    const [verb, ...rest] = clause.trim().split(/\s+/);
    for (const part of rest.join(' ').split(/\s*,\s*/)) {
      if (verb === 'SET') {
        const [name, value] = part.split(/\s*=\s*/);
        if (!name || !value) throw new Error(`Bad SET "${part}"`);
        next[nameOf(name, names)] = values?.[value];
      } else if (verb === 'REMOVE') delete next[nameOf(part, names)];
      else throw new Error(`The fake cannot apply "${clause}"`);
    }
  }
  return next;
}

/**
 * An in-memory table for the renewal reminders: queries of one index partition up to a sort key
 * bound (`<idx>pk = :pk AND <idx>sk <= :bound`), in pages of `pageSize`, each reporting half a
 * read unit per item; all-or-nothing transactions of Put and Update with their conditions. Any
 * other command (a Scan) throws. `failNext` makes the next transaction throw that error instead.
 */
export class DueIndexTable {
  readonly items = new Map<string, Item>();
  readonly queries: QueryCommandInput[] = [];
  readonly transactions: TransactItems[] = [];
  pageSize = 100;
  failNext: Error | undefined;

  static id(key: Item) {
    return `${String(key.pk)}|${String(key.sk)}`;
  }

  put(item: Item) {
    this.items.set(DueIndexTable.id(item), structuredClone(item));
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(DueIndexTable.id({ pk, sk }));
  }

  /** The items that match, e.g. the notifications filed. */
  where(predicate: (item: Item) => boolean): Item[] {
    return [...this.items.values()].filter(predicate);
  }

  get documents(): Pick<DynamoDBDocumentClient, 'send'> {
    return { send: this.send } as unknown as Pick<DynamoDBDocumentClient, 'send'>;
  }

  readonly send = async (command: unknown): Promise<Item> => {
    if (command instanceof QueryCommand) return this.query(command.input);
    if (command instanceof TransactWriteCommand) return this.transact(command.input);
    throw new Error('The fake does not handle this command');
  };

  private query(input: QueryCommandInput): Item {
    this.queries.push(structuredClone(input));
    const index = input.IndexName;
    if (!index || input.KeyConditionExpression !== `${index}pk = :pk AND ${index}sk <= :bound`) {
      throw new Error(`The fake cannot answer "${input.KeyConditionExpression}"`);
    }
    const [pkName, skName] = [`${index}pk`, `${index}sk`];
    const values = input.ExpressionAttributeValues ?? {};
    const matching = [...this.items.values()]
      .filter((item) => item[pkName] === values[':pk'] && item[skName] !== undefined)
      .filter((item) => String(item[skName]) <= String(values[':bound']))
      .sort((a, b) => String(a[skName]).localeCompare(String(b[skName])));
    const start = input.ExclusiveStartKey;
    const from = start
      ? matching.findIndex((item) => String(item[skName]) > String(start[skName]))
      : 0;
    const page = from < 0 ? [] : matching.slice(from, from + this.pageSize);
    const last = page.at(-1);
    const more = from >= 0 && from + this.pageSize < matching.length;
    return {
      Items: structuredClone(page),
      ...(input.ReturnConsumedCapacity === 'TOTAL'
        ? { ConsumedCapacity: { CapacityUnits: 0.5 * Math.max(page.length, 1) } }
        : {}),
      ...(more && last
        ? {
            LastEvaluatedKey: {
              pk: last.pk,
              sk: last.sk,
              [pkName]: last[pkName],
              [skName]: last[skName],
            },
          }
        : {}),
    };
  }

  private transact(input: TransactWriteCommandInput): Item {
    const entries = input.TransactItems ?? [];
    this.transactions.push(structuredClone(entries));
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    const reasons = entries.map((entry) => {
      const op = (entry.Put ?? entry.Update) as Item | undefined;
      if (!op) throw new Error('The fake knows Put and Update only');
      const key = (op.Key ?? op.Item) as Item;
      const ok = holds(
        this.items.get(DueIndexTable.id(key)),
        op.ConditionExpression,
        op.ExpressionAttributeNames as Names,
        op.ExpressionAttributeValues as Values,
      );
      return { Code: ok ? 'None' : 'ConditionalCheckFailed' };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) {
      throw new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: reasons,
      });
    }
    for (const entry of entries) {
      if (entry.Put) this.put(entry.Put.Item as Item);
      else if (entry.Update) {
        const key = entry.Update.Key as Item;
        this.put(
          applyUpdate(
            this.items.get(DueIndexTable.id(key)) ?? { ...key },
            String(entry.Update.UpdateExpression),
            entry.Update.ExpressionAttributeNames,
            entry.Update.ExpressionAttributeValues,
          ),
        );
      }
    }
    return {};
  }
}
