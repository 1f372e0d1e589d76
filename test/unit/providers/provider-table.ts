import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** The conditions the provider code writes with: `attribute_not_exists(a)`, `version = :expected`. */
function holds(item: Item | undefined, condition: string | undefined, values: Item = {}): boolean {
  if (condition === undefined) return true;
  const notExists = /^attribute_not_exists\((\w+)\)$/.exec(condition);
  if (notExists?.[1]) return item?.[notExists[1]] === undefined;
  const equals = /^(\w+) = (:\w+)$/.exec(condition);
  if (equals?.[1] && equals[2]) return item?.[equals[1]] === values[equals[2]];
  throw new Error(`The fake cannot evaluate "${condition}"`);
}

/**
 * An in-memory table for the provider store: GetCommand; TransactWriteCommand of Puts with their
 * conditions, all or nothing; QueryCommand answered from `pages` in order (the inputs are kept
 * for the test to assert). `conflicts` cancels that many transactions with TransactionConflict.
 */
export function providerTable(options: { pages?: Partial<QueryCommandOutput>[] } = {}) {
  const items = new Map<string, Item>();
  const queries: QueryCommandInput[] = [];
  const transactions: TransactWriteCommand[] = [];
  const pages = [...(options.pages ?? [])];
  const state = { conflicts: 0 };
  const keyOf = (key: Item | undefined) => `${key?.pk}|${key?.sk}`;
  const send = async (command: unknown) => {
    if (command instanceof GetCommand) {
      const item = items.get(keyOf(command.input.Key));
      return { Item: item === undefined ? undefined : structuredClone(item) };
    }
    if (command instanceof QueryCommand) {
      queries.push(structuredClone(command.input));
      return pages.shift() ?? { Items: [] };
    }
    if (command instanceof TransactWriteCommand) {
      transactions.push(command);
      const writes = command.input.TransactItems ?? [];
      if (state.conflicts > 0) {
        state.conflicts -= 1;
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: writes.map(() => ({ Code: 'TransactionConflict' })),
        });
      }
      const reasons = writes.map(({ Put }) => {
        if (!Put) throw new Error('The fake only knows Put');
        const ok = holds(
          items.get(keyOf(Put.Item)),
          Put.ConditionExpression,
          Put.ExpressionAttributeValues,
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
      for (const { Put } of writes)
        if (Put?.Item) items.set(keyOf(Put.Item), structuredClone(Put.Item));
      return {};
    }
    throw new Error('unexpected command');
  };
  return {
    items,
    queries,
    transactions,
    state,
    documents: { send } as unknown as DynamoDBDocumentClient,
  };
}
