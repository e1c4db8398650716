import { describe, expect, it } from 'vitest';
import { Utf8HashSet } from './utf8-hash-set.ts';

const encoder = new TextEncoder();

describe('Utf8HashSet', () => {
  it('finds exactly its members by their UTF-8 bytes, anywhere in a buffer', () => {
    const members = ['', 'a', 'ab', 'Straße', '日本語', '😀', 'a'.repeat(1000), 'b', 'a'];
    const set = new Utf8HashSet(members);
    expect(set.size).toBe(8);
    const probe = (text: string): boolean => {
      // Embedded in other bytes, as a value inside a column's data buffer.
      const bytes = encoder.encode(`xx${text}yy`);
      return set.has(bytes, 2, bytes.length - 2);
    };
    for (const m of members) expect(probe(m)).toBe(true);
    for (const other of ['A', 'ba', 'Strasse', '日本', '😁', 'a'.repeat(999), ' ', 'bb'])
      expect(probe(other)).toBe(false);
  });

  it('holds many members', () => {
    const set = new Utf8HashSet(Array.from({ length: 50_000 }, (_, i) => `v${i}`));
    const bytes = encoder.encode('v49999v50000');
    expect(set.has(bytes, 0, 6)).toBe(true);
    expect(set.has(bytes, 6, 12)).toBe(false);
  });
});
