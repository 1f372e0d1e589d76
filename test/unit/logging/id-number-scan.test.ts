import { describe, expect, it } from 'vitest';
import { occurrencesOf, validIdNumbersIn } from '../../support/id-number-scan.ts';

const ID = '330502199001011236';
const ID_X = '11010519491231002X';

describe('validIdNumbersIn', () => {
  it('finds valid numbers anywhere, glued to digits or with a lowercase x, and reports them masked', () => {
    // Prepare
    const text = [
      'nothing here 1700000000000',
      `{"note":"child ${ID}"}`,
      `ref 2025${ID_X.toLowerCase()}7`,
    ].join('\n');

    // Act
    const findings = validIdNumbersIn(text);

    // Assess
    expect(findings).toEqual([
      { line: 2, context: '{"note":"child [330***********1236]"}' },
      { line: 3, context: 'ref 2025[110***********002X]7' },
    ]);
  });

  it('ignores 18 characters that fail the check character, the birth date or the province', () => {
    // Prepare
    const text = ['330502199001011235', '330502199013011236', '990502199001011236'].join(' ');

    // Act
    const findings = validIdNumbersIn(text);

    // Assess
    expect(findings).toEqual([]);
  });
});

describe('occurrencesOf', () => {
  it('finds each given number, whatever the case of its x, and masks what is near it', () => {
    // Prepare
    const text = `a ${ID_X.toLowerCase()} b\n${ID} and ${ID}`;

    // Act
    const findings = occurrencesOf([ID_X, ID], text);

    // Assess
    expect(findings).toEqual([
      { line: 1, context: 'a [110***********002X] b' },
      { line: 2, context: '[330***********1236] and 330***********1236' },
      { line: 2, context: '330***********1236 and [330***********1236]' },
    ]);
  });
});
