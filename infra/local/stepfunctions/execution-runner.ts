import { randomUUID } from 'node:crypto';
import { ExecutionError, type StateMachine } from 'aws-local-stepfunctions';
import { roleArnOf } from './arns.ts';
import type { DeadlineScheduler } from './deadline-scheduler.ts';
import {
  type LocalTask,
  type PreparedDefinition,
  START_TIME_CONTEXT_FIELD,
  splitLimitParameters,
  TASK_TOKEN_PLACEHOLDER,
} from './definition-rewrite.ts';
import type {
  ExecutionDocument,
  ExecutionStatus,
  JournalEntry,
  PendingTask,
} from './execution-document.ts';
import type { ExecutionStore } from './execution-store.ts';
import {
  type EventDraft,
  ExecutionHistoryRecorder,
  HistoryLog,
  type LibraryEvent,
  type TaskAttempt,
  type TaskEventDrafts,
  taskEventDrafts,
} from './history.ts';
import { JournalKeyAllocator } from './journal-key.ts';
import { isPlainObject, type JsonValue, replaceInStrings } from './json.ts';
import {
  ExecutionInterruptedError,
  LocalRuntimeError,
  lambdaFailure,
  TaskFailureError,
} from './runtime-errors.ts';
import { deriveTaskToken } from './task-token.ts';

/** A state machine ready to run: its definition as given and as the library runs it. */
export interface CompiledStateMachine {
  readonly arn: string;
  readonly name: string;
  readonly definition: object;
  readonly prepared: PreparedDefinition;
  readonly library: StateMachine;
  readonly createdAt: number;
  /** Alias names StartExecution accepts after the ARN; every alias points at version 1. */
  readonly aliases: readonly string[];
}

/** What every run shares with the service. */
export interface RunEnvironment {
  readonly store: ExecutionStore;
  readonly scheduler: DeadlineScheduler;
  readonly invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  readonly now: () => number;
  readonly region: string;
  readonly log: (line: string) => void;
  /** Makes the `States.Timeout` error the library keeps out of `States.TaskFailed`. */
  readonly timeoutError: () => Error;
}

interface Waiter {
  readonly stateName: string;
  readonly attempt: TaskAttempt;
  readonly events: TaskEventDrafts;
  readonly resolve: (value: JsonValue) => void;
  readonly reject: (error: Error) => void;
}

type Outcome = { value: JsonValue } | { error: Error };

/** Raised inside a run when a task's own deadline passes; never reaches the library. */
class TaskDeadlineReachedError extends Error {}

const TASK_TIMEOUT_CAUSE = 'The task did not complete within its TimeoutSeconds';
const HEARTBEAT_TIMEOUT_CAUSE = 'The task sent no heartbeat within its HeartbeatSeconds';

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** The response of Lambda's Invoke API, which `arn:aws:states:::lambda:invoke` returns. */
function invokeResponse(payload: JsonValue, statusCode = 200): JsonValue {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: statusCode,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: statusCode,
  };
}

/**
 * One execution running in this process. A new execution and one resumed after a restart run
 * the same way: from the start, with every Task entry keyed in the journal. An entry already in
 * the journal returns (or throws) what it recorded; a waiting task gets its token again; the
 * first entry that is not recorded runs for real. Results are journaled before the execution
 * moves past them, so a crash at any point replays to the same place.
 */
export class ExecutionRun {
  public readonly document: ExecutionDocument;
  public readonly machine: CompiledStateMachine;
  /** Settles once the run reached a step that was not replayed, or ended. */
  public readonly caughtUp: Promise<void>;
  /** Settles once the run ended or was detached. */
  public readonly ended: Promise<void>;

  readonly #env: RunEnvironment;
  readonly #history: HistoryLog;
  readonly #recorder: ExecutionHistoryRecorder;
  readonly #keys = new JournalKeyAllocator();
  readonly #waiters = new Map<string, Waiter>();
  readonly #interrupts = new Set<(error: Error) => void>();
  readonly #deadlines = new Map<string, () => void>();
  /** States whose last attempt was a replayed failure: their retry runs without a pause. */
  readonly #replayedFailures = new Set<string>();
  #state: 'created' | 'running' | 'finished' | 'detached' = 'created';
  #abort: () => void = () => {};
  #cancelExecutionTimeout: () => void = () => {};
  #markCaughtUp: () => void = () => {};
  #markEnded: () => void = () => {};

  public constructor(
    machine: CompiledStateMachine,
    document: ExecutionDocument,
    env: RunEnvironment,
  ) {
    this.machine = machine;
    this.document = document;
    this.#env = env;
    this.#history = new HistoryLog(document.history, env.now, () => this.#saveInBackground());
    this.#recorder = new ExecutionHistoryRecorder(this.#history, machine.prepared.stateTypes);
    this.caughtUp = new Promise((resolve) => {
      this.#markCaughtUp = resolve;
    });
    this.ended = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
  }

  /** True from creation (a new execution starts on the next tick) until it ends or is detached. */
  public get isRunning(): boolean {
    return this.#state === 'running' || this.#state === 'created';
  }

  #label(): string {
    return `${this.machine.name}/${this.document.record.name}`;
  }

  public start(): void {
    if (this.#state !== 'created') return;
    this.#state = 'running';
    const { record, pending } = this.document;
    const executionTimeout = this.machine.prepared.executionTimeoutSeconds;
    if (executionTimeout) {
      this.#cancelExecutionTimeout = this.#env.scheduler.schedule(
        record.startDate + executionTimeout * 1000,
        () => {
          void this.#end('TIMED_OUT', {
            error: 'States.Timeout',
            cause: 'The execution did not complete within its TimeoutSeconds',
          });
        },
      );
    }
    // Deadlines of tasks issued before a restart keep counting from when they were entered.
    for (const [key, task] of Object.entries(pending)) this.#scheduleDeadline(key, task);

    const execution = this.machine.library.run(JSON.parse(record.input) as JsonValue, {
      overrides: {
        taskResourceLocalHandlers: this.#taskHandlers(),
        retryIntervalOverrides: this.#retryIntervals(),
      },
      context: this.#contextObject(),
      noThrowOnAbort: true,
    });
    this.#abort = execution.abort;
    const consumed = (async () => {
      for await (const event of execution.eventLogs) {
        if (this.#state !== 'running') continue;
        try {
          this.#recorder.onLibraryEvent(event as unknown as LibraryEvent);
        } catch (error) {
          this.#env.log(`[sfn] ${this.#label()}: history event lost: ${(error as Error).message}`);
        }
      }
    })();
    void Promise.allSettled([execution.result, consumed]).then(([outcome]) =>
      this.#finish(outcome),
    );
  }

  /**
   * Completes a pending waiting task (SendTaskSuccess/Failure, its deadline, or its Lambda
   * failing). The result is journaled and on disk before the waiting step resumes. Returns
   * false when the task is not pending.
   */
  public async completeTask(journalKey: string, entry: JournalEntry): Promise<boolean> {
    const task = this.document.pending[journalKey];
    if (!this.isRunning || !task) return false;
    delete this.document.pending[journalKey];
    this.#deadlines.get(journalKey)?.();
    this.#deadlines.delete(journalKey);
    const recorded: JournalEntry =
      task.invoked && entry.kind !== 'wait' ? { ...entry, submitted: true } : entry;
    this.document.journal[journalKey] = recorded;
    const waiter = this.#waiters.get(journalKey);
    this.#waiters.delete(journalKey);
    const outcome = waiter
      ? this.#settle(recorded, waiter.attempt, waiter.events, waiter.stateName, false)
      : undefined;
    await this.#save();
    if (waiter && outcome && this.isRunning) {
      if ('error' in outcome) waiter.reject(outcome.error);
      else waiter.resolve(outcome.value);
    }
    return true;
  }

  /** Records a heartbeat of a pending waiting task; false when the task is not pending. */
  public async heartbeat(journalKey: string): Promise<boolean> {
    const task = this.document.pending[journalKey];
    if (!this.isRunning || !task) return false;
    task.lastHeartbeatAt = this.#env.now();
    this.#scheduleDeadline(journalKey, task);
    await this.#save();
    return true;
  }

  /** StopExecution: the execution ends ABORTED and its pending tokens are forgotten. */
  public async stop(error?: string, cause?: string): Promise<void> {
    await this.#end('ABORTED', { error, cause });
  }

  /** Stops running here without recording anything: the execution stays RUNNING on disk. */
  public detach(): void {
    if (this.#state !== 'running' && this.#state !== 'created') return;
    this.#state = 'detached';
    this.#releaseEverything();
    this.#markCaughtUp();
    this.#markEnded();
  }

  // --- library hooks ---------------------------------------------------------------------------

  #taskHandlers(): Record<string, (input: JsonValue) => Promise<JsonValue>> {
    const handlers: Record<string, (input: JsonValue) => Promise<JsonValue>> = {};
    for (const task of this.machine.prepared.tasks.values()) {
      handlers[task.stateName] = (input) => this.#runTask(task, input);
    }
    return handlers;
  }

  /** The library reads a state's retry pause from here (twice per decision), by state name. */
  #retryIntervals(): Record<string, number> {
    const replayed = this.#replayedFailures;
    return new Proxy<Record<string, number>>(
      {},
      {
        get: (_target, name) => (typeof name === 'string' && replayed.has(name) ? 0 : undefined),
      },
    );
  }

  #contextObject(): Record<string, unknown> {
    const { record } = this.document;
    const startTime = new Date(record.startDate).toISOString();
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        StartTime: startTime,
        [START_TIME_CONTEXT_FIELD]: startTime,
        RoleArn: roleArnOf(this.machine.name),
        RedriveCount: 0,
      },
      StateMachine: { Id: this.machine.arn, Name: this.machine.name },
      // Any reference left in the definition (e.g. inside an intrinsic) resolves to the
      // placeholder, which the task handler swaps for the real token.
      Task: { Token: TASK_TOKEN_PLACEHOLDER },
    };
  }

  // --- tasks -----------------------------------------------------------------------------------

  async #runTask(task: LocalTask, received: JsonValue): Promise<JsonValue> {
    this.#ensureRunning();
    this.#replayedFailures.delete(task.stateName);
    const limits = splitLimitParameters(received);
    const parameters = limits.parameters as JsonValue;
    const key = this.#keys.next(task.stateName, parameters);
    if (task.kind === 'wait') return this.#runWait(key, parameters);
    if (task.kind === 'unsupported') {
      throw new LocalRuntimeError(
        `${task.stateName}: resource ${task.resource} is not supported by the local Step Functions`,
      );
    }
    const waitsForToken = task.kind === 'lambda-invoke-wait-for-token';
    const token = waitsForToken
      ? deriveTaskToken(this.#env.store.secret, this.document.record.executionArn, key)
      : undefined;
    const resolved = (
      token ? replaceInStrings(parameters, TASK_TOKEN_PLACEHOLDER, token) : parameters
    ) as JsonValue;
    const timeoutSeconds = this.#seconds(
      task.timeoutSeconds,
      task.timeoutSecondsPath,
      limits.timeoutSeconds,
    );
    const heartbeatSeconds = waitsForToken
      ? this.#seconds(task.heartbeatSeconds, task.heartbeatSecondsPath, limits.heartbeatSeconds)
      : undefined;
    const events = taskEventDrafts(task, this.#env.region, timeoutSeconds, heartbeatSeconds);
    const attempt = this.#recorder.beginTaskAttempt(task.stateName);
    attempt.add(events.scheduled(resolved));
    attempt.add(events.started());

    const recorded = this.document.journal[key];
    if (recorded) {
      if (recorded.kind === 'result' || recorded.kind === 'error') {
        if (recorded.submitted) attempt.add(events.submitted());
      }
      const outcome = this.#settle(recorded, attempt, events, task.stateName, true);
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    }
    const functionName =
      task.kind === 'lambda-function'
        ? task.resource
        : String(isPlainObject(resolved) ? resolved.FunctionName : '');
    const payload =
      task.kind === 'lambda-function'
        ? resolved
        : isPlainObject(resolved)
          ? (resolved.Payload ?? {})
          : {};
    if (waitsForToken) {
      return this.#waitForToken(task, key, functionName, payload, attempt, events, {
        timeoutSeconds,
        heartbeatSeconds,
      });
    }
    this.#markCaughtUp();
    const eventInvocation = isPlainObject(resolved) && resolved.InvocationType === 'Event';
    let entry: JournalEntry;
    try {
      const response = await this.#raceDeadline(
        this.#env.invokeLambda(functionName, payload),
        timeoutSeconds ? this.#env.now() + timeoutSeconds * 1000 : undefined,
      );
      entry = {
        kind: 'result',
        value:
          task.kind === 'lambda-function'
            ? toJson(response)
            : eventInvocation
              ? invokeResponse('', 202)
              : invokeResponse(toJson(response)),
      };
    } catch (error) {
      this.#ensureRunning();
      entry =
        error instanceof TaskDeadlineReachedError
          ? { kind: 'error', error: 'States.Timeout', cause: TASK_TIMEOUT_CAUSE, timedOut: true }
          : { kind: 'error', ...lambdaFailure(error) };
    }
    this.#ensureRunning();
    this.document.journal[key] = entry;
    const outcome = this.#settle(entry, attempt, events, task.stateName, false);
    await this.#save();
    this.#ensureRunning();
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  async #waitForToken(
    task: LocalTask,
    key: string,
    functionName: string,
    payload: unknown,
    attempt: TaskAttempt,
    events: TaskEventDrafts,
    limits: { timeoutSeconds?: number; heartbeatSeconds?: number },
  ): Promise<JsonValue> {
    let pending = this.document.pending[key];
    const issued = pending === undefined;
    if (!pending) {
      pending = { stateName: task.stateName, enteredAt: this.#env.now(), invoked: false };
      if (limits.timeoutSeconds) pending.timeoutSeconds = limits.timeoutSeconds;
      if (limits.heartbeatSeconds) pending.heartbeatSeconds = limits.heartbeatSeconds;
      this.document.pending[key] = pending;
      this.#scheduleDeadline(key, pending);
    } else if (pending.invoked) {
      attempt.add(events.submitted());
    }
    const answered = new Promise<JsonValue>((resolve, reject) => {
      this.#waiters.set(key, { stateName: task.stateName, attempt, events, resolve, reject });
    });
    // Rejected on stop/close, possibly before it is returned below: never an unhandled rejection.
    answered.catch(() => {});
    this.#markCaughtUp();
    // The token must be on disk before anyone can hold it.
    if (issued) await this.#save();
    this.#ensureRunning();
    if (!pending.invoked)
      void this.#deliverToken(key, pending, functionName, payload, attempt, events);
    return answered;
  }

  /** Invokes the Lambda that receives the token; if it fails, so does the task. */
  async #deliverToken(
    key: string,
    pending: PendingTask,
    functionName: string,
    payload: unknown,
    attempt: TaskAttempt,
    events: TaskEventDrafts,
  ): Promise<void> {
    try {
      await this.#env.invokeLambda(functionName, payload);
      if (!this.isRunning || this.document.pending[key] !== pending) return;
      pending.invoked = true;
      attempt.add(events.submitted());
      await this.#save();
    } catch (error) {
      if (!this.isRunning || this.document.pending[key] !== pending) return;
      await this.completeTask(key, { kind: 'error', ...lambdaFailure(error) }).catch(() => {});
    }
  }

  async #runWait(key: string, parameters: JsonValue): Promise<JsonValue> {
    const recorded = this.document.journal[key];
    let until: number;
    if (recorded?.kind === 'wait') {
      until = recorded.until;
    } else {
      until = this.#waitDeadline(parameters);
      this.document.journal[key] = { kind: 'wait', until };
      this.#markCaughtUp();
      await this.#save();
      this.#ensureRunning();
    }
    if (until > this.#env.now()) {
      this.#markCaughtUp();
      await this.#raceDeadline(new Promise<never>(() => {}), until).catch((error: unknown) => {
        if (!(error instanceof TaskDeadlineReachedError)) throw error;
      });
      this.#ensureRunning();
    }
    return isPlainObject(parameters) ? (parameters.Input ?? null) : null;
  }

  #waitDeadline(parameters: JsonValue): number {
    const seconds = isPlainObject(parameters) ? parameters.Seconds : undefined;
    const timestamp = isPlainObject(parameters) ? parameters.Timestamp : undefined;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) {
      return this.#env.now() + seconds * 1000;
    }
    if (typeof timestamp === 'string' && !Number.isNaN(Date.parse(timestamp))) {
      return Date.parse(timestamp);
    }
    throw new LocalRuntimeError(
      'A Wait state needs a non-negative number of seconds or a timestamp',
    );
  }

  /** Journal entry → what the task step returns or throws, with its history event. */
  #settle(
    entry: JournalEntry,
    attempt: TaskAttempt,
    events: TaskEventDrafts,
    stateName: string,
    replayed: boolean,
  ): Outcome {
    if (entry.kind === 'result') {
      attempt.add(events.succeeded(entry.value));
      return { value: structuredClone(entry.value) };
    }
    if (entry.kind === 'wait') {
      return { error: new LocalRuntimeError(`${stateName}: the journal holds a wait for a task`) };
    }
    const draft: EventDraft = entry.timedOut
      ? events.timedOut(entry.error, entry.cause)
      : events.failed(entry.error, entry.cause);
    attempt.add(draft);
    if (replayed) this.#replayedFailures.add(stateName);
    const error =
      entry.error === 'States.Timeout'
        ? this.#env.timeoutError()
        : new TaskFailureError(entry.error, entry.cause);
    return { error };
  }

  /** A task's limit: declared, or read from its input through its `...Path` (see rewrite). */
  #seconds(
    fixed: number | undefined,
    path: string | undefined,
    value: unknown,
  ): number | undefined {
    if (fixed !== undefined) return fixed;
    if (path === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new LocalRuntimeError(`Path ${path} does not point to a positive integer`);
    }
    return value;
  }

  #scheduleDeadline(key: string, task: PendingTask): void {
    this.#deadlines.get(key)?.();
    this.#deadlines.delete(key);
    const timeoutAt = task.timeoutSeconds
      ? task.enteredAt + task.timeoutSeconds * 1000
      : Number.POSITIVE_INFINITY;
    const heartbeatAt = task.heartbeatSeconds
      ? (task.lastHeartbeatAt ?? task.enteredAt) + task.heartbeatSeconds * 1000
      : Number.POSITIVE_INFINITY;
    const dueAt = Math.min(timeoutAt, heartbeatAt);
    if (!Number.isFinite(dueAt)) return;
    const entry: JournalEntry =
      timeoutAt <= heartbeatAt
        ? { kind: 'error', error: 'States.Timeout', cause: TASK_TIMEOUT_CAUSE, timedOut: true }
        : {
            kind: 'error',
            error: 'States.HeartbeatTimeout',
            cause: HEARTBEAT_TIMEOUT_CAUSE,
            timedOut: true,
          };
    const cancel = this.#env.scheduler.schedule(dueAt, () => {
      this.#deadlines.delete(key);
      this.completeTask(key, entry).catch((error: unknown) => {
        this.#env.log(`[sfn] ${this.#label()}: timeout not recorded: ${(error as Error).message}`);
      });
    });
    this.#deadlines.set(key, cancel);
  }

  /** Resolves or rejects with `promise`, unless the deadline passes or the run is interrupted. */
  #raceDeadline<T>(promise: Promise<T>, dueAt: number | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let cancelDeadline = () => {};
      const interrupt = (error: Error) => {
        cancelDeadline();
        reject(error);
      };
      this.#interrupts.add(interrupt);
      if (dueAt !== undefined) {
        cancelDeadline = this.#env.scheduler.schedule(dueAt, () => {
          this.#interrupts.delete(interrupt);
          reject(new TaskDeadlineReachedError());
        });
      }
      promise.then(
        (value) => {
          this.#interrupts.delete(interrupt);
          cancelDeadline();
          resolve(value);
        },
        (error: unknown) => {
          this.#interrupts.delete(interrupt);
          cancelDeadline();
          reject(error);
        },
      );
    });
  }

  // --- end of the execution --------------------------------------------------------------------

  async #finish(outcome: PromiseSettledResult<JsonValue>): Promise<void> {
    if (this.#state !== 'running') return;
    if (outcome.status === 'fulfilled') {
      await this.#end('SUCCEEDED', { output: JSON.stringify(outcome.value ?? null) });
      return;
    }
    const reason: unknown = outcome.reason;
    const failure = reason instanceof ExecutionError ? (reason.cause as Error) : (reason as Error);
    await this.#end('FAILED', { error: failure?.name, cause: failure?.message });
  }

  async #end(
    status: Exclude<ExecutionStatus, 'RUNNING'>,
    fields: { output?: string; error?: string; cause?: string },
  ): Promise<void> {
    if (!this.isRunning) return;
    this.#state = 'finished';
    this.#releaseEverything();
    this.document.pending = {};
    const { record } = this.document;
    record.status = status;
    record.stopDate = this.#env.now();
    if (fields.output !== undefined) record.output = fields.output;
    if (fields.error) record.error = fields.error;
    if (fields.cause) record.cause = fields.cause;
    const errorDetails: Record<string, unknown> = {};
    if (fields.error) errorDetails.error = fields.error;
    if (fields.cause) errorDetails.cause = fields.cause;
    const finalEvent: Record<Exclude<ExecutionStatus, 'RUNNING'>, EventDraft> = {
      SUCCEEDED: [
        'ExecutionSucceeded',
        { output: fields.output ?? 'null', outputDetails: { truncated: false } },
      ],
      FAILED: ['ExecutionFailed', errorDetails],
      TIMED_OUT: ['ExecutionTimedOut', errorDetails],
      ABORTED: ['ExecutionAborted', errorDetails],
    };
    this.#history.appendFinal(finalEvent[status]);
    try {
      await this.#env.store.save(this.document);
    } catch {
      // The store logged it; the record stays RUNNING on disk and is resumed (and ends) again.
    } finally {
      const reason = fields.error ? ` (${fields.error})` : '';
      this.#env.log(`[sfn] ${this.#label()} ${status.toLowerCase().replace('_', ' ')}${reason}`);
      this.#markCaughtUp();
      this.#markEnded();
    }
  }

  /** Cancels timers, unblocks every waiting step and stops the library's run. */
  #releaseEverything(): void {
    this.#cancelExecutionTimeout();
    for (const cancel of this.#deadlines.values()) cancel();
    this.#deadlines.clear();
    const interrupted = new ExecutionInterruptedError();
    for (const interrupt of this.#interrupts) interrupt(interrupted);
    this.#interrupts.clear();
    for (const waiter of this.#waiters.values()) waiter.reject(interrupted);
    this.#waiters.clear();
    this.#abort();
  }

  #ensureRunning(): void {
    if (this.#state !== 'running') throw new ExecutionInterruptedError();
  }

  #save(): Promise<void> {
    if (this.#state === 'detached') return Promise.resolve();
    return this.#env.store.save(this.document);
  }

  #saveInBackground(): void {
    // Failures are logged by the store; the next save retries with the whole document.
    this.#save().catch(() => {});
  }
}
