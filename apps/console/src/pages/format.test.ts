import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatMs } from './format.ts';

describe('the console formats', () => {
  it('says how long ago an instant was, in the largest unit that fits', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const before = (ms: number) => new Date(now - ms).toISOString();
    expect(formatAgo(before(0), now)).toBe('0 s ago');
    expect(formatAgo(before(12_400), now)).toBe('12 s ago');
    expect(formatAgo(before(3 * 60_000), now)).toBe('3 min ago');
    expect(formatAgo(before(5 * 3_600_000), now)).toBe('5 h ago');
    expect(formatAgo(before(2 * 86_400_000), now)).toBe('2 d ago');
    // A clock a little ahead of the service's is not "in the future".
    expect(formatAgo(before(-2_000), now)).toBe('0 s ago');
  });

  it('writes sizes and durations as a person reads them', () => {
    expect(formatBytes(1126)).toBe('1.1 KB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatMs(661)).toBe('661 ms');
    expect(formatMs(2_630)).toBe('2.63 s');
  });
});
