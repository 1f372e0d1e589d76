import { describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../../../shared/errors/localized.ts';

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en;q=0.5, zh;q=0.8', 'zh-CN'],
    ['fr, en;q=0.3', 'en'],
    ['fr, de', 'zh-CN'],
    ['en;q=0', 'zh-CN'],
  ])('reads %j as %s', (header, expected) => {
    // Prepare / Act
    const language = negotiateLanguage(header);

    // Assess
    expect(language).toBe(expected);
  });
});
