import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../../shared/errors/http-errors.ts';
import { validate } from '../../../shared/errors/validate.ts';
import { idNumberSchema } from '../../../shared/validation/id-number.ts';

const schema = z
  .object({
    child: z.object({ name: z.string().min(1), idNumber: idNumberSchema }).strict(),
    months: z.array(z.string()).min(1),
  })
  .strict();

function failureOf(input: unknown): ValidationError {
  try {
    validate(schema, input, 'body');
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('validate', () => {
  it('returns the parsed value when the input is valid', () => {
    // Prepare
    const input = { child: { name: '小明', idNumber: '11010519491231002x' }, months: ['2026-10'] };

    // Act
    const value = validate(schema, input);

    // Assess
    expect(value.child.idNumber).toBe('11010519491231002X');
  });

  it('lists every offending path at once, in both languages', () => {
    // Prepare
    const input = { child: { name: '', idNumber: '110105194912310021' }, extra: 1 };

    // Act
    const error = failureOf(input);

    // Assess
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.statusCode).toBe(400);
    const paths = error.details.map((d) => d.path).sort();
    expect(paths).toEqual(['body.child.idNumber', 'body.child.name', 'body.extra', 'body.months']);
    for (const detail of error.details) {
      expect(detail.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(detail.message.en).toMatch(/[A-Za-z]/);
    }
  });

  it('words a missing field as required and a keyed refinement from the catalogue', () => {
    // Prepare
    const input = { child: { name: '小明', idNumber: '110105194912310021' } };

    // Act
    const error = failureOf(input);

    // Assess
    const months = error.details.find((d) => d.path === 'body.months');
    expect(months?.message).toEqual({ 'zh-CN': '此项为必填项', en: 'Required' });
    const idNumber = error.details.find((d) => d.path === 'body.child.idNumber');
    expect(idNumber?.message['zh-CN']).toContain('校验位');
    expect(idNumber?.message.en).toContain('check digit');
  });
});
