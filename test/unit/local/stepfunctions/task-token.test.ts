import { describe, expect, it } from 'vitest';
import {
  deriveTaskToken,
  executionId,
  journalKeyDigest,
  parseTaskToken,
} from '../../../../infra/local/stepfunctions/task-token.ts';

const SECRET = Buffer.alloc(32, 7);
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:Approval:case-1';
const KEY = 'AwaitApproval#abc#0';

describe('task tokens', () => {
  it('are the same for the same execution and journal key, and long enough to be unguessable', () => {
    // Prepare
    // Act
    const first = deriveTaskToken(SECRET, EXECUTION, KEY);
    const again = deriveTaskToken(SECRET, EXECUTION, KEY);

    // Assess
    expect(again).toBe(first);
    expect(first.length).toBeGreaterThanOrEqual(64);
    expect(first).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('differ by execution, journal key and secret', () => {
    // Prepare
    const base = deriveTaskToken(SECRET, EXECUTION, KEY);

    // Act
    const variants = [
      deriveTaskToken(SECRET, `${EXECUTION}-2`, KEY),
      deriveTaskToken(SECRET, EXECUTION, 'AwaitApproval#abc#1'),
      deriveTaskToken(Buffer.alloc(32, 8), EXECUTION, KEY),
    ];

    // Assess
    for (const variant of variants) expect(variant).not.toBe(base);
  });

  it('parse back to the execution id and key digest they were made from', () => {
    // Prepare
    const token = deriveTaskToken(SECRET, EXECUTION, KEY);

    // Act
    const parsed = parseTaskToken(SECRET, token);

    // Assess
    expect(parsed).toEqual({
      executionId: executionId(EXECUTION),
      keyDigest: journalKeyDigest(KEY),
    });
  });

  it('do not parse when malformed, tampered with or signed with another secret', () => {
    // Prepare
    const token = deriveTaskToken(SECRET, EXECUTION, KEY);
    const swap = (char: string | undefined) => (char === 'A' ? 'B' : 'A');
    const inMac = `${token.slice(0, 60)}${swap(token[60])}${token.slice(61)}`;
    const inPadding = `${token.slice(0, -1)}${String.fromCharCode(Number(token.at(-1)?.charCodeAt(0)) ^ 1)}`;

    // Act
    const results = [
      parseTaskToken(SECRET, 'not a token'),
      parseTaskToken(SECRET, token.slice(0, 40)),
      parseTaskToken(SECRET, inMac),
      parseTaskToken(SECRET, inPadding),
      parseTaskToken(Buffer.alloc(32, 8), token),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});
