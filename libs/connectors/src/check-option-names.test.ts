import { SourceError } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { checkOptionNames } from './check-option-names.ts';

describe('checkOptionNames', () => {
  it('accepts known names and refuses a misspelt one with the closest as a suggestion', () => {
    const known = ['delimiter', 'quote', 'header'];
    expect(() => checkOptionNames({ delimiter: ';', header: true }, known, 'CSV option')).not.toThrow();
    let error: unknown;
    try {
      checkOptionNames({ delimter: ';' }, known, 'CSV option');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('SOURCE_OPTION_UNKNOWN');
    expect((error as SourceError).message).toContain('did you mean "delimiter"?');
  });
});
