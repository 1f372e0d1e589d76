import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { capacityTraceEnabled } from '../../../shared/db/consumed-capacity.ts';
import type { LocalFunction } from '../cloud-assembly.ts';
import {
  billedDurationOf,
  formatInvocationReport,
  type InvocationReport,
} from './invocation-report.ts';

/** A function's error, carrying its type as `name` the way Lambda reports `errorType`. */
export class LambdaFunctionError extends Error {
  constructor(
    name: string,
    message: string,
    readonly functionName: string,
  ) {
    super(message);
    this.name = name;
  }
}

export class FunctionNotFoundError extends Error {
  constructor(functionName: string) {
    super(`Function not found: ${functionName}`);
    this.name = 'ResourceNotFoundException';
  }
}

export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  /** Variables every function gets on top of its own: endpoints, region, credentials. */
  readonly baseEnvironment: Record<string, string>;
  /** Sandboxes per function at most; further invocations wait for one to be free. */
  readonly maxConcurrency?: number;
  /**
   * The local clock's offset (ms), read as each invocation starts and handed to the sandbox as
   * SHANYU_CLOCK_OFFSET_MS, so that a clock moved while the runtime runs reaches warm sandboxes
   * too (`shared/clock` reads the variable on every call). Without it, sandboxes keep whatever
   * their environment says.
   */
  readonly clockOffsetMs?: () => number;
  /**
   * Where the REPORT line of each invocation of a traced function (SHANYU_CAPACITY_TRACE=1 in its
   * environment) goes: duration, billed duration, memory and DynamoDB capacity, for the cost
   * benchmark. Untraced functions report nothing. @default this process's standard output
   */
  readonly report?: (line: string) => void;
}

interface Invocation {
  readonly id: string;
  readonly event: unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

/** What the sandbox measured for one invocation (lambda-worker.mjs). */
interface InvocationUsage {
  durationMs: number;
  initDurationMs?: number;
  consumedCapacity?: InvocationReport['consumedCapacity'];
}

interface WorkerReply {
  ready?: boolean;
  id: string;
  result?: unknown;
  error?: { name: string; message: string };
  usage?: InvocationUsage;
}

/** Hears what each settled invocation used. */
type UsageListener = (requestId: string, outcome: 'ok' | 'error', usage: InvocationUsage) => void;

/** The handler's module inside an asset directory: `index.handler` → index.mjs or index.js. */
function modulePathOf(fn: LocalFunction): { modulePath: string; exportName: string } {
  const dot = fn.handler.lastIndexOf('.');
  const file = fn.handler.slice(0, dot);
  const exportName = fn.handler.slice(dot + 1);
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const candidate = join(fn.assetDir, `${file}${extension}`);
    if (existsSync(candidate)) return { modulePath: candidate, exportName };
  }
  throw new Error(`No module for handler ${fn.handler} in ${fn.assetDir}`);
}

/**
 * One execution environment: a worker thread with the function's own environment and module
 * cache, serving one invocation at a time, as a Lambda sandbox does.
 */
class Sandbox {
  private readonly worker: Worker;
  private current: (Invocation & { timer: NodeJS.Timeout | undefined }) | undefined;
  private dead = false;
  private markReady: () => void = () => undefined;
  /** Settles when the function's module has loaded (its init phase), or failed to. */
  readonly ready = new Promise<void>((resolve) => {
    this.markReady = resolve;
  });

  constructor(
    private readonly fn: LocalFunction,
    environment: Record<string, string>,
    private readonly onFree: (sandbox: Sandbox) => void,
    private readonly onDead: (sandbox: Sandbox) => void,
    private readonly clockOffsetMs: (() => number) | undefined,
    private readonly onUsage: UsageListener | undefined,
  ) {
    const { modulePath, exportName } = modulePathOf(fn);
    this.worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      workerData: {
        modulePath,
        exportName,
        functionName: fn.functionName,
        memorySize: fn.memorySize,
        timeoutSeconds: fn.timeoutSeconds,
      },
      // Module code that reads the clock at load time (its init phase) sees today's offset too.
      env: clockOffsetMs
        ? { ...environment, SHANYU_CLOCK_OFFSET_MS: String(clockOffsetMs()) }
        : environment,
    });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => {
      if (reply.ready !== undefined) this.markReady();
      else this.settle(reply);
    });
    this.worker.on('error', (error) => this.die('Runtime.ExitError', error.message));
    this.worker.on('exit', (code) => this.die('Runtime.ExitError', `sandbox exited (${code})`));
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  run(invocation: Invocation): void {
    this.current = { ...invocation, timer: undefined };
    // As in Lambda, the function's timeout counts from the handler's start: a cold start's
    // module loading (its init phase) is not part of it.
    void this.ready.then(() => {
      if (this.dead || this.current?.id !== invocation.id) return;
      this.current.timer = setTimeout(() => {
        // Lambda does not let a timed-out invocation finish: the sandbox is thrown away.
        this.die('Sandbox.Timedout', `Task timed out after ${this.fn.timeoutSeconds} seconds`);
      }, this.fn.timeoutSeconds * 1000);
      // Read when the handler starts rather than when the invocation was queued, so that a clock
      // moved while it waited for a free sandbox is the one it sees.
      this.worker.postMessage({
        id: invocation.id,
        event: invocation.event,
        ...(this.clockOffsetMs ? { clockOffsetMs: this.clockOffsetMs() } : {}),
      });
    });
  }

  private settle(reply: WorkerReply): void {
    const invocation = this.current;
    if (!invocation || invocation.id !== reply.id) return;
    clearTimeout(invocation.timer);
    this.current = undefined;
    if (reply.usage) this.onUsage?.(invocation.id, reply.error ? 'error' : 'ok', reply.usage);
    if (reply.error) {
      invocation.reject(
        new LambdaFunctionError(reply.error.name, reply.error.message, this.fn.functionName),
      );
    } else {
      invocation.resolve(reply.result);
    }
    this.onFree(this);
  }

  private die(errorType: string, message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.markReady();
    const invocation = this.current;
    this.current = undefined;
    if (invocation) {
      clearTimeout(invocation.timer);
      invocation.reject(new LambdaFunctionError(errorType, message, this.fn.functionName));
    }
    void this.worker.terminate();
    this.onDead(this);
  }

  async stop(): Promise<void> {
    this.dead = true;
    if (this.current) clearTimeout(this.current.timer);
    await this.worker.terminate();
  }
}

/** A function's sandboxes and the invocations waiting for one. */
class FunctionPool {
  private readonly sandboxes = new Set<Sandbox>();
  private readonly waiting: Invocation[] = [];

  constructor(
    private readonly fn: LocalFunction,
    private readonly environment: Record<string, string>,
    private readonly maxConcurrency: number,
    private readonly clockOffsetMs: (() => number) | undefined,
    private readonly onUsage: UsageListener | undefined,
  ) {}

  invoke(invocation: Invocation): void {
    const idle = [...this.sandboxes].find((sandbox) => !sandbox.busy);
    if (idle) idle.run(invocation);
    else if (this.sandboxes.size < this.maxConcurrency) this.spawn().run(invocation);
    else this.waiting.push(invocation);
  }

  /** Starts a first sandbox if there is none; settles when it has loaded. */
  async warm(): Promise<void> {
    if (this.sandboxes.size === 0) await this.spawn().ready;
  }

  private spawn(): Sandbox {
    const sandbox = new Sandbox(
      this.fn,
      this.environment,
      (free) => {
        const next = this.waiting.shift();
        if (next) free.run(next);
      },
      (dead) => {
        this.sandboxes.delete(dead);
        const next = this.waiting.shift();
        if (next) this.invoke(next);
      },
      this.clockOffsetMs,
      this.onUsage,
    );
    this.sandboxes.add(sandbox);
    return sandbox;
  }

  async stop(): Promise<void> {
    for (const invocation of this.waiting.splice(0)) {
      invocation.reject(
        new LambdaFunctionError('Runtime.Shutdown', 'runtime stopped', this.fn.functionName),
      );
    }
    await Promise.all([...this.sandboxes].map((sandbox) => sandbox.stop()));
    this.sandboxes.clear();
  }
}

/**
 * Runs the bundled functions the way Lambda does: each invocation in a sandbox of its own
 * function (a worker thread with that function's environment, so settings such as TABLE_NAME or
 * the idempotency prefix never leak between functions), one invocation per sandbox at a time,
 * new sandboxes (cold starts) when all are busy, and a timed-out sandbox discarded.
 */
export class LambdaRuntime {
  private readonly byName = new Map<string, LocalFunction>();
  private readonly pools = new Map<string, FunctionPool>();

  constructor(private readonly options: LambdaRuntimeOptions) {
    for (const fn of options.functions) {
      this.byName.set(fn.functionName, fn);
      this.byName.set(fn.arn, fn);
    }
  }

  /** Accepts a function name, an ARN, or an ARN with a version/alias qualifier. */
  private find(nameOrArn: string): LocalFunction {
    const direct = this.byName.get(nameOrArn);
    if (direct) return direct;
    const match = /^arn:[^:]+:lambda:[^:]+:[^:]+:function:([^:]+)/.exec(nameOrArn);
    const fn = match?.[1] ? this.byName.get(match[1]) : undefined;
    if (!fn) throw new FunctionNotFoundError(nameOrArn);
    return fn;
  }

  private pool(fn: LocalFunction): FunctionPool {
    let pool = this.pools.get(fn.functionName);
    if (!pool) {
      const environment = {
        ...this.options.baseEnvironment,
        ...fn.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        SHANYU_FUNCTION_ARN: fn.arn,
      };
      pool = new FunctionPool(
        fn,
        environment,
        this.options.maxConcurrency ?? 10,
        this.options.clockOffsetMs,
        capacityTraceEnabled(environment) ? this.reporterFor(fn) : undefined,
      );
      this.pools.set(fn.functionName, pool);
    }
    return pool;
  }

  /** Writes a traced function's REPORT line per invocation, as Lambda logs one. */
  private reporterFor(fn: LocalFunction): UsageListener {
    const report = this.options.report ?? ((line: string) => console.log(line));
    return (requestId, outcome, usage) =>
      report(
        formatInvocationReport({
          requestId,
          functionName: fn.functionName,
          memorySizeMb: fn.memorySize,
          durationMs: Math.round(usage.durationMs * 1000) / 1000,
          billedDurationMs: billedDurationOf(usage.durationMs),
          ...(usage.initDurationMs === undefined
            ? {}
            : { initDurationMs: Math.round(usage.initDurationMs * 1000) / 1000 }),
          outcome,
          ...(usage.consumedCapacity ? { consumedCapacity: usage.consumedCapacity } : {}),
        }),
      );
  }

  /** Invokes a function with an event; resolves to its JSON result, rejects with its error type. */
  invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const fn = this.find(nameOrArn);
      this.pool(fn).invoke({ id: randomUUID(), event, resolve, reject });
    });
  }

  /**
   * Starts one sandbox per function, one after another in the background, so that first requests
   * rarely pay for module loading — without loading every bundle at once, which on two cores
   * starves whatever runs meanwhile.
   */
  warmUp(): Promise<void> {
    const functions = [...new Set(this.byName.values())];
    return functions.reduce(
      (previous, fn) => previous.then(() => this.pool(fn).warm()).catch(() => undefined),
      Promise.resolve(),
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
    this.pools.clear();
  }
}
