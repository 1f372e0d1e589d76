import { isValidIdNumber, maskIdNumber } from '../../shared/validation/id-number.ts';

/*
 * The PII tests' one judge of "a 身份证 number got out": any 18 characters anywhere in a text that
 * form a valid number (province, birth date, check character). Deliberately stricter than the
 * logger's own redaction, which only looks at digit runs of exactly 18, so that a number glued to
 * other digits or written with a lowercase x still counts. Findings are reported masked, so that
 * a failing test does not itself print the number it caught.
 */

export interface IdNumberFinding {
  /** 1-based line of the text the number is on. */
  readonly line: number;
  /** The number masked, in brackets, with up to 40 characters either side of it. */
  readonly context: string;
}

const ID_LENGTH = 18;
const CANDIDATE = /^\d{17}[\dXx]$/;
const CONTEXT_CHARS = 40;
/** Any other number-shaped run near a finding is masked too. */
const NEARBY_NUMBER = /\d{17}[\dXx]/g;

function findingAt(line: string, lineNumber: number, start: number): IdNumberFinding {
  const masked = (text: string) => text.replace(NEARBY_NUMBER, (found) => maskIdNumber(found));
  const before = masked(line.slice(Math.max(0, start - CONTEXT_CHARS), start));
  const found = maskIdNumber(line.slice(start, start + ID_LENGTH));
  const after = masked(line.slice(start + ID_LENGTH, start + ID_LENGTH + CONTEXT_CHARS));
  return { line: lineNumber, context: `${before}[${found}]${after}` };
}

/** Every valid 身份证 number in `text`, wherever it sits. */
export function validIdNumbersIn(text: string): IdNumberFinding[] {
  const findings: IdNumberFinding[] = [];
  text.split('\n').forEach((line, index) => {
    for (let start = 0; start + ID_LENGTH <= line.length; start++) {
      const candidate = line.slice(start, start + ID_LENGTH);
      if (CANDIDATE.test(candidate) && isValidIdNumber(candidate)) {
        findings.push(findingAt(line, index + 1, start));
      }
    }
  });
  return findings;
}

/** Every occurrence of one of `idNumbers` in `text`, a lowercase x matching an X. */
export function occurrencesOf(idNumbers: readonly string[], text: string): IdNumberFinding[] {
  const wanted = idNumbers.map((id) => id.toUpperCase());
  const findings: IdNumberFinding[] = [];
  text.split('\n').forEach((line, index) => {
    const upper = line.toUpperCase();
    for (const id of wanted) {
      for (let at = upper.indexOf(id); at !== -1; at = upper.indexOf(id, at + 1)) {
        findings.push(findingAt(line, index + 1, at));
      }
    }
  });
  return findings;
}
