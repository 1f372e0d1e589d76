import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';

type Item = Record<string, unknown>;
type Values = Record<string, unknown>;
type Names = Record<string, string>;

interface Expressions {
  readonly ExpressionAttributeNames?: Names;
  readonly ExpressionAttributeValues?: Values;
}

const nameOf = (token: string, names: Names = {}) =>
  token.startsWith('#') ? (names[token] ?? token) : token;

/**
 * Evaluates the small condition language the payment code uses: terms joined by AND, each
 * `name = :value` or `attribute_not_exists(name)` or `begins_with(name, :value)`.
 */
function holds(item: Item | undefined, expression: string | undefined, e: Expressions): boolean {
  if (!expression) return true;
  return expression.split(/\s+AND\s+/).every((term) => {
    const notExists = /^attribute_not_exists\((\S+)\)$/.exec(term.trim());
    if (notExists?.[1])
      return item?.[nameOf(notExists[1], e.ExpressionAttributeNames)] === undefined;
    const begins = /^begins_with\((\S+),\s*(:\w+)\)$/.exec(term.trim());
    if (begins?.[1] && begins[2]) {
      const value = item?.[nameOf(begins[1], e.ExpressionAttributeNames)];
      return (
        typeof value === 'string' &&
        value.startsWith(String(e.ExpressionAttributeValues?.[begins[2]]))
      );
    }
    const equals = /^(\S+)\s*=\s*(:\w+)$/.exec(term.trim());
    if (equals?.[1] && equals[2]) {
      return (
        item?.[nameOf(equals[1], e.ExpressionAttributeNames)] ===
        e.ExpressionAttributeValues?.[equals[2]]
      );
    }
    throw new Error(`The fake cannot evaluate "${term}"`);
  });
}

/** Applies `SET a = :x, … ADD #n :v REMOVE a, b` to a copy of the item. */
function applyUpdate(item: Item, expression: string, e: Expressions): Item {
  const next = { ...item };
  const clauses = expression.split(/\b(?=SET |ADD |REMOVE )/);
  for (const clause of clauses) {
    const [verb, ...rest] = clause.trim().split(/\s+/);
    const body = rest.join(' ');
    for (const part of body.split(/\s*,\s*/)) {
      if (verb === 'SET') {
        const [name, value] = part.split(/\s*=\s*/);
        if (!name || !value) throw new Error(`Bad SET "${part}"`);
        next[nameOf(name, e.ExpressionAttributeNames)] = e.ExpressionAttributeValues?.[value];
      } else if (verb === 'ADD') {
        const [name, value] = part.split(/\s+/);
        if (!name || !value) throw new Error(`Bad ADD "${part}"`);
        const attribute = nameOf(name, e.ExpressionAttributeNames);
        next[attribute] =
          Number(next[attribute] ?? 0) + Number(e.ExpressionAttributeValues?.[value]);
      } else if (verb === 'REMOVE') {
        delete next[nameOf(part, e.ExpressionAttributeNames)];
      } else throw new Error(`The fake cannot apply "${clause}"`);
    }
  }
  return next;
}

interface Command {
  readonly constructor: { readonly name: string };
  readonly input: Record<string, unknown>;
}

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/**
 * An in-memory table with DynamoDB's semantics for what the payment code sends: conditional
 * puts and updates, consistent gets, all-or-nothing transactions that report which item's
 * condition failed, and index queries by partition and sort-key prefix. Every call yields to the
 * event loop first, so concurrent callers really interleave.
 */
export class MemoryTable {
  readonly items = new Map<string, Item>();
  /** How many times each item's `status` changed, by table key. */
  readonly statusChanges = new Map<string, number>();
  /** Items per query page (DynamoDB's 1 MB page, made small). */
  pageSize = 1000;
  /** Runs before every command; a test can throw from it to simulate a crash. */
  beforeSend: (command: Command) => void | Promise<void> = () => {};
  /** What an index query sees; by default the table as it is (a test can make it stale). */
  indexView: () => Iterable<Item> = () => this.items.values();
  readonly sent: string[] = [];

  static id(key: { pk: unknown; sk: unknown }) {
    return `${String(key.pk)}|${String(key.sk)}`;
  }

  put(item: Item) {
    this.items.set(MemoryTable.id(item as { pk: unknown; sk: unknown }), structuredClone(item));
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(MemoryTable.id({ pk, sk }));
  }

  private write(next: Item) {
    const id = MemoryTable.id(next as { pk: unknown; sk: unknown });
    if (this.items.get(id)?.status !== next.status) {
      this.statusChanges.set(id, (this.statusChanges.get(id) ?? 0) + 1);
    }
    this.items.set(id, next);
  }

  async send(command: Command): Promise<Record<string, unknown>> {
    await new Promise((resolve) => setImmediate(resolve));
    this.sent.push(command.constructor.name);
    await this.beforeSend(command);
    const input = command.input as Record<string, unknown> & Expressions;
    switch (command.constructor.name) {
      case 'GetCommand': {
        const item = this.items.get(
          MemoryTable.id(input.Key as Item & { pk: unknown; sk: unknown }),
        );
        return item ? { Item: structuredClone(item) } : {};
      }
      case 'PutCommand': {
        const item = input.Item as Item & { pk: unknown; sk: unknown };
        if (
          !holds(this.items.get(MemoryTable.id(item)), input.ConditionExpression as string, input)
        ) {
          throw conditionFailed();
        }
        this.write(structuredClone(item));
        return {};
      }
      case 'UpdateCommand': {
        const key = input.Key as { pk: unknown; sk: unknown };
        const current = this.items.get(MemoryTable.id(key));
        if (!holds(current, input.ConditionExpression as string, input)) throw conditionFailed();
        const next = applyUpdate(current ?? { ...key }, String(input.UpdateExpression), input);
        this.write(next);
        return input.ReturnValues === 'ALL_NEW' ? { Attributes: structuredClone(next) } : {};
      }
      case 'TransactWriteCommand': {
        const entries = input.TransactItems as Record<
          string,
          Record<string, unknown> & Expressions
        >[];
        const reasons = entries.map((entry) => {
          const op = entry.Update ?? entry.Put;
          if (!op) throw new Error('The fake handles Update and Put only');
          const key = (op.Key ?? op.Item) as { pk: unknown; sk: unknown };
          return holds(this.items.get(MemoryTable.id(key)), op.ConditionExpression as string, op)
            ? { Code: 'None' }
            : { Code: 'ConditionalCheckFailed' };
        });
        if (reasons.some((reason) => reason.Code !== 'None')) {
          throw new TransactionCanceledException({
            message: 'Transaction cancelled',
            $metadata: {},
            CancellationReasons: reasons,
          });
        }
        for (const entry of entries) {
          if (entry.Put) this.write(structuredClone(entry.Put.Item as Item));
          else if (entry.Update) {
            const key = entry.Update.Key as { pk: unknown; sk: unknown };
            const current = this.items.get(MemoryTable.id(key)) ?? { ...key };
            this.write(applyUpdate(current, String(entry.Update.UpdateExpression), entry.Update));
          }
        }
        return {};
      }
      case 'QueryCommand': {
        const index = String(input.IndexName);
        const [partitionTerm, sortTerm] = String(input.KeyConditionExpression).split(/\s+AND\s+/);
        const matching = [...this.indexView()]
          .filter((item) => item[`${index}pk`] !== undefined && item[`${index}sk`] !== undefined)
          .filter((item) => holds(item, partitionTerm, input) && holds(item, sortTerm, input))
          .sort((a, b) => String(a[`${index}sk`]).localeCompare(String(b[`${index}sk`])));
        const start = input.ExclusiveStartKey as Item | undefined;
        const from = start
          ? matching.findIndex((item) => String(item[`${index}sk`]) > String(start[`${index}sk`]))
          : 0;
        const limit = Math.min(Number(input.Limit ?? Number.POSITIVE_INFINITY), this.pageSize);
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
                  [`${index}pk`]: last[`${index}pk`],
                  [`${index}sk`]: last[`${index}sk`],
                },
              }
            : {}),
        };
      }
      default:
        throw new Error(`The fake does not handle ${command.constructor.name}`);
    }
  }
}
