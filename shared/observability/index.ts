import { Metrics } from '@aws-lambda-powertools/metrics';

export { logger } from '../logging/logger.ts';

// No Powertools Tracer: it loads the X-Ray SDK (in maintenance mode since February 2026), which
// took about a fifth of every function's cold start (the benchmark of 2026-11-29). Lambda's
// active tracing still records each invocation in X-Ray, and every log line carries its trace id.

/** Business metrics (cases submitted, decided …); namespace and service come from the environment. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Shanyu',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shanyu',
});
