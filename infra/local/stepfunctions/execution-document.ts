import type { JsonValue } from './json.ts';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** Times are epoch milliseconds; the protocol layer turns them into epoch seconds. */
export interface ExecutionRecord {
  executionArn: string;
  /** Unqualified, however the execution was started. */
  stateMachineArn: string;
  /** Set when started through a version or an alias (which names the version it ran). */
  stateMachineVersionArn?: string;
  /** Set when started through an alias. */
  stateMachineAliasArn?: string;
  name: string;
  /** Input as the caller sent it (JSON text). */
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * What a completed Task entry produced, replayed instead of running it again after a restart.
 * `submitted` records that a waiting task's Lambda had returned, for its history event.
 */
export type JournalEntry =
  | { kind: 'result'; value: JsonValue; submitted?: boolean }
  | { kind: 'error'; error: string; cause: string; timedOut?: boolean; submitted?: boolean }
  | { kind: 'wait'; until: number };

/** A `.waitForTaskToken` task whose token was issued and not yet answered. */
export interface PendingTask {
  stateName: string;
  enteredAt: number;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  lastHeartbeatAt?: number;
  /** Whether the Lambda that received the token returned; a replay does not invoke it again. */
  invoked: boolean;
}

/** One event of GetExecutionHistory; details are under the `...EventDetails` key of its type. */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** Everything persisted about one execution, written as a whole (temp file + rename). */
export interface ExecutionDocument {
  version: 1;
  record: ExecutionRecord;
  history: HistoryEvent[];
  /** By journal key (`${stateName}#${parametersHash}#${n}`). */
  journal: Record<string, JournalEntry>;
  /** By journal key. */
  pending: Record<string, PendingTask>;
}
