import { randomUUID } from 'node:crypto';
import {
  executionArnOf,
  isExecutionArn,
  isStateMachineArn,
  isValidExecutionName,
  parseStateMachineArn,
  roleArnOf,
} from './arns.ts';
import type {
  ExecutionDocument,
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
} from './execution-document.ts';
import {
  type CompiledStateMachine,
  ExecutionRun,
  type RunEnvironment,
} from './execution-runner.ts';
import { createHistoryEvent, executionStartedDraft } from './history.ts';
import { canonicalJson, isPlainObject, type JsonValue, tryParseJson } from './json.ts';
import { StepFunctionsProtocolError } from './protocol-errors.ts';
import { executionId, journalKeyDigest, parseTaskToken } from './task-token.ts';

type Input = Record<string, unknown>;

const STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
];
/** Locally a state machine has one definition, hence one version. */
const LOCAL_VERSION = 1;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

/** Epoch milliseconds → epoch seconds, the JSON protocol's timestamp format. */
function seconds(milliseconds: number): number {
  return milliseconds / 1000;
}

function requireString(input: Input, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new StepFunctionsProtocolError(
      'ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

function optionalString(input: Input, field: string): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new StepFunctionsProtocolError('ValidationException', `'${field}' must be a string`);
  }
  return value;
}

function pageSize(input: Input): number {
  const value = input.maxResults;
  if (value === undefined || value === null || value === 0) return DEFAULT_PAGE_SIZE;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw new StepFunctionsProtocolError(
      'ValidationException',
      `1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_PAGE_SIZE}`,
    );
  }
  return value;
}

/** Pagination tokens are opaque offsets bound to the listing they came from. */
function pageStart(input: Input, listing: string): number {
  const token = optionalString(input, 'nextToken');
  if (token === undefined) return 0;
  const parsed = tryParseJson(Buffer.from(token, 'base64url').toString('utf8'))?.value;
  if (!isPlainObject(parsed) || parsed.l !== listing || typeof parsed.o !== 'number') {
    throw new StepFunctionsProtocolError('InvalidToken', `Invalid Token: '${token}'`);
  }
  return parsed.o;
}

function page<T>(
  input: Input,
  listing: string,
  items: readonly T[],
): { items: T[]; nextToken?: string } {
  const start = pageStart(input, listing);
  const end = start + pageSize(input);
  const result: { items: T[]; nextToken?: string } = { items: items.slice(start, end) };
  if (end < items.length) {
    result.nextToken = Buffer.from(JSON.stringify({ l: listing, o: end })).toString('base64url');
  }
  return result;
}

/** What a state machine ARN given to StartExecution or ListExecutions designates. */
interface Target {
  machine: CompiledStateMachine;
  /** Set for a version or an alias ARN: the version that runs. */
  versionArn?: string;
  /** Set for an alias ARN. */
  aliasArn?: string;
}

/** The version and alias an execution was started through, as AWS reports them. */
function qualifiersOf(record: ExecutionRecord): Record<string, string> {
  const qualifiers: Record<string, string> = {};
  if (record.stateMachineVersionArn)
    qualifiers.stateMachineVersionArn = record.stateMachineVersionArn;
  if (record.stateMachineAliasArn) qualifiers.stateMachineAliasArn = record.stateMachineAliasArn;
  return qualifiers;
}

/** What ListExecutions says of an execution; DescribeExecution says this and more. */
function executionSummary(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    ...qualifiersOf(record),
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    redriveCount: 0,
    ...(record.stopDate !== undefined ? { stopDate: seconds(record.stopDate) } : {}),
  };
}

function describeRecord(record: ExecutionRecord): Record<string, unknown> {
  const description: Record<string, unknown> = {
    ...executionSummary(record),
    input: record.input,
    inputDetails: { included: true },
  };
  if (record.output !== undefined) {
    description.output = record.output;
    description.outputDetails = { included: true };
  }
  if (record.error) description.error = record.error;
  if (record.cause) description.cause = record.cause;
  return description;
}

const EXECUTION_DATA_FIELDS = ['input', 'inputDetails', 'output', 'outputDetails', 'parameters'];

function toWireEvent(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...event, timestamp: seconds(event.timestamp) };
  if (!includeExecutionData) {
    for (const [key, details] of Object.entries(wire)) {
      if (key.endsWith('EventDetails') && isPlainObject(details)) {
        wire[key] = Object.fromEntries(
          Object.entries(details).filter(([field]) => !EXECUTION_DATA_FIELDS.includes(field)),
        );
      }
    }
  }
  return wire;
}

function invalidArn(arn: string): StepFunctionsProtocolError {
  return new StepFunctionsProtocolError('InvalidArn', `Invalid Arn: '${arn}'`);
}

/**
 * The Step Functions API over the executions of this process: requests in, JSON-ready
 * responses out, failures as {@link StepFunctionsProtocolError}.
 */
export class StepFunctionsService {
  readonly #env: RunEnvironment;
  readonly #machines = new Map<string, CompiledStateMachine>();
  readonly #documents = new Map<string, ExecutionDocument>();
  readonly #arnsById = new Map<string, string>();
  readonly #runs = new Map<string, ExecutionRun>();
  readonly #actions: Record<string, (input: Input) => unknown>;

  public constructor(env: RunEnvironment, machines: readonly CompiledStateMachine[]) {
    this.#env = env;
    for (const machine of machines) this.#machines.set(machine.arn, machine);
    this.#actions = {
      StartExecution: (input) => this.startExecution(input),
      DescribeExecution: (input) => this.describeExecution(input),
      ListExecutions: (input) => this.listExecutions(input),
      GetExecutionHistory: (input) => this.getExecutionHistory(input),
      StopExecution: (input) => this.stopExecution(input),
      SendTaskSuccess: (input) => this.sendTaskSuccess(input),
      SendTaskFailure: (input) => this.sendTaskFailure(input),
      SendTaskHeartbeat: (input) => this.sendTaskHeartbeat(input),
      DescribeStateMachine: (input) => this.describeStateMachine(input),
      DescribeStateMachineForExecution: (input) => this.describeStateMachineForExecution(input),
      ListStateMachines: (input) => this.listStateMachines(input),
    };
  }

  public async handle(action: string, input: Input): Promise<unknown> {
    const run = Object.hasOwn(this.#actions, action) ? this.#actions[action] : undefined;
    if (!run) {
      throw new StepFunctionsProtocolError(
        'UnknownOperationException',
        `Unknown operation AWSStepFunctions.${action}`,
      );
    }
    return await run(input);
  }

  /**
   * Takes in the executions found on disk and resumes those left RUNNING. The returned promise
   * settles once each resumed execution has replayed up to its first step that was not replayed.
   */
  public resume(documents: readonly ExecutionDocument[]): Promise<void> {
    for (const document of documents) this.#register(document);
    const caughtUp: Promise<void>[] = [];
    for (const document of documents) {
      if (document.record.status !== 'RUNNING') continue;
      const machine = this.#machines.get(document.record.stateMachineArn);
      if (!machine) {
        this.#env.log(
          `[sfn] ${document.record.executionArn} left RUNNING: its state machine is not defined`,
        );
        continue;
      }
      const run = this.#startRun(machine, document, false);
      this.#env.log(`[sfn] ${machine.name}/${document.record.name} resumed`);
      caughtUp.push(run.caughtUp);
    }
    return Promise.all(caughtUp).then(() => undefined);
  }

  /** Stops every run here without recording anything; their executions stay RUNNING on disk. */
  public detachAll(): Promise<void> {
    const ended = [...this.#runs.values()].map((run) => {
      run.detach();
      return run.ended;
    });
    return Promise.all(ended).then(() => undefined);
  }

  #register(document: ExecutionDocument): void {
    this.#documents.set(document.record.executionArn, document);
    this.#arnsById.set(executionId(document.record.executionArn), document.record.executionArn);
  }

  #startRun(
    machine: CompiledStateMachine,
    document: ExecutionDocument,
    deferred: boolean,
  ): ExecutionRun {
    const arn = document.record.executionArn;
    const run = new ExecutionRun(machine, document, this.#env);
    this.#runs.set(arn, run);
    void run.ended.then(() => {
      if (this.#runs.get(arn) === run) this.#runs.delete(arn);
    });
    // A new execution starts after its StartExecution response is on its way, as in AWS.
    if (deferred) setImmediate(() => run.start());
    else run.start();
    return run;
  }

  #machine(arn: string): CompiledStateMachine {
    if (!isStateMachineArn(arn)) throw invalidArn(arn);
    const machine = this.#machines.get(arn);
    if (!machine) {
      throw new StepFunctionsProtocolError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${arn}'`,
      );
    }
    return machine;
  }

  /**
   * The machine an ARN names, with the version and alias it was qualified by. Locally there is
   * one version, `:1`, and every alias points at it; other qualifiers do not exist.
   */
  #target(arn: string): Target {
    const reference = parseStateMachineArn(arn);
    if (!reference) throw invalidArn(arn);
    const machine = this.#machines.get(reference.machineArn);
    const { qualifier } = reference;
    const exists =
      machine !== undefined &&
      (qualifier === undefined ||
        (qualifier.kind === 'version'
          ? qualifier.number === LOCAL_VERSION
          : machine.aliases.includes(qualifier.name)));
    if (!machine || !exists) {
      throw new StepFunctionsProtocolError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${arn}'`,
      );
    }
    if (!qualifier) return { machine };
    const versionArn = `${machine.arn}:${LOCAL_VERSION}`;
    return qualifier.kind === 'version'
      ? { machine, versionArn }
      : { machine, versionArn, aliasArn: arn };
  }

  #document(arn: string): ExecutionDocument {
    if (!isExecutionArn(arn)) throw invalidArn(arn);
    const document = this.#documents.get(arn);
    if (!document) {
      throw new StepFunctionsProtocolError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${arn}'`,
      );
    }
    return document;
  }

  public async startExecution(input: Input): Promise<unknown> {
    const { machine, versionArn, aliasArn } = this.#target(requireString(input, 'stateMachineArn'));
    const name = optionalString(input, 'name') ?? randomUUID();
    if (!isValidExecutionName(name)) {
      throw new StepFunctionsProtocolError('InvalidName', `Invalid Name: '${name}'`);
    }
    const inputText = optionalString(input, 'input') ?? '{}';
    const parsed = tryParseJson(inputText);
    if (!parsed) {
      throw new StepFunctionsProtocolError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${inputText}'`,
      );
    }
    const executionArn = executionArnOf(machine.arn, name);
    const existing = this.#documents.get(executionArn);
    if (existing) {
      // AWS: the same name and input while the execution runs is the same request.
      const sameInput =
        canonicalJson(tryParseJson(existing.record.input)?.value) === canonicalJson(parsed.value);
      if (existing.record.status === 'RUNNING' && sameInput) {
        return { executionArn, startDate: seconds(existing.record.startDate) };
      }
      throw new StepFunctionsProtocolError(
        'ExecutionAlreadyExists',
        `Execution Already Exists: '${executionArn}'`,
      );
    }
    const startDate = this.#env.now();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.arn,
      ...(versionArn ? { stateMachineVersionArn: versionArn } : {}),
      ...(aliasArn ? { stateMachineAliasArn: aliasArn } : {}),
      name,
      input: inputText,
      status: 'RUNNING',
      startDate,
    };
    const started = executionStartedDraft(inputText, roleArnOf(machine.name), qualifiersOf(record));
    const document: ExecutionDocument = {
      version: 1,
      record,
      history: [createHistoryEvent(1, startDate, started)],
      journal: {},
      pending: {},
    };
    this.#register(document);
    await this.#env.store.save(document);
    this.#startRun(machine, document, true);
    this.#env.log(`[sfn] ${machine.name}/${name} started`);
    return { executionArn, startDate: seconds(startDate) };
  }

  public describeExecution(input: Input): unknown {
    return describeRecord(this.#document(requireString(input, 'executionArn')).record);
  }

  /** A version or alias ARN lists the executions started through it, as in AWS. */
  public listExecutions(input: Input): unknown {
    const stateMachineArn = requireString(input, 'stateMachineArn');
    const { machine, versionArn, aliasArn } = this.#target(stateMachineArn);
    const startedThrough = (record: ExecutionRecord) =>
      aliasArn !== undefined
        ? record.stateMachineAliasArn === aliasArn
        : versionArn !== undefined
          ? record.stateMachineVersionArn === versionArn
          : record.stateMachineArn === machine.arn;
    const statusFilter = optionalString(input, 'statusFilter');
    if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
      throw new StepFunctionsProtocolError(
        'ValidationException',
        `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`,
      );
    }
    const records = [...this.#documents.values()]
      .map((document) => document.record)
      .filter(startedThrough)
      .filter((record) => statusFilter === undefined || record.status === statusFilter)
      .sort(
        (a, b) =>
          b.startDate - a.startDate ||
          (a.executionArn < b.executionArn ? -1 : a.executionArn > b.executionArn ? 1 : 0),
      );
    const { items, nextToken } = page(
      input,
      `executions:${stateMachineArn}:${statusFilter ?? ''}`,
      records,
    );
    return {
      executions: items.map(executionSummary),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  public getExecutionHistory(input: Input): unknown {
    const executionArn = requireString(input, 'executionArn');
    const document = this.#document(executionArn);
    const reverse = input.reverseOrder === true;
    const includeExecutionData = input.includeExecutionData !== false;
    const events = reverse ? [...document.history].reverse() : document.history;
    const { items, nextToken } = page(input, `history:${executionArn}:${reverse}`, events);
    return {
      events: items.map((event) => toWireEvent(event, includeExecutionData)),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  public async stopExecution(input: Input): Promise<unknown> {
    const document = this.#document(requireString(input, 'executionArn'));
    const error = optionalString(input, 'error');
    const cause = optionalString(input, 'cause');
    const { record } = document;
    if (record.status === 'RUNNING') {
      const run = this.#runs.get(record.executionArn);
      if (run) {
        await run.stop(error, cause);
      } else {
        // Its state machine is gone: there is nothing to unwind, only the record to close.
        record.status = 'ABORTED';
        record.stopDate = this.#env.now();
        if (error) record.error = error;
        if (cause) record.cause = cause;
        document.pending = {};
        const details: Record<string, unknown> = {};
        if (error) details.error = error;
        if (cause) details.cause = cause;
        document.history.push(
          createHistoryEvent(document.history.length + 1, record.stopDate, [
            'ExecutionAborted',
            details,
          ]),
        );
        await this.#env.store.save(document);
      }
    }
    return { stopDate: seconds(record.stopDate ?? this.#env.now()) };
  }

  /**
   * The pending task a token names. Malformed or forged tokens are InvalidToken; a genuine token
   * whose task was answered, timed out or whose execution ended is TaskTimedOut (AWS: "Provided
   * task does not exist anymore"); anything else is TaskDoesNotExist.
   */
  #pendingTask(token: string): { run: ExecutionRun; journalKey: string } {
    const parsed = parseTaskToken(this.#env.store.secret, token);
    if (!parsed)
      throw new StepFunctionsProtocolError('InvalidToken', "Invalid Token: 'Invalid token'");
    const arn = this.#arnsById.get(parsed.executionId);
    const document = arn === undefined ? undefined : this.#documents.get(arn);
    if (!arn || !document) {
      throw new StepFunctionsProtocolError(
        'TaskDoesNotExist',
        "Task Does Not Exist: 'Provided task does not exist'",
      );
    }
    const matches = (key: string) => journalKeyDigest(key) === parsed.keyDigest;
    const journalKey = Object.keys(document.pending).find(matches);
    const run = this.#runs.get(arn);
    if (journalKey !== undefined && run?.isRunning) return { run, journalKey };
    if (document.record.status !== 'RUNNING' || Object.keys(document.journal).some(matches)) {
      throw new StepFunctionsProtocolError(
        'TaskTimedOut',
        "Task Timed Out: 'Provided task does not exist anymore'",
      );
    }
    throw new StepFunctionsProtocolError(
      'TaskDoesNotExist',
      "Task Does Not Exist: 'Provided task does not exist'",
    );
  }

  async #answer(
    token: string,
    answer: (run: ExecutionRun, journalKey: string) => Promise<boolean>,
  ): Promise<unknown> {
    const { run, journalKey } = this.#pendingTask(token);
    if (!(await answer(run, journalKey))) {
      throw new StepFunctionsProtocolError(
        'TaskTimedOut',
        "Task Timed Out: 'Provided task does not exist anymore'",
      );
    }
    return {};
  }

  public sendTaskSuccess(input: Input): Promise<unknown> {
    const token = requireString(input, 'taskToken');
    const output = requireString(input, 'output');
    const parsed = tryParseJson(output);
    if (!parsed)
      throw new StepFunctionsProtocolError('InvalidOutput', `Invalid Output: '${output}'`);
    const value: JsonValue = parsed.value;
    return this.#answer(token, (run, key) => run.completeTask(key, { kind: 'result', value }));
  }

  public sendTaskFailure(input: Input): Promise<unknown> {
    const token = requireString(input, 'taskToken');
    const error = optionalString(input, 'error') ?? '';
    const cause = optionalString(input, 'cause') ?? '';
    return this.#answer(token, (run, key) =>
      run.completeTask(key, { kind: 'error', error, cause }),
    );
  }

  public sendTaskHeartbeat(input: Input): Promise<unknown> {
    const token = requireString(input, 'taskToken');
    return this.#answer(token, (run, key) => run.heartbeat(key));
  }

  #describeMachine(machine: CompiledStateMachine): Record<string, unknown> {
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      roleArn: roleArnOf(machine.name),
      type: 'STANDARD',
      creationDate: seconds(machine.createdAt),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  public describeStateMachine(input: Input): unknown {
    return this.#describeMachine(this.#machine(requireString(input, 'stateMachineArn')));
  }

  public describeStateMachineForExecution(input: Input): unknown {
    const document = this.#document(requireString(input, 'executionArn'));
    const machine = this.#machine(document.record.stateMachineArn);
    const {
      creationDate,
      status: _status,
      type: _type,
      ...described
    } = this.#describeMachine(machine);
    return { ...described, updateDate: creationDate };
  }

  public listStateMachines(input: Input): unknown {
    const machines = [...this.#machines.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const { items, nextToken } = page(input, 'state-machines', machines);
    return {
      stateMachines: items.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: seconds(machine.createdAt),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }
}
