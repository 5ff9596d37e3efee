import { describe, expect, it } from 'vitest';
import { hasText, LOCALES } from '../../locales';
import { WORKFLOW_CODES } from '../../workflows/shared/codes';

describe('the workflows refuse with codes that have texts (R2.5, R4)', () => {
  it.each(LOCALES)('every workflow code has a text in %s', (locale) => {
    const missing = WORKFLOW_CODES.filter((code) => !hasText(locale, code));
    expect(missing).toEqual([]);
  });
});
