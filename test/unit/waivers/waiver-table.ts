import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

const nameOf = (token: string, names: Names) =>
  token.startsWith('#') ? (names?.[token] ?? token) : token;

/**
 * The conditions the case store, the locks and the re-check write with: terms joined by OR,
 * each `attribute_not_exists(a)` or `a = :v` (names may be `#placeholders`).
 */
function holds(item: Item | undefined, condition: unknown, names: Names, values: Values): boolean {
  if (condition === undefined) return true;
  return String(condition)
    .split(/\s+OR\s+/)
    .some((term) => {
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
 * An in-memory single table for the waiver code: consistent gets, table and index queries (one
 * partition, an optional `begins_with` on the sort key, pages of `pageSize`), and all-or-nothing
 * transactions of Put, Update and Delete with their conditions, reporting which one failed.
 */
export class WaiverTable {
  readonly items = new Map<string, Item>();
  readonly queries: QueryCommandInput[] = [];
  readonly transactions: Item[][] = [];
  pageSize = 100;

  static id(key: Item) {
    return `${String(key.pk)}|${String(key.sk)}`;
  }

  put(item: Item) {
    this.items.set(WaiverTable.id(item), structuredClone(item));
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(WaiverTable.id({ pk, sk }));
  }

  readonly send = async (command: unknown): Promise<Item> => {
    if (command instanceof GetCommand) {
      const item = this.items.get(WaiverTable.id(command.input.Key ?? {}));
      return item ? { Item: structuredClone(item) } : {};
    }
    if (command instanceof QueryCommand) return this.query(command.input);
    if (command instanceof TransactWriteCommand) return this.transact(command);
    throw new Error('The fake does not handle this command');
  };

  private query(input: QueryCommandInput): Item {
    this.queries.push(structuredClone(input));
    const prefix = input.IndexName ?? '';
    const [pkName, skName] = prefix ? [`${prefix}pk`, `${prefix}sk`] : ['pk', 'sk'];
    const values = input.ExpressionAttributeValues ?? {};
    const begins = /begins_with\(\w+, (:\w+)\)/.exec(input.KeyConditionExpression ?? '');
    const matching = [...this.items.values()]
      .filter((item) => item[pkName] === values[':pk'])
      .filter((item) => item[skName] !== undefined)
      .filter((item) => !begins?.[1] || String(item[skName]).startsWith(String(values[begins[1]])))
      .sort((a, b) => String(a[skName]).localeCompare(String(b[skName])));
    const start = input.ExclusiveStartKey;
    const from = start
      ? matching.findIndex((item) => String(item[skName]) > String(start[skName]))
      : 0;
    const limit = Math.min(input.Limit ?? this.pageSize, this.pageSize);
    const page = from < 0 ? [] : matching.slice(from, from + limit);
    const last = page.at(-1);
    const more = from >= 0 && from + limit < matching.length;
    return {
      Items: structuredClone(page),
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

  private transact(command: TransactWriteCommand): Item {
    const entries = (command.input.TransactItems ?? []) as Item[];
    this.transactions.push(structuredClone(entries));
    const reasons = entries.map((entry) => {
      const op = (entry.Put ?? entry.Update ?? entry.Delete ?? entry.ConditionCheck) as Item;
      const key = (op.Key ?? op.Item) as Item;
      const ok = holds(
        this.items.get(WaiverTable.id(key)),
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
      if (entry.Put) this.put((entry.Put as Item).Item as Item);
      else if (entry.Delete) this.items.delete(WaiverTable.id((entry.Delete as Item).Key as Item));
      else if (entry.Update) {
        const update = entry.Update as Item;
        const key = update.Key as Item;
        this.put(
          applyUpdate(
            this.items.get(WaiverTable.id(key)) ?? { ...key },
            String(update.UpdateExpression),
            update.ExpressionAttributeNames as Names,
            update.ExpressionAttributeValues as Values,
          ),
        );
      }
    }
    return {};
  }
}
