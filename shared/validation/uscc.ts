import * as z from 'zod';
import type { ValidationMessageKey } from './messages.ts';

/*
 * 统一社会信用代码 (GB 32100-2015): registration-authority code, category code, 6-digit area code
 * of the registering authority, 9-character organisation code (GB 11714) and a MOD 31 check
 * character. The alphabet leaves out I, O, Z, S and V, which are easily mistaken for 1, 0, 2, 5, U.
 */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const SHAPE = /^[0-9A-HJ-NP-RTUWXY]{18}$/;
const AREA_CODE = /^\d{6}$/;

/**
 * Registration authority (1st character) → the categories (2nd character) it may issue. GB 32100
 * itself names 1, 5, 9 and Y; the others were assigned since (law firms, rural collectives, …) and
 * appear on real certificates, so rejecting them would turn away real organisations.
 */
const CATEGORIES_BY_AUTHORITY: Readonly<Record<string, string>> = {
  '1': '1239', // 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
  '2': '19', // 外交: 外国常驻新闻机构, 其他
  '3': '123459', // 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
  '4': '19', // 文化: 外国在华文化中心, 其他
  '5': '1239', // 民政: 社会团体, 民办非企业单位, 基金会, 其他
  '6': '129', // 旅游: 外国旅游部门常驻代表机构, 港澳台旅游部门常驻代表机构, 其他
  '7': '129', // 宗教: 宗教活动场所, 宗教院校, 其他
  '8': '19', // 工会: 基层工会, 其他
  '9': '123', // 工商/市场监管: 企业, 个体工商户, 农民专业合作社
  A: '19', // 中央军委改革和编制办公室: 军队事业单位, 其他
  N: '1239', // 农业: 组级, 村级, 乡镇级集体经济组织, 其他
  Y: '1', // 其他
};

export type UsccProblem = Extract<ValidationMessageKey, `USCC_${string}`>;

/** The check character for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new RangeError('Expected exactly 17 characters');
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    const value = ALPHABET.indexOf(first17.charAt(index));
    if (value < 0) throw new RangeError(`Character ${index + 1} is not in the USCC alphabet`);
    sum += value * weight;
  });
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

function problemsOf(normalised: string): UsccProblem[] {
  if (!SHAPE.test(normalised)) return ['USCC_FORMAT'];
  const problems: UsccProblem[] = [];
  const categories = CATEGORIES_BY_AUTHORITY[normalised.charAt(0)];
  if (categories === undefined || !categories.includes(normalised.charAt(1))) {
    problems.push('USCC_CATEGORY');
  }
  if (!AREA_CODE.test(normalised.slice(2, 8))) problems.push('USCC_AREA_CODE');
  if (usccCheckCharacter(normalised.slice(0, 17)) !== normalised.charAt(17)) {
    problems.push('USCC_CHECK_CHARACTER');
  }
  return problems;
}

function normalise(value: string): string {
  return value.trim().toUpperCase();
}

export function isValidUscc(value: string): boolean {
  return typeof value === 'string' && problemsOf(normalise(value)).length === 0;
}

/** A USCC, trimmed and upper-cased; one issue per thing wrong with it. */
export const usccSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((value, ctx) => {
    for (const problem of problemsOf(value)) ctx.addIssue({ code: 'custom', message: problem });
  });
