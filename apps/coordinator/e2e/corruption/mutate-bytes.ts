/** Deterministic pseudo-random numbers (mulberry32), so every corruption can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of case `index` of a campaign: one number to print and to replay the case alone. */
export function caseSeed(campaignSeed: number, format: string, index: number): number {
  let h = (campaignSeed ^ 0x9e3779b9) >>> 0;
  for (const c of `${format}:${index}`) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** A byte range of a file where corruption hurts most (a Parquet footer, a SQLite b-tree page header). */
export interface HotRange {
  readonly start: number;
  readonly end: number;
}

export interface Mutation {
  readonly bytes: Buffer;
  /** What was done, for the report: `flip 1 bit at 1234`, `truncate to 567 of 890`. */
  readonly description: string;
}

/**
 * One seeded corruption of `original`: a single bit flip, several bit flips, a run of random
 * bytes, a zeroed range or a truncation. About a third of them land in one of `hot` ranges
 * (the parts a reader trusts most, the first of them most often), the others anywhere.
 */
export function mutateBytes(original: Buffer, seed: number, hot: readonly HotRange[]): Mutation {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  const bytes = Buffer.from(original);
  const position = (): number => {
    if (hot.length > 0 && next() < 0.35) {
      // The first hot range (a Parquet footer, the SQLite schema page) gets half of them.
      const range = next() < 0.5 ? hot[0] : hot[int(hot.length)];
      return Math.min(original.length - 1, range.start + int(Math.max(1, range.end - range.start)));
    }
    return int(original.length);
  };
  const kind = int(6);
  switch (kind) {
    case 0: {
      const at = position();
      const bit = int(8);
      bytes[at] ^= 1 << bit;
      return { bytes, description: `flip bit ${bit} at ${at}` };
    }
    case 1: {
      const count = 2 + int(15);
      const at: number[] = [];
      for (let i = 0; i < count; i++) {
        const p = position();
        bytes[p] ^= 1 << int(8);
        at.push(p);
      }
      return { bytes, description: `flip ${count} bits at ${at.join(',')}` };
    }
    case 2: {
      const at = position();
      const length = 1 + int(32);
      for (let i = at; i < Math.min(bytes.length, at + length); i++) bytes[i] = int(256);
      return { bytes, description: `overwrite ${length} random bytes at ${at}` };
    }
    case 3: {
      const at = position();
      const length = 1 + int(1024);
      bytes.fill(0, at, Math.min(bytes.length, at + length));
      return { bytes, description: `zero ${length} bytes at ${at}` };
    }
    default: {
      const length = position();
      return {
        bytes: bytes.subarray(0, length),
        description: `truncate to ${length} of ${original.length} bytes`,
      };
    }
  }
}
