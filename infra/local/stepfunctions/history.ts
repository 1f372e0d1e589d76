import type { LocalTask } from './definition-rewrite.ts';
import type { HistoryEvent } from './execution-document.ts';

type Details = Record<string, unknown>;
/** An AWS history event type and its details, before it gets an id and a timestamp. */
export type EventDraft = readonly [type: string, details?: Details];

/** `TaskStateEntered` → `stateEnteredEventDetails`, `TaskScheduled` → `taskScheduledEventDetails`. */
export function detailsKeyOf(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export function jsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

const NOT_TRUNCATED = { truncated: false } as const;

export function createHistoryEvent(
  id: number,
  timestamp: number,
  [type, details]: EventDraft,
): HistoryEvent {
  const event: HistoryEvent = { id, previousEventId: id - 1, timestamp, type };
  if (details) event[detailsKeyOf(type)] = details;
  return event;
}

/** `qualifiers`: what a start through a version or an alias records, as in AWS. */
export function executionStartedDraft(
  input: string,
  roleArn: string,
  qualifiers: { stateMachineVersionArn?: string; stateMachineAliasArn?: string } = {},
): EventDraft {
  return ['ExecutionStarted', { input, inputDetails: NOT_TRUNCATED, roleArn, ...qualifiers }];
}

/**
 * The history of one execution, rebuilt by replay: a resumed execution re-runs from the start
 * and regenerates its events in the same order, so an event whose position is already on disk
 * with the same type is the same event and is skipped (its original timestamp is kept); events
 * past the persisted ones are appended. Should a replay take another path, the persisted tail
 * from the first mismatch on is dropped and the replay's events take its place.
 */
export class HistoryLog {
  readonly #events: HistoryEvent[];
  readonly #now: () => number;
  readonly #changed: () => void;
  #cursor: number;
  #closed = false;

  public constructor(events: HistoryEvent[], now: () => number, changed: () => void) {
    this.#events = events;
    this.#now = now;
    this.#changed = changed;
    // The first event, ExecutionStarted, is written when the execution is created.
    this.#cursor = Math.min(1, events.length);
  }

  public append(draft: EventDraft): void {
    if (this.#closed) return;
    const position = this.#cursor;
    this.#cursor += 1;
    const kept = this.#events[position];
    if (kept) {
      if (kept.type === draft[0]) return;
      this.#events.length = position;
    }
    this.#push(draft);
  }

  /** Appends the execution's last event after everything recorded so far. */
  public appendFinal(draft: EventDraft): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cursor = this.#events.length;
    this.#push(draft);
  }

  #push(draft: EventDraft): void {
    this.#events.push(createHistoryEvent(this.#events.length + 1, this.#now(), draft));
    this.#changed();
  }
}

/** The events a Lambda task emits, named as AWS names them for its kind of resource. */
export interface TaskEventDrafts {
  scheduled(parameters: unknown): EventDraft;
  started(): EventDraft;
  submitted(): EventDraft | undefined;
  succeeded(output: unknown): EventDraft;
  failed(error: string, cause: string): EventDraft;
  timedOut(error: string, cause: string): EventDraft;
}

function errorDetails(error: string, cause: string): Details {
  const details: Details = {};
  if (error) details.error = error;
  if (cause) details.cause = cause;
  return details;
}

export function taskEventDrafts(
  task: LocalTask,
  region: string,
  timeoutSeconds: number | undefined,
  heartbeatSeconds: number | undefined,
): TaskEventDrafts {
  if (task.kind === 'lambda-function') {
    return {
      scheduled: (parameters) => [
        'LambdaFunctionScheduled',
        {
          resource: task.resource,
          input: jsonText(parameters),
          inputDetails: NOT_TRUNCATED,
          ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
        },
      ],
      started: () => ['LambdaFunctionStarted'],
      submitted: () => undefined,
      succeeded: (output) => [
        'LambdaFunctionSucceeded',
        { output: jsonText(output), outputDetails: NOT_TRUNCATED },
      ],
      failed: (error, cause) => ['LambdaFunctionFailed', errorDetails(error, cause)],
      timedOut: (error, cause) => ['LambdaFunctionTimedOut', errorDetails(error, cause)],
    };
  }
  const resource = task.kind === 'lambda-invoke' ? 'invoke' : 'invoke.waitForTaskToken';
  const base = { resourceType: 'lambda', resource };
  return {
    scheduled: (parameters) => [
      'TaskScheduled',
      {
        ...base,
        region,
        parameters: jsonText(parameters),
        ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
        ...(heartbeatSeconds ? { heartbeatInSeconds: heartbeatSeconds } : {}),
      },
    ],
    started: () => ['TaskStarted', base],
    submitted: () => ['TaskSubmitted', base],
    succeeded: (output) => [
      'TaskSucceeded',
      { ...base, output: jsonText(output), outputDetails: NOT_TRUNCATED },
    ],
    failed: (error, cause) => ['TaskFailed', { ...base, ...errorDetails(error, cause) }],
    timedOut: (error, cause) => ['TaskTimedOut', { ...base, ...errorDetails(error, cause) }],
  };
}

/** The shape of the library's event log entries that matter here (its type is not exported). */
export interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  Error?: string;
  Cause?: unknown;
}

/** Events of one attempt of a Task, held until its TaskStateEntered has been written. */
export interface TaskAttempt {
  add(draft: EventDraft | undefined): void;
}

interface AttemptRecord {
  held: EventDraft[];
  claimed: boolean;
}

/**
 * Turns the library's event log into AWS history events. The library's events reach its log
 * consumer a few microtasks late, while the task handler runs synchronously right after the
 * library dispatched StateEntered (or StateRetried): the handler's events are therefore held per
 * attempt and released when the consumer reaches the event that started that attempt.
 */
export class ExecutionHistoryRecorder {
  readonly #log: HistoryLog;
  readonly #stateTypes: ReadonlyMap<string, string>;
  readonly #unclaimed = new Map<string, AttemptRecord[]>();

  public constructor(log: HistoryLog, stateTypes: ReadonlyMap<string, string>) {
    this.#log = log;
    this.#stateTypes = stateTypes;
  }

  public beginTaskAttempt(stateName: string): TaskAttempt {
    const record: AttemptRecord = { held: [], claimed: false };
    const queue = this.#unclaimed.get(stateName) ?? [];
    queue.push(record);
    this.#unclaimed.set(stateName, queue);
    return {
      add: (draft) => {
        if (!draft) return;
        if (record.claimed) this.#log.append(draft);
        else record.held.push(draft);
      },
    };
  }

  public onLibraryEvent(event: LibraryEvent): void {
    const state = event.state;
    const type = state ? (this.#stateTypes.get(state.name) ?? state.type) : '';
    switch (event.type) {
      case 'StateEntered':
        if (!state) return;
        this.#log.append([
          `${type}StateEntered`,
          { name: state.name, input: jsonText(state.input), inputDetails: NOT_TRUNCATED },
        ]);
        if (type === 'Parallel') this.#log.append(['ParallelStateStarted']);
        if (type === 'Map') this.#log.append(['MapStateStarted']);
        if (type === 'Task') this.#claim(state.name);
        return;
      case 'StateRetried':
        if (state && type === 'Task') this.#claim(state.name);
        return;
      case 'StateExited':
        if (!state) return;
        if (type === 'Parallel') this.#log.append(['ParallelStateSucceeded']);
        if (type === 'Map') this.#log.append(['MapStateSucceeded']);
        this.#log.append([
          `${type}StateExited`,
          { name: state.name, output: jsonText(state.output), outputDetails: NOT_TRUNCATED },
        ]);
        return;
      case 'StateFailed':
        if (type === 'Parallel' || type === 'Map') {
          this.#log.append([
            `${type}StateFailed`,
            errorDetails(event.Error ?? '', typeof event.Cause === 'string' ? event.Cause : ''),
          ]);
        }
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        this.#log.append([event.type, { name: event.parentState?.name, index: event.index }]);
        return;
      default:
        // Execution events are written by the runner; branch events have no AWS counterpart.
        return;
    }
  }

  #claim(stateName: string): void {
    const record = this.#unclaimed.get(stateName)?.shift();
    if (!record) return;
    record.claimed = true;
    for (const draft of record.held) this.#log.append(draft);
    record.held = [];
  }
}
