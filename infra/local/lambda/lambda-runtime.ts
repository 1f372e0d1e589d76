import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LocalFunction } from '../cloud-assembly.ts';

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

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  /** Variables every function gets on top of its own: endpoints, region, credentials. */
  readonly baseEnvironment: Record<string, string>;
}

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
 * Runs the bundled functions the way Lambda does, each in its own worker thread with its own
 * environment (so that per-function settings such as TABLE_NAME or the idempotency prefix never
 * leak between functions). Workers start on first use and stay warm.
 */
export class LambdaRuntime {
  private readonly byName = new Map<string, LocalFunction>();
  private readonly workers = new Map<string, Worker>();
  private readonly pending = new Map<string, Pending>();

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

  private worker(fn: LocalFunction): Worker {
    const existing = this.workers.get(fn.functionName);
    if (existing) return existing;
    const { modulePath, exportName } = modulePathOf(fn);
    const worker = new Worker(new URL('./lambda-worker.mjs', import.meta.url), {
      workerData: {
        modulePath,
        exportName,
        functionName: fn.functionName,
        memorySize: fn.memorySize,
        timeoutSeconds: fn.timeoutSeconds,
      },
      env: {
        ...this.options.baseEnvironment,
        ...fn.environment,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        SHANYU_FUNCTION_ARN: fn.arn,
      },
    });
    worker.on(
      'message',
      (message: { id: string; result?: unknown; error?: { name: string; message: string } }) => {
        const entry = this.pending.get(message.id);
        if (!entry) return;
        this.pending.delete(message.id);
        clearTimeout(entry.timer);
        if (message.error) {
          entry.reject(
            new LambdaFunctionError(message.error.name, message.error.message, fn.functionName),
          );
        } else {
          entry.resolve(message.result);
        }
      },
    );
    worker.on('error', (error) => {
      // A crashed sandbox is replaced on the next call, as Lambda does.
      this.workers.delete(fn.functionName);
      for (const [id, entry] of this.pending) {
        if (!id.startsWith(`${fn.functionName}/`)) continue;
        this.pending.delete(id);
        clearTimeout(entry.timer);
        entry.reject(new LambdaFunctionError('Runtime.ExitError', error.message, fn.functionName));
      }
    });
    worker.unref();
    this.workers.set(fn.functionName, worker);
    return worker;
  }

  /** Invokes a function with an event; resolves to its JSON result, rejects with its error type. */
  invoke(nameOrArn: string, event: unknown): Promise<unknown> {
    let fn: LocalFunction;
    try {
      fn = this.find(nameOrArn);
    } catch (error) {
      return Promise.reject(error);
    }
    const worker = this.worker(fn);
    const id = `${fn.functionName}/${randomUUID()}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new LambdaFunctionError(
            'Sandbox.Timedout',
            `Task timed out after ${fn.timeoutSeconds} seconds`,
            fn.functionName,
          ),
        );
      }, fn.timeoutSeconds * 1000);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, event });
    });
  }

  /** Starts every function's sandbox now, so the first requests do not pay for module loading. */
  warmUp(): void {
    for (const fn of new Set(this.byName.values())) this.worker(fn);
  }

  async stop(): Promise<void> {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
    await Promise.all([...this.workers.values()].map((worker) => worker.terminate()));
    this.workers.clear();
  }
}
