import { describe, expect, it } from 'vitest';
import { validationMessages } from '../../../shared/validation/messages.ts';
import {
  isValidMobile,
  maskMobile,
  mobileSchema,
  toNationalMobile,
} from '../../../shared/validation/phone.ts';

const validMobiles = [
  { input: '13812345678', national: '13812345678' },
  { input: '19912345678', national: '19912345678' },
  { input: '15057212345', national: '15057212345' },
  { input: '+8613812345678', national: '13812345678' },
  { input: '8613812345678', national: '13812345678' },
  { input: '+86 138 1234 5678', national: '13812345678' },
  { input: '+86-138-1234-5678', national: '13812345678' },
  { input: ' 138 1234 5678 ', national: '13812345678' },
];

const invalidMobiles = [
  { label: '12 digits', input: '138123456789' },
  { label: '10 digits', input: '1381234567' },
  { label: 'starting 12', input: '12812345678' },
  { label: 'starting 11', input: '11812345678' },
  { label: 'starting 10', input: '10812345678' },
  { label: 'a landline', input: '0572-2345678' },
  { label: 'letters', input: '1381234567a' },
  { label: 'another country code', input: '+85213812345678' },
  { label: '+86 and 12 digits', input: '+86138123456789' },
  { label: 'empty', input: '' },
];

describe('isValidMobile', () => {
  it.each(validMobiles)('accepts $input', ({ input }) => {
    // Prepare / Act
    const valid = isValidMobile(input);

    // Assess
    expect(valid).toBe(true);
  });

  it.each(invalidMobiles)('rejects $label ($input)', ({ input }) => {
    // Prepare / Act
    const valid = isValidMobile(input);

    // Assess
    expect(valid).toBe(false);
  });
});

describe('mobileSchema', () => {
  it.each(validMobiles)('parses $input to $national', ({ input, national }) => {
    // Prepare / Act
    const result = mobileSchema.safeParse(input);

    // Assess
    expect(result).toEqual({ success: true, data: national });
    expect(toNationalMobile(input)).toBe(national);
  });

  it.each(invalidMobiles)('reports MOBILE_FORMAT for $label', ({ input }) => {
    // Prepare / Act
    const result = mobileSchema.safeParse(input);

    // Assess
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['MOBILE_FORMAT']);
    expect(validationMessages.MOBILE_FORMAT).toBeDefined();
  });
});

describe('maskMobile', () => {
  it.each([
    { input: '13812345678', masked: '138****5678' },
    { input: '+86 138-1234-5678', masked: '138****5678' },
    // Not a mobile number: still never shown in full.
    { input: '0572-2345678', masked: '057*****5678' },
    { input: '12345', masked: '*****' },
  ])('masks $input as $masked', ({ input, masked }) => {
    // Prepare / Act
    const result = maskMobile(input);

    // Assess
    expect(result).toBe(masked);
  });
});
