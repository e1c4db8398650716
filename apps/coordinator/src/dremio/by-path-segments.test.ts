import { describe, expect, it } from 'vitest';
import { byPathSegments } from './by-path-segments.ts';

describe('byPathSegments', () => {
  it('decodes each segment once, so names may hold / and %', () => {
    expect(byPathSegments('/api/v3/catalog/by-path/my%20space/a%2Fb/100%25?x=1')).toEqual([
      'my space',
      'a/b',
      '100%',
    ]);
  });

  it('refuses bad encodings and empty paths with INVALID_PATH', () => {
    expect(() => byPathSegments('/api/v3/catalog/by-path/100%/x')).toThrow(/not valid URL encoding/);
    expect(() => byPathSegments('/api/v3/catalog/by-path/')).toThrow(/names no path/);
  });
});
