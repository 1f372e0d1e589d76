import { describe, expect, it } from 'vitest';
import {
  type FindingCode,
  type FindingParams,
  finding,
  findingCodes,
  findingSchema,
} from '../../../shared/registration/findings.ts';

/** Params for every code: adding a code without a sample fails to compile. */
const samples: { [C in FindingCode]: FindingParams[C] } = {
  ENTERPRISE_NOT_FOUND: { uscc: '91330502MA2B3C4D5X' },
  ENTERPRISE_NOT_ACTIVE: { uscc: '91330502MA2B3C4D5X', status: 'revoked' },
  ENTERPRISE_NAME_MISMATCH: { registeredName: '禾苗托育有限公司', filedName: '禾苗托育' },
  CLASS_TOO_LARGE: { classType: 'infant', max: 10, actual: 12 },
  STAFF_RATIO_LOW: {
    required: 6,
    actual: 4,
    ratios: [{ classType: 'toddler', childrenPerCaregiver: 5 }],
  },
  NO_DIRECTOR: {},
  NO_HEALTH_STAFF: {},
  STAFF_NOT_HEALTH_CERTIFIED: { role: 'caregiver', name: '王芳' },
  LEASE_TOO_SHORT: { required: 3, actual: 2.9 },
  MISSING_DOCUMENT: { kind: 'fire-safety', becauseOfMeals: false },
  DOCUMENT_NOT_UPLOADED: { kind: 'business-license', ref: 'doc-123' },
};

function build<C extends FindingCode>(code: C) {
  return finding(code, samples[code], ['somewhere']);
}

describe('finding', () => {
  it.each(findingCodes)('%s has a Chinese and an English text', (code) => {
    // Prepare / Act
    const built = build(code);

    // Assess
    expect(built.code).toBe(code);
    expect(built.message['zh-CN']).toMatch(/\p{Script=Han}/u);
    expect(built.message.en).toMatch(/^[A-Z]/);
    // Names are quoted as filed; anything else Chinese in the English text is untranslated.
    const quoted = Object.values(samples[code]).filter((value) => typeof value === 'string');
    const english = quoted.reduce((text, value) => text.replaceAll(value, ''), built.message.en);
    expect(english).not.toMatch(/\p{Script=Han}/u);
    expect(findingSchema.parse(built)).toEqual(built);
  });

  it('gives every code its own text', () => {
    // Prepare / Act
    const texts = findingCodes.map((code) => build(code).message['zh-CN']);

    // Assess
    expect(new Set(texts).size).toBe(findingCodes.length);
  });

  it('quotes the figures of an oversized class', () => {
    // Prepare / Act
    const built = finding('CLASS_TOO_LARGE', { classType: 'infant', max: 10, actual: 12 }, [
      'classes',
      0,
      'placesPerClass',
    ]);

    // Assess
    expect(built).toEqual({
      code: 'CLASS_TOO_LARGE',
      message: {
        'zh-CN': '乳儿班每班不超过10人，申报为12人',
        en: 'Infant classes take at most 10 children; 12 were filed',
      },
      path: ['classes', 0, 'placesPerClass'],
      data: { classType: 'infant', max: 10, actual: 12 },
    });
  });

  it('quotes required and actual caregivers with the ratios behind them', () => {
    // Prepare
    const params = {
      required: 6,
      actual: 4,
      ratios: [
        { classType: 'infant', childrenPerCaregiver: 3 },
        { classType: 'mixed', childrenPerCaregiver: 5 },
      ],
    } as const;

    // Act
    const built = finding('STAFF_RATIO_LOW', params, ['staff']);

    // Assess
    expect(built.message['zh-CN']).toBe(
      '按乳儿班1:3、混龄班1:5的保育人员与幼儿比例，所报班级至少需要保育人员6名，申报为4名',
    );
    expect(built.message.en).toContain('at least 6 caregivers; 4 were filed');
    expect(built.data).toEqual({ required: 6, actual: 4 });
  });

  it('names a staff member by position and name, and keeps the name out of data', () => {
    // Prepare / Act
    const built = finding('STAFF_NOT_HEALTH_CERTIFIED', { role: 'cook', name: '李静' }, [
      'staff',
      2,
      'healthCertified',
    ]);

    // Assess
    expect(built.message['zh-CN']).toMatch(/^炊事人员李静未持有有效的健康证/);
    expect(built.message.en).toMatch(/^Cook 李静 has no valid health certificate/);
    expect(built.data).toEqual({ role: 'cook' });
  });

  it('names a missing document in Chinese, and says why the food licence is needed', () => {
    // Prepare / Act
    const fire = finding('MISSING_DOCUMENT', { kind: 'fire-safety', becauseOfMeals: false }, [
      'documents',
    ]);
    const food = finding('MISSING_DOCUMENT', { kind: 'food-license', becauseOfMeals: true }, [
      'documents',
    ]);

    // Assess
    expect(fire.message['zh-CN']).toBe('缺少消防安全检查合格证明，请补充上传');
    expect(fire.data).toEqual({ kind: 'fire-safety' });
    expect(food.message['zh-CN']).toContain('食品经营许可证（提供餐食的机构须提交）');
    expect(food.message.en).toContain('required when meals are served');
  });

  it('leaves data out when there are no figures', () => {
    // Prepare / Act
    const built = finding('NO_DIRECTOR', {}, ['staff']);

    // Assess
    expect(built).not.toHaveProperty('data');
  });

  it('rejects a stored finding with an unknown code', () => {
    // Prepare
    const stored = { ...build('NO_DIRECTOR'), code: 'NO_JANITOR' };

    // Act
    const result = findingSchema.safeParse(stored);

    // Assess
    expect(result.success).toBe(false);
  });
});
