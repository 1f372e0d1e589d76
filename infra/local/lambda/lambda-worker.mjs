// One deployed function's sandbox: a worker thread with the function's own environment and module
// cache, like a Lambda execution environment. Plain JavaScript: it imports the bundled asset, not
// our TypeScript sources. The runtime sends it one invocation at a time.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { modulePath, exportName, functionName, memorySize, timeoutSeconds } = workerData;

const initStarted = performance.now();
let initDurationMs;
const modulePromise = import(pathToFileURL(modulePath).href);
// Tell the runtime when the init phase is over (or failed), so warm-up can pace itself.
modulePromise.then(
  () => {
    initDurationMs = performance.now() - initStarted;
    parentPort.postMessage({ ready: true });
  },
  () => parentPort.postMessage({ ready: false }),
);

// Where a function bundle traced with SHANYU_CAPACITY_TRACE=1 keeps its DynamoDB capacity totals
// (shared/db/consumed-capacity.ts): the same registered symbol, read and reset per invocation.
const capacityLedgerKey = Symbol.for('shanyu.consumedCapacity');
let reportedInit = false;

/** What the invocation used, for the runtime's REPORT line: Lambda's figures and DynamoDB's. */
function usageSince(started) {
  const ledger = globalThis[capacityLedgerKey];
  const usage = { durationMs: performance.now() - started };
  if (!reportedInit && initDurationMs !== undefined) usage.initDurationMs = initDurationMs;
  reportedInit = true;
  if (ledger && typeof ledger.take === 'function') usage.consumedCapacity = ledger.take();
  return usage;
}

function contextFor(requestId, deadline) {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: process.env.SHANYU_FUNCTION_ARN,
    memoryLimitInMB: String(memorySize),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function serialiseError(error) {
  if (error instanceof Error) {
    return { name: error.name, message: error.message };
  }
  return { name: 'Error', message: String(error) };
}

parentPort.on('message', async ({ id, event, clockOffsetMs }) => {
  // The local clock as the runtime has it now: shared/clock reads this on every call, so a clock
  // moved since this sandbox started reaches the handler. The timeout below stays on real time.
  if (typeof clockOffsetMs === 'number') process.env.SHANYU_CLOCK_OFFSET_MS = String(clockOffsetMs);
  const deadline = Date.now() + timeoutSeconds * 1000;
  // Lambda's duration starts with the handler: a cold start's module loading is its Init Duration.
  let started = performance.now();
  try {
    const module = await modulePromise;
    started = performance.now();
    const handler = module[exportName];
    if (typeof handler !== 'function') {
      throw Object.assign(new Error(`${modulePath} exports no function ${exportName}`), {
        name: 'Runtime.HandlerNotFound',
      });
    }
    const result = await handler(event, contextFor(id, deadline));
    // Lambda returns JSON: what cannot be serialised is lost, as in AWS.
    parentPort.postMessage({
      id,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
      usage: usageSince(started),
    });
  } catch (error) {
    parentPort.postMessage({ id, error: serialiseError(error), usage: usageSince(started) });
  }
});
