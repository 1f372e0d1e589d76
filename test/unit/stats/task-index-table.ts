type Item = Record<string, unknown>;

interface Command {
  readonly constructor: { readonly name: string };
  readonly input: Record<string, unknown>;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `#a.#b, #c` applied to an item: only the named paths survive, as DynamoDB returns them. */
function project(item: Item, expression: unknown, names: Record<string, string> = {}): Item {
  if (typeof expression !== 'string') return structuredClone(item);
  const projected: Item = {};
  for (const path of expression.split(/\s*,\s*/)) {
    const parts = path.split('.').map((part) => (part.startsWith('#') ? names[part] : part));
    if (parts.some((part) => part === undefined)) throw new Error(`Unnamed path in "${path}"`);
    let source: unknown = item;
    let target = projected;
    for (const [index, part] of (parts as string[]).entries()) {
      source = (source as Item | undefined)?.[part];
      if (source === undefined) break;
      if (index === parts.length - 1) target[part] = structuredClone(source);
      else {
        target[part] ??= {};
        target = target[part] as Item;
      }
    }
  }
  return projected;
}

/**
 * An index that answers only what SLA reading may send: Query on gsi2 by partition and an
 * inclusive BETWEEN on the sort key, in DynamoDB's byte order, in pages, with a projection and the
 * capacity each page cost (half a unit a page, as an eventually consistent read of a small page
 * costs). Anything else — a Scan above all — fails the test.
 */
export class TaskIndexTable {
  readonly items: Item[] = [];
  readonly queries: Record<string, unknown>[] = [];
  /** Items per page (DynamoDB's 1 MB, made small). */
  pageSize = 1000;
  readonly unitsPerPage = 0.5;

  put(item: Item) {
    this.items.push(structuredClone(item));
  }

  send = async (command: Command): Promise<Record<string, unknown>> => {
    // Yield first, so that parallel readers really interleave.
    await new Promise((resolve) => setImmediate(resolve));
    if (command.constructor.name !== 'QueryCommand') {
      throw new Error(`The fake does not handle ${command.constructor.name}`);
    }
    const input = command.input;
    this.queries.push(input);
    const values = input.ExpressionAttributeValues as Record<string, string>;
    const match =
      /^(\w+) = (:\w+) AND (\w+) BETWEEN (:\w+) AND (:\w+)$/.exec(
        String(input.KeyConditionExpression),
      ) ?? [];
    const [, pkName, pk, skName, from, to] = match;
    if (!pkName || !pk || !skName || !from || !to || input.IndexName !== 'gsi2') {
      throw new Error(`The fake cannot query ${String(input.KeyConditionExpression)}`);
    }
    const low = String(values[from]);
    const high = String(values[to]);
    const matching = this.items
      .filter((item) => item[pkName] === values[pk] && typeof item[skName] === 'string')
      .filter((item) => String(item[skName]) >= low && String(item[skName]) <= high)
      .sort((a, b) => byteOrder(String(a[skName]), String(b[skName])));
    const start = input.ExclusiveStartKey as Item | undefined;
    const first = start
      ? matching.findIndex((item) => String(item[skName]) > String(start[skName]))
      : 0;
    const limit = Math.min(Number(input.Limit ?? Number.POSITIVE_INFINITY), this.pageSize);
    const page = first < 0 ? [] : matching.slice(first, first + limit);
    const last = page.at(-1);
    const more = first >= 0 && first + limit < matching.length;
    const names = input.ExpressionAttributeNames as Record<string, string> | undefined;
    return {
      Items: page.map((item) => project(item, input.ProjectionExpression, names)),
      Count: page.length,
      ScannedCount: page.length,
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
      ...(input.ReturnConsumedCapacity === 'TOTAL'
        ? { ConsumedCapacity: { TableName: input.TableName, CapacityUnits: this.unitsPerPage } }
        : {}),
    };
  };
}
