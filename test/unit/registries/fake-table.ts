import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * An in-memory table that understands what the registry and provider stores send: GetCommand, and
 * PutCommand with or without `attribute_not_exists(pk)`. Anything else fails the test.
 */
export function fakeTable() {
  const items = new Map<string, Record<string, unknown>>();
  const commands: unknown[] = [];
  const keyOf = (key: Record<string, unknown> | undefined) => `${key?.pk}|${key?.sk}`;
  const send = async (command: unknown) => {
    commands.push(command);
    if (command instanceof GetCommand) {
      const item = items.get(keyOf(command.input.Key));
      return { Item: item === undefined ? undefined : structuredClone(item) };
    }
    if (command instanceof PutCommand) {
      const item = command.input.Item ?? {};
      const key = keyOf(item);
      if (command.input.ConditionExpression !== undefined) {
        if (command.input.ConditionExpression !== 'attribute_not_exists(pk)') {
          throw new Error(`unexpected condition ${command.input.ConditionExpression}`);
        }
        if (items.has(key)) {
          throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
        }
      }
      items.set(key, structuredClone(item));
      return {};
    }
    throw new Error('unexpected command');
  };
  return { items, commands, documents: { send } as unknown as DynamoDBDocumentClient };
}
