import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, logger as sharedLogger } from '../../../shared/logging/logger.ts';

const ID = '11010519491231002X';
const ID_MASKED = '110***********002X';
const MOBILE = '13812345678';
const MOBILE_MASKED = '138****5678';

/**
 * Outside POWERTOOLS_DEV, Powertools prints through its own `Console` bound to process.stdout and
 * process.stderr, so spying on the two streams sees exactly the bytes a log line would contain.
 */
let written: string[] = [];

beforeEach(() => {
  written = [];
  const capture = (chunk: unknown): boolean => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function output(): string {
  return written.join('');
}

function firstLine(): Record<string, unknown> {
  const [line] = lines();
  if (line === undefined) throw new Error('Nothing was logged');
  return line;
}

function lines(): Record<string, unknown>[] {
  return output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('returns a Powertools Logger with the service name and level asked for', () => {
    // Prepare / Act
    const logger = createLogger({ serviceName: 'subsidy-claims', logLevel: 'WARN' });
    logger.info('dropped');
    logger.warn('kept');

    // Assess
    expect(logger).toBeInstanceOf(Logger);
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'WARN', message: 'kept', service: 'subsidy-claims' }),
    ]);
  });

  it('masks ID and phone numbers in the message', () => {
    // Prepare
    const logger = createLogger();

    // Act
    logger.info(`claim filed for ${ID} by ${MOBILE}`);

    // Assess
    expect(output()).not.toContain(ID);
    expect(output()).not.toContain(MOBILE);
    expect(firstLine().message).toBe(`claim filed for ${ID_MASKED} by ${MOBILE_MASKED}`);
  });

  it('masks ID and phone numbers in logged objects and nested arrays', () => {
    // Prepare
    const logger = createLogger();
    const claim = {
      applicant: { idNumber: ID, phone: MOBILE },
      children: [{ note: `身份证 ${ID.toLowerCase()}` }, [[`call ${MOBILE}`]]],
    };

    // Act
    logger.info('claim received', { claim });

    // Assess
    expect(output()).not.toMatch(new RegExp(`${ID}|${ID.toLowerCase()}|${MOBILE}`));
    expect(firstLine().claim).toEqual({
      applicant: { idNumber: ID_MASKED, phone: MOBILE_MASKED },
      children: [{ note: `身份证 ${ID_MASKED}` }, [[`call ${MOBILE_MASKED}`]]],
    });
    // What the caller passed is left as it was.
    expect(claim.applicant.idNumber).toBe(ID);
  });

  it('masks an Error’s message, stack and cause', () => {
    // Prepare
    const logger = createLogger();
    const error = new Error(`no record for ${ID}`, { cause: new Error(`SMS to ${MOBILE} failed`) });

    // Act
    logger.error('lookup failed', error);

    // Assess
    expect(output()).not.toContain(ID);
    expect(output()).not.toContain(MOBILE);
    const logged = firstLine().error as Record<string, unknown>;
    expect(logged.message).toBe(`no record for ${ID_MASKED}`);
    expect(logged.stack).toContain(ID_MASKED);
    expect((logged.cause as Record<string, unknown>).message).toBe(
      `SMS to ${MOBILE_MASKED} failed`,
    );
  });

  it('masks an Error logged inside an object', () => {
    // Prepare
    const logger = createLogger();

    // Act
    logger.warn({ message: 'retrying', failure: new Error(`rejected ${ID}`) });

    // Assess
    expect(output()).not.toContain(ID);
    expect((firstLine().failure as Record<string, unknown>).message).toBe(`rejected ${ID_MASKED}`);
  });

  it('masks persistent and appended keys', () => {
    // Prepare
    const logger = createLogger({ persistentKeys: { operatorMobile: MOBILE } });
    logger.appendKeys({ applicant: `${ID}` });
    logger.appendPersistentKeys({ guardianPhone: 13912345678 });

    // Act
    logger.info('step');

    // Assess
    expect(output()).not.toMatch(/13812345678|13912345678|11010519491231002X/);
    expect(firstLine()).toMatchObject({
      operatorMobile: MOBILE_MASKED,
      applicant: ID_MASKED,
      guardianPhone: '139****5678',
    });
  });

  it('masks a phone number given as a number under a phone field, and as an extra string', () => {
    // Prepare
    const logger = createLogger();

    // Act
    logger.info('contact', { mobile: 13812345678 });
    logger.info('contact', `extra ${MOBILE}`);

    // Assess
    expect(output()).not.toContain(MOBILE);
    expect(lines()).toEqual([
      expect.objectContaining({ mobile: MOBILE_MASKED }),
      expect.objectContaining({ extra: `extra ${MOBILE_MASKED}` }),
    ]);
  });

  it('leaves amounts, timestamps and dates alone', () => {
    // Prepare
    const logger = createLogger();
    const figures = {
      amountFen: 12_345_678_901,
      amountYuan: 1380.5,
      at: 1_700_000_000_000,
      birthDate: 20240131,
      period: '20240131',
      note: 'paid ¥138,000 on 2024-01-31 at 1700000000',
    };

    // Act
    logger.info('payment', figures);

    // Assess
    expect(firstLine()).toMatchObject(figures);
  });

  it('keeps masking in child loggers', () => {
    // Prepare
    const child = createLogger().createChild({ persistentKeys: { phone: MOBILE } });

    // Act
    child.info(`for ${ID}`);

    // Assess
    expect(output()).not.toMatch(/13812345678|11010519491231002X/);
    expect(firstLine()).toMatchObject({ message: `for ${ID_MASKED}`, phone: MOBILE_MASKED });
  });
});

describe('logger', () => {
  it('is a shared Logger that masks too', () => {
    // Prepare
    const payload = { idNumber: ID };

    // Act
    sharedLogger.info('shared', payload);

    // Assess
    expect(sharedLogger).toBeInstanceOf(Logger);
    expect(output()).not.toContain(ID);
    expect(firstLine()).toMatchObject({ message: 'shared', idNumber: ID_MASKED });
  });
});
