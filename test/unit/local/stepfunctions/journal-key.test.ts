import { describe, expect, it } from 'vitest';
import {
  JournalKeyAllocator,
  parametersHash,
} from '../../../../infra/local/stepfunctions/journal-key.ts';
import { canonicalJson, sha256Hex } from '../../../../infra/local/stepfunctions/json.ts';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and drops undefined like JSON', () => {
    // Prepare
    const value = { b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } };

    // Act
    const text = canonicalJson(value);

    // Assess
    expect(text).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

describe('JournalKeyAllocator', () => {
  it('names an entry by state, hash of its canonical parameters and occurrence', () => {
    // Prepare
    const keys = new JournalKeyAllocator();

    // Act
    const key = keys.next('LoadCase', { Payload: { caseId: 'c-1' }, FunctionName: 'f' });

    // Assess
    expect(key).toBe(`LoadCase#${sha256Hex('{"FunctionName":"f","Payload":{"caseId":"c-1"}}')}#0`);
  });

  it('counts re-entries with the same parameters, whatever their key order', () => {
    // Prepare
    const keys = new JournalKeyAllocator();
    const hash = parametersHash({ a: 1, b: 2 });

    // Act
    const first = keys.next('Loop', { a: 1, b: 2 });
    const second = keys.next('Loop', { b: 2, a: 1 });
    const other = keys.next('Loop', { a: 2 });
    const otherState = keys.next('Elsewhere', { a: 1, b: 2 });

    // Assess
    expect([first, second]).toEqual([`Loop#${hash}#0`, `Loop#${hash}#1`]);
    expect(other).toMatch(/#0$/);
    expect(otherState).toBe(`Elsewhere#${hash}#0`);
  });

  it('allocates the same keys again when a run is replayed from the start', () => {
    // Prepare
    const entries: [string, unknown][] = [
      ['A', { x: 1 }],
      ['B', { y: 1 }],
      ['A', { x: 1 }],
    ];

    // Act
    const run = () => {
      const keys = new JournalKeyAllocator();
      return entries.map(([state, parameters]) => keys.next(state, parameters));
    };

    // Assess
    expect(run()).toEqual(run());
    expect(new Set(run()).size).toBe(3);
  });
});
