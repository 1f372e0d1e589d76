import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { DeadlineScheduler } from './deadline-scheduler.ts';
import { prepareDefinition } from './definition-rewrite.ts';
import type { CompiledStateMachine, RunEnvironment } from './execution-runner.ts';
import { ExecutionStore } from './execution-store.ts';
import { createProtocolServer } from './http-server.ts';
import { loadTimeoutErrorFactory } from './runtime-errors.ts';
import { StepFunctionsService } from './service.ts';

export { UnsupportedDefinitionError } from './definition-rewrite.ts';

export interface LocalStateMachine {
  /** Unqualified. */
  arn: string;
  name: string;
  /** Plain ASL (JSONPath), tokens resolved. */
  definition: object;
  /**
   * Aliases StartExecution accepts (`${arn}:${alias}`), each pointing at the one version there
   * is locally, `${arn}:1`. Default: `live`, the alias every Shanyu workflow is started through.
   */
  aliases?: readonly string[];
}

/** The alias a state machine has when its {@link LocalStateMachine} names none. */
export const defaultAliases: readonly string[] = ['live'];

export interface LocalStepFunctionsOptions {
  stateMachines: LocalStateMachine[];
  /**
   * Invokes a Lambda by function ARN/name with a payload; resolves to its result (JSON value),
   * rejects with an Error whose `name` is the Lambda error type (e.g. 'CaseNotFoundError').
   */
  invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Absolute; executions are persisted under `${dataDir}/stepfunctions/`. */
  dataDir: string;
  /** Default 'us-east-1'; the account id is always '000000000000'. */
  region?: string;
  /** One line per execution start/end/resume, e.g. "[sfn] SubsidyClaim/<name> started". */
  log?: (line: string) => void;
  /**
   * The clock for timestamps and deadlines (default: the system clock). When it is moved by
   * hand, call `fireDueTimeouts` so that deadlines it jumped over fire.
   */
  now?: () => Date;
}

export interface LocalStepFunctions {
  /** Port 0 picks a free port. */
  listen(port: number, host?: string): Promise<{ url: string }>;
  /** Stops the server and timers; running executions stay persisted as RUNNING. */
  close(): Promise<void>;
  /** Settles when executions left RUNNING by a previous process were resumed. */
  resumed: Promise<void>;
  /**
   * Fires every task timeout, heartbeat timeout, Wait and execution timeout due at `now`;
   * returns how many fired. For a clock moved forward by hand.
   */
  fireDueTimeouts(now: Date): number;
}

function compile(machine: LocalStateMachine, createdAt: number): CompiledStateMachine {
  const prepared = prepareDefinition(machine.definition);
  // Definitions come from CDK (already validated) and carry fields the validator predates.
  const library = new StateMachine(prepared.definition as unknown as StateMachineDefinition, {
    validationOptions: { noValidate: true },
  });
  return {
    arn: machine.arn,
    name: machine.name,
    definition: machine.definition,
    prepared,
    library,
    createdAt,
    aliases: machine.aliases ?? defaultAliases,
  };
}

function urlOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' || address.address === '::'
      ? '127.0.0.1'
      : address.family === 'IPv6'
        ? `[${address.address}]`
        : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * A local Step Functions service: runs the given ASL with `aws-local-stepfunctions`, answers
 * the Step Functions JSON protocol, and keeps executions and waiting task tokens on disk so
 * that a restarted process (even after SIGKILL) resumes them where they were.
 */
export async function createLocalStepFunctions(
  options: LocalStepFunctionsOptions,
): Promise<LocalStepFunctions> {
  if (!isAbsolute(options.dataDir)) throw new Error(`dataDir must be absolute: ${options.dataDir}`);
  const log = options.log ?? (() => {});
  const clock = options.now;
  const now = clock ? () => clock().getTime() : Date.now;
  const machines = options.stateMachines.map((machine) => compile(machine, now()));
  const store = await ExecutionStore.open(options.dataDir, log);
  const scheduler = new DeadlineScheduler(now);
  const env: RunEnvironment = {
    store,
    scheduler,
    invokeLambda: options.invokeLambda,
    now,
    region: options.region ?? 'us-east-1',
    log,
    timeoutError: await loadTimeoutErrorFactory(),
  };
  const service = new StepFunctionsService(env, machines);
  const resumed = service.resume(await store.loadAll());
  let server: Server | undefined;

  return {
    resumed,
    listen(port, host = '127.0.0.1') {
      if (server) return Promise.reject(new Error('The local Step Functions is already listening'));
      const created = createProtocolServer((action, input) => service.handle(action, input), log);
      server = created;
      return new Promise((resolve, reject) => {
        created.once('error', reject);
        created.listen(port, host, () => {
          created.off('error', reject);
          resolve({ url: urlOf(created.address() as AddressInfo) });
        });
      });
    },
    async close() {
      const closing = server;
      server = undefined;
      if (closing) {
        const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
        // SDK clients keep connections alive; without this, close waits for them to idle out.
        closing.closeAllConnections();
        await closed;
      }
      await service.detachAll();
      scheduler.close();
      await store.close();
    },
    fireDueTimeouts(at) {
      return scheduler.fireDue(at.getTime());
    },
  };
}
