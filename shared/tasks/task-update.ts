import { tableName } from '../db/client.ts';
import { keys } from '../db/keys.ts';
import type { TaskRecord } from './task-record.ts';

/** What a conditional task update changes, and what the task must still look like. */
export interface TaskItemUpdate {
  readonly set: Readonly<Record<string, unknown>>;
  readonly remove?: readonly string[];
  /**
   * The condition, over the names and values it brings (`#name`, `:value`); the `#s…`, `#r…` and
   * `:s…` placeholders are taken by the SET and REMOVE clauses.
   */
  readonly condition: {
    readonly expression: string;
    readonly names?: Readonly<Record<string, string>>;
    readonly values?: Readonly<Record<string, unknown>>;
  };
}

/**
 * A transaction item (lib-dynamodb shape) that updates a task only if it is still as the caller
 * read it: every task change goes through a condition, so that of two writers one wins cleanly.
 */
export function taskUpdateItem(
  task: Pick<TaskRecord, 'caseId' | 'taskId'>,
  update: TaskItemUpdate,
) {
  const names: Record<string, string> = { ...update.condition.names };
  const values: Record<string, unknown> = { ...update.condition.values };
  const assignments = Object.entries(update.set).map(([name, value], index) => {
    names[`#s${index}`] = name;
    values[`:s${index}`] = value;
    return `#s${index} = :s${index}`;
  });
  const removals = (update.remove ?? []).map((name, index) => {
    names[`#r${index}`] = name;
    return `#r${index}`;
  });
  return {
    Update: {
      TableName: tableName(),
      Key: keys.caseTask(task.caseId, task.taskId),
      UpdateExpression: `SET ${assignments.join(', ')}${removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: update.condition.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}
