import { LogFormatter, Logger, LogItem } from '@aws-lambda-powertools/logger';
import type {
  LogAttributes,
  LogLevel,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import { redactPii } from './redact.ts';

const DEFAULT_SERVICE_NAME = 'shanyu';

/**
 * Powertools' standard JSON layout, with {@link redactPii} run over the message, every extra
 * and persistent attribute, and every error, so that no log line can carry a 身份证 or phone
 * number whatever a caller hands the logger. (Powertools keeps its own default formatter private,
 * so the layout is repeated here, key for key.)
 */
export class PiiRedactingLogFormatter extends LogFormatter {
  override formatAttributes(
    attributes: UnformattedAttributes,
    additionalLogAttributes: LogAttributes,
  ): LogItem {
    const base = {
      level: attributes.logLevel,
      message: redactPii(attributes.message),
      timestamp: this.formatTimestamp(attributes.timestamp),
      service: attributes.serviceName,
      cold_start: attributes.lambdaContext?.coldStart,
      function_arn: attributes.lambdaContext?.invokedFunctionArn,
      function_memory_size: attributes.lambdaContext?.memoryLimitInMB,
      function_name: attributes.lambdaContext?.functionName,
      function_request_id: attributes.lambdaContext?.awsRequestId,
      sampling_rate: attributes.sampleRateValue,
      xray_trace_id: attributes.xRayTraceId,
      tenant_id: attributes.lambdaContext?.tenantId,
    };
    // Temporary and persistent keys both arrive here, merged, straight from the Logger's store.
    const extra = redactPii(additionalLogAttributes) as LogAttributes;
    return new LogItem({ attributes: base }).addAttributes(extra);
  }

  /** Errors are formatted while the line is serialised, so this is a second, independent net. */
  override formatError(error: Error): LogAttributes {
    return redactPii(super.formatError(error)) as LogAttributes;
  }
}

export interface CreateLoggerOptions {
  /** Defaults to POWERTOOLS_SERVICE_NAME, then `shanyu`. */
  readonly serviceName?: string;
  /** A Powertools level name (`DEBUG`, `info`, …); anything else falls back to POWERTOOLS_LOG_LEVEL, then INFO. */
  readonly logLevel?: string;
  readonly persistentKeys?: Record<string, unknown>;
}

/** A Powertools Logger whose every line goes through {@link PiiRedactingLogFormatter}. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return new Logger({
    serviceName:
      options.serviceName ?? (process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME),
    // Powertools validates the name itself and ignores one it does not know.
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel as LogLevel }),
    ...(options.persistentKeys === undefined ? {} : { persistentKeys: options.persistentKeys }),
    logFormatter: new PiiRedactingLogFormatter(),
  });
}

/** The logger handlers share; call `logger.addContext(context)` or use the middy middleware. */
export const logger: Logger = createLogger();
