import { describe, expect, it } from 'vitest';
import { TOKEN_PREFIX, hashToken, newTokenSecret, tokenOfHeader } from './access-token.ts';

describe('access tokens', () => {
  it('are 32 random bytes behind a prefix, stored as their SHA-256', () => {
    const a = newTokenSecret();
    const b = newTokenSecret();
    expect(a).not.toBe(b);
    expect(a.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(a.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).toBe(hashToken(a));
    expect(hashToken(a)).not.toBe(hashToken(b));
  });

  it('are read from Bearer and from Dremio _dremio headers', () => {
    expect(tokenOfHeader('Bearer abc')).toBe('abc');
    expect(tokenOfHeader('bearer   abc')).toBe('abc');
    expect(tokenOfHeader('_dremioabc')).toBe('abc');
    expect(tokenOfHeader(undefined)).toBeUndefined();
    expect(tokenOfHeader('')).toBeUndefined();
    expect(tokenOfHeader('Basic dXNlcjpwYXNz')).toBeNull();
    expect(tokenOfHeader('Bearer')).toBeNull();
    expect(tokenOfHeader('_dremio')).toBeNull();
  });
});
