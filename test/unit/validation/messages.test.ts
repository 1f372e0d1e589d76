import { describe, expect, it } from 'vitest';
import { validationMessages } from '../../../shared/validation/messages.ts';

const entries = Object.entries(validationMessages);

describe('validationMessages', () => {
  it('is not empty', () => {
    // Prepare / Act
    const count = entries.length;

    // Assess
    expect(count).toBeGreaterThan(0);
  });

  it.each(entries)('%s is a SCREAMING_SNAKE key with Chinese and English text', (key, text) => {
    // Prepare
    const han = /\p{Script=Han}/u;

    // Act
    const { 'zh-CN': zh, en } = text;

    // Assess
    expect(key).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/);
    expect(zh).toMatch(han);
    expect(en.trim()).not.toBe('');
    expect(en).not.toMatch(han);
  });

  it('has no text for an unknown key', () => {
    // Prepare / Act
    const text = validationMessages.NOT_A_KEY;

    // Assess
    expect(text).toBeUndefined();
  });
});
