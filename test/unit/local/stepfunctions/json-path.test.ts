import { describe, expect, it } from 'vitest';
import { readReferencePath } from '../../../../infra/local/stepfunctions/json-path.ts';

describe('readReferencePath', () => {
  const document = { limits: { timeout: 30, list: [5, 7] }, 'odd key': 3 };

  it.each([
    ['$', document],
    ['$.limits.timeout', 30],
    ['$.limits.list[1]', 7],
    ["$['odd key']", 3],
    ['$.limits.missing', undefined],
    ['$$.Execution.Id', undefined],
    ['$.limits..timeout', undefined],
  ])('reads %s', (path, expected) => {
    // Prepare
    // Act
    const value = readReferencePath(path, document);

    // Assess
    expect(value).toEqual(expected);
  });
});
