import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export { logger } from '../logging/logger.ts';

/** Business metrics (cases submitted, decided …); namespace and service come from the environment. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Shanyu',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'shanyu',
});

/** X-Ray tracing of handlers and AWS SDK calls; a no-op outside Lambda. */
export const tracer = new Tracer();
