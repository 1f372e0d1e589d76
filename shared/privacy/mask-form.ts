import { maskIdNumber } from '../validation/id-number.ts';
import { maskMobile } from '../validation/phone.ts';

/** Masks 身份证 and phone numbers wherever they sit in a form: views never need them whole. */
export function maskForm(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (/idnumber$/i.test(key)) return maskIdNumber(value);
    if (/(phone|mobile)$/i.test(key)) return maskMobile(value);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => maskForm(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskForm(v, k)]));
  }
  return value;
}
