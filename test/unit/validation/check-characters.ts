/*
 * Independent check-character arithmetic for building test fixtures. Written from the standards'
 * formulas (weights as powers, not copied tables) so that a wrong table in the code under test
 * cannot also make its own fixtures pass.
 */

/** GB 11643 / ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11; check = (12 - S) mod 11. */
export function withIdCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return first17 + (check === 10 ? 'X' : String(check));
}

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100: weight of position i is 3^i mod 31; check = 31 - (S mod 31), with 31 written as 0. */
export function withUsccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * (3 ** i % 31);
  return first17 + USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** The same number with its last character replaced by a different valid one. */
export function withWrongLastCharacter(value: string, alphabet = '0123456789X'): string {
  const last = value.charAt(value.length - 1);
  const other = alphabet.split('').find((candidate) => candidate !== last) ?? '0';
  return value.slice(0, -1) + other;
}
