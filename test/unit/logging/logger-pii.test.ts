import type { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../shared/logging/logger.ts';
import { logger as observabilityLogger } from '../../../shared/observability/index.ts';
import { isValidIdNumber } from '../../../shared/validation/id-number.ts';
import { occurrencesOf, validIdNumbersIn } from '../../support/id-number-scan.ts';

/*
 * Issue 8: "a test fails if a handler logs an unmasked 身份证 number". Handlers log through
 * shared/logging's logger, so every way a number can reach it — message, attributes, errors,
 * keys, at every level — is tried here, and the bytes Powertools writes are searched with a
 * judge stricter than the redaction itself (test/support/id-number-scan.ts).
 */

const ID_NUMBERS = {
  'a number ending in a digit': '330502199001011236',
  'a number ending in X': '11010519491231002X',
} as const;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'critical'] as const;
type Level = (typeof LEVELS)[number];

class ApplicantLookupError extends Error {
  readonly subject: string;
  constructor(subject: string) {
    super('applicant not found');
    this.name = 'ApplicantLookupError';
    this.subject = subject;
  }
}

class Applicant {
  constructor(
    readonly name: string,
    readonly holder: string,
  ) {}
}

/** One way a number can reach a log line, written as a handler might write it. */
const PLACEMENTS: readonly {
  label: string;
  log: (logger: Logger, level: Level, id: string) => void;
}[] = [
  { label: 'the message', log: (l, level, id) => l[level](id) },
  {
    label: 'the message, in a sentence',
    log: (l, level, id) => l[level](`身份证号：${id}，已核验。`),
  },
  { label: 'the message, glued to letters', log: (l, level, id) => l[level](`CHILD#${id}#v2`) },
  { label: 'the message, lowercase x', log: (l, level, id) => l[level](`id ${id.toLowerCase()}`) },
  {
    label: 'the message, grouped 6-8-4',
    log: (l, level, id) => l[level](`${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14)}`),
  },
  {
    label: 'the message, as JSON of a form',
    log: (l, level, id) => l[level](JSON.stringify({ child: { name: '沈小禾', idNumber: id } })),
  },
  {
    label: 'the message, in a URL',
    log: (l, level, id) => l[level](`GET /dev/registry/residents?idNumber=${id}&full=1`),
  },
  {
    label: 'the message, on its second line',
    log: (l, level, id) => l[level](`lookup failed\n  for ${id}\n  retrying`),
  },
  { label: 'an extra string', log: (l, level, id) => l[level]('lookup', `for ${id}`) },
  {
    label: 'the message object form',
    log: (l, level, id) => l[level]({ message: `for ${id}`, subject: id }),
  },
  { label: 'an attribute not named like an ID', log: (l, level, id) => l[level]('x', { ref: id }) },
  {
    label: 'a nested form',
    log: (l, level, id) =>
      l[level]('claim', {
        claim: { child: { name: '沈小禾', idNumber: id }, guardian: { holder: `本人 ${id}` } },
      }),
  },
  {
    label: 'arrays',
    log: (l, level, id) => l[level]('batch', { ids: [id], rows: [[{ who: id }]], n: [1, [id]] }),
  },
  {
    label: 'an object key',
    log: (l, level, id) => l[level]('statuses', { byPerson: { [id]: 'ok' } }),
  },
  {
    label: 'a class instance',
    log: (l, level, id) => l[level]('applicant', { applicant: new Applicant('沈明', id) }),
  },
  {
    label: 'a toJSON value',
    log: (l, level, id) => l[level]('applicant', { applicant: { toJSON: () => `id ${id}` } }),
  },
  {
    label: 'an Error whose message is the number',
    log: (l, level, id) => l[level]('x', new Error(id)),
  },
  {
    label: 'an Error with a cause',
    log: (l, level, id) =>
      l[level]('x', new Error('registry lookup failed', { cause: new Error(`no resident ${id}`) })),
  },
  {
    label: 'an Error with an own field',
    log: (l, level, id) => l[level]('x', new ApplicantLookupError(id)),
  },
  {
    label: 'an Error inside an attribute',
    log: (l, level, id) => l[level]('x', { failure: new TypeError(`bad ${id}`) }),
  },
  {
    label: 'an AggregateError',
    log: (l, level, id) => l[level]('x', new AggregateError([new Error(id)], `several: ${id}`)),
  },
  {
    label: 'an error-shaped object',
    log: (l, level, id) => l[level]('x', { error: { name: 'Rejected', message: id } }),
  },
  {
    label: 'an appended key',
    log: (l, level, id) => {
      l.appendKeys({ subject: id });
      l[level]('step');
    },
  },
  {
    label: 'a persistent key',
    log: (l, level, id) => {
      l.appendPersistentKeys({ applicant: { idNumber: id } });
      l[level]('step');
    },
  },
  {
    label: 'the correlation id',
    log: (l, level, id) => {
      l.setCorrelationId(id);
      l[level]('step');
    },
  },
  {
    label: 'a child logger’s keys',
    log: (l, level, id) => l.createChild({ persistentKeys: { subject: id } })[level]('step'),
  },
];

/** Powertools writes through its own Console on process.stdout/stderr (outside POWERTOOLS_DEV). */
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

/** Every way `id` could be seen in what was written: whole, or grouped with spaces or dashes. */
function leaksOf(id: string) {
  const output = written.join('');
  return [
    ...validIdNumbersIn(output),
    ...occurrencesOf([id], output.replace(/[ -]/g, '')).map((finding) => ({
      ...finding,
      context: `(separators removed) ${finding.context}`,
    })),
  ];
}

describe('the logger never writes a 身份证 number', () => {
  it('uses valid numbers, so that the judge would see them', () => {
    // Prepare / Act
    const valid = Object.values(ID_NUMBERS).map(isValidIdNumber);

    // Assess
    expect(valid).toEqual([true, true]);
  });

  describe.each(Object.entries(ID_NUMBERS))('%s', (_, id) => {
    describe.each(PLACEMENTS)('in $label', ({ log }) => {
      it.each(LEVELS)('at %s', (level) => {
        // Prepare
        const logger = createLogger({ logLevel: 'TRACE' });

        // Act
        log(logger, level, id);

        // Assess: something was logged, and no number in it
        expect(written.join('')).not.toBe('');
        expect(leaksOf(id)).toEqual([]);
      });
    });

    it('in an invocation event logged by logEvent', () => {
      // Prepare
      const logger = createLogger();
      const event = {
        routeKey: 'POST /v1/subsidy-claims',
        queryStringParameters: { idNumber: id },
        body: JSON.stringify({ child: { name: '沈小禾', idNumber: id } }),
        isBase64Encoded: false,
      };

      // Act
      logger.logEventIfEnabled(event, true);

      // Assess
      expect(written.join('')).toContain('Lambda invocation event');
      expect(leaksOf(id)).toEqual([]);
    });

    it.each(LEVELS)('through shared/observability’s logger at %s', (level) => {
      // Prepare
      observabilityLogger.setLogLevel('TRACE');

      // Act
      observabilityLogger[level](`for ${id}`, { claim: { child: { idNumber: id } } });

      // Assess
      expect(written.join('')).not.toBe('');
      expect(leaksOf(id)).toEqual([]);
    });
  });

  it('as a BigInt, which Powertools prints as digits', () => {
    // Prepare
    const logger = createLogger();
    const id = ID_NUMBERS['a number ending in a digit'];

    // Act
    logger.info('imported row', { ref: BigInt(id) });

    // Assess
    expect(written.join('')).toContain('imported row');
    expect(leaksOf(id)).toEqual([]);
  });
});
