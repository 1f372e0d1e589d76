import { describe, expect, it } from 'vitest';
import { redactPii, redactText } from '../../../shared/logging/redact.ts';

const ID = '11010519491231002X';
const ID_MASKED = '110***********002X';
const MOBILE = '13812345678';
const MOBILE_MASKED = '138****5678';

describe('redactText', () => {
  it.each([
    { label: 'an ID number', text: `申请人 ${ID} 提交`, expected: `申请人 ${ID_MASKED} 提交` },
    { label: 'a lowercase x', text: `id=${ID.toLowerCase()}`, expected: `id=${ID_MASKED}` },
    { label: 'an ID number grouped 6-8-4', text: '110105 19491231 002X', expected: ID_MASKED },
    { label: 'a mobile number', text: `call ${MOBILE}.`, expected: `call ${MOBILE_MASKED}.` },
    {
      label: 'a mobile number with +86',
      text: `tel:+86${MOBILE}`,
      expected: `tel:${MOBILE_MASKED}`,
    },
    { label: 'a mobile number with 0086', text: `0086${MOBILE}`, expected: MOBILE_MASKED },
    { label: 'a mobile number grouped 3-4-4', text: '138-1234-5678', expected: MOBILE_MASKED },
    {
      label: 'a mobile number glued to letters',
      text: `tel${MOBILE}x`,
      expected: `tel${MOBILE_MASKED}x`,
    },
    {
      label: 'both, twice',
      text: `${ID},${MOBILE};${ID} ${MOBILE}`,
      expected: `${ID_MASKED},${MOBILE_MASKED};${ID_MASKED} ${MOBILE_MASKED}`,
    },
    { label: 'a 19-digit run', text: '1101051949123100201', expected: '1101051949123100201' },
    { label: 'a 12-digit run', text: '138123456789', expected: '138123456789' },
    { label: 'an 11-digit run starting 12', text: '12812345678', expected: '12812345678' },
    { label: 'a millisecond timestamp', text: 'at 1700000000000', expected: 'at 1700000000000' },
    { label: 'an 8-digit date', text: 'born 20240131', expected: 'born 20240131' },
    { label: 'an amount', text: '¥1,380,000.00', expected: '¥1,380,000.00' },
    {
      label: 'an ISO timestamp',
      text: '2025-06-01T16:30:00.000Z',
      expected: '2025-06-01T16:30:00.000Z',
    },
  ])('handles $label: $text → $expected', ({ text, expected }) => {
    // Prepare / Act
    const result = redactText(text);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('redactPii', () => {
  it('masks numbers inside strings anywhere in nested objects and arrays', () => {
    // Prepare
    const input = {
      note: `child ${ID}`,
      guardians: [{ contact: `手机 ${MOBILE}` }, [`${MOBILE}`]],
      [`by-${MOBILE}`]: true,
    };

    // Act
    const result = redactPii(input);

    // Assess
    expect(result).toEqual({
      note: `child ${ID_MASKED}`,
      guardians: [{ contact: `手机 ${MOBILE_MASKED}` }, [MOBILE_MASKED]],
      [`by-${MOBILE_MASKED}`]: true,
    });
  });

  it.each([
    { key: 'idNumber', value: 'not-an-id-1234', expected: 'NOT*******1234' },
    { key: 'childIdNumber', value: ID, expected: ID_MASKED },
    { key: 'ID_NUMBER', value: ID, expected: ID_MASKED },
    { key: 'IDNumber', value: 'ABC', expected: '***' },
    { key: 'phone', value: '0572-2345678', expected: '057*****5678' },
    { key: 'guardianPhone', value: 13812345678, expected: MOBILE_MASKED },
    { key: 'mobile', value: 13812345678, expected: MOBILE_MASKED },
    { key: 'MOBILE', value: '+86 138 1234 5678', expected: MOBILE_MASKED },
    { key: 'contact_mobile_no', value: '1381234', expected: '*******' },
    { key: 'phones', value: [MOBILE, 13912345678], expected: [MOBILE_MASKED, '139****5678'] },
  ])('masks $key whatever its format', ({ key, value, expected }) => {
    // Prepare
    const input = { [key]: value };

    // Act
    const result = redactPii(input);

    // Assess
    expect(result).toEqual({ [key]: expected });
  });

  it('leaves ordinary values alone', () => {
    // Prepare
    const input = {
      amountFen: 13812345678,
      ts: 1_700_000_000_000,
      date: 20240131,
      dateText: '20240131',
      phoneVerified: true,
      validNumber: 13812345678,
      hotel: '13800',
      nothing: null,
      missing: undefined,
      big: 12n,
    };

    // Act
    const result = redactPii(input);

    // Assess
    expect(result).toEqual(input);
  });

  it('never mutates its input', () => {
    // Prepare
    const input = { phone: MOBILE, nested: { note: ID, list: [MOBILE] } };
    const before = structuredClone(input);

    // Act
    const result = redactPii(input);

    // Assess
    expect(input).toEqual(before);
    expect(result).not.toBe(input);
  });

  it('copies cycles without looping', () => {
    // Prepare
    const input: Record<string, unknown> = { note: MOBILE };
    input.self = input;
    input.list = [input];

    // Act
    const result = redactPii(input) as Record<string, unknown>;

    // Assess
    expect(result.note).toBe(MOBILE_MASKED);
    expect(result.self).toBe(result);
    expect((result.list as unknown[])[0]).toBe(result);
  });

  it('redacts an Error’s message, stack, cause and own fields, keeping its class', () => {
    // Prepare
    class ApplicantError extends Error {
      readonly phone = MOBILE;
    }
    const error = new ApplicantError(`bad ${ID}`, { cause: new Error(`from ${MOBILE}`) });

    // Act
    const result = redactPii(error) as ApplicantError;

    // Assess
    expect(result).toBeInstanceOf(ApplicantError);
    expect(result).not.toBe(error);
    expect(result.message).toBe(`bad ${ID_MASKED}`);
    expect(result.stack).toContain(`bad ${ID_MASKED}`);
    expect(result.stack).not.toContain(ID);
    expect((result.cause as Error).message).toBe(`from ${MOBILE_MASKED}`);
    expect(result.phone).toBe(MOBILE_MASKED);
    expect(error.message).toBe(`bad ${ID}`);
  });

  it('turns other objects into what JSON would print, redacted', () => {
    // Prepare
    const when = new Date('2025-06-01T00:00:00Z');
    const custom = { toJSON: () => ({ contact: MOBILE }) };
    class Applicant {
      constructor(readonly idNumber: string) {}
    }

    // Act
    const result = redactPii({ when, custom, applicant: new Applicant(ID) }) as Record<
      string,
      unknown
    >;

    // Assess
    expect(result.when).toEqual(when);
    expect(result.when).not.toBe(when);
    expect(result.custom).toEqual({ contact: MOBILE_MASKED });
    expect(result.applicant).toEqual({ idNumber: ID_MASKED });
  });

  it('keeps a __proto__ key from parsed JSON as a plain, redacted key', () => {
    // Prepare
    const input = JSON.parse(`{"__proto__":{"phone":"${MOBILE}"}}`) as unknown;

    // Act
    const result = redactPii(input) as object;

    // Assess
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(JSON.stringify(result)).toBe(`{"__proto__":{"phone":"${MOBILE_MASKED}"}}`);
  });

  it.each([
    { input: `x ${MOBILE}`, expected: `x ${MOBILE_MASKED}` },
    { input: 13812345678, expected: 13812345678 },
    { input: null, expected: null },
  ])('handles a bare $input', ({ input, expected }) => {
    // Prepare / Act
    const result = redactPii(input);

    // Assess
    expect(result).toEqual(expected);
  });
});
