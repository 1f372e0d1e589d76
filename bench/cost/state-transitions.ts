import {
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';

/** Every execution of the given state machines, by ARN. */
export async function allExecutions(
  sfn: Pick<SFNClient, 'send'>,
  stateMachineArns: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const stateMachineArn of stateMachineArns) {
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
      );
      for (const execution of page.executions ?? []) {
        if (execution.executionArn) found.add(execution.executionArn);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return found;
}

/**
 * What Step Functions bills for: a state transition each time a state is entered (Task, Choice,
 * Pass, Parallel, Wait, Succeed, Fail … and every state inside a Parallel branch or Map
 * iteration), counted from the execution's history by the state's type.
 */
export function transitionsByStateType(events: readonly HistoryEvent[]): Record<string, number> {
  const byType: Record<string, number> = {};
  for (const event of events) {
    const match = /^(\w+)StateEntered$/.exec(event.type ?? '');
    if (match?.[1]) byType[match[1]] = (byType[match[1]] ?? 0) + 1;
  }
  return byType;
}

/** An execution's whole history, page by page. */
export async function executionHistory(
  sfn: Pick<SFNClient, 'send'>,
  executionArn: string,
): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        includeExecutionData: false,
        nextToken,
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
