import { InternalError } from '@tributary/common';
import { ANY_CHAR, likePattern, matchSegments } from './like-pattern.ts';

/** Transition-table entries (states × byte classes) one matcher may hold. */
const MAX_TABLE = 1 << 22;

/** The longest run of literal bytes (no `_`) in a pattern's pieces: every match contains it. */
function requiredRun(pieces: readonly Uint8Array[]): Uint8Array {
  let best: Uint8Array = new Uint8Array(0);
  for (const p of pieces) {
    let from = 0;
    for (let i = 0; i <= p.length; i++) {
      if (i === p.length || p[i] === ANY_CHAR) {
        if (i - from > best.length) best = p.subarray(from, i);
        from = i + 1;
      }
    }
  }
  return best;
}

/**
 * Tests a UTF-8 value against many case-sensitive LIKE patterns at once (`c LIKE '%a%' OR
 * c LIKE '%b%' OR …`). Each pattern has a literal run every match must contain; one pass of
 * an Aho-Corasick automaton over the value finds which runs occur, and only those patterns
 * are checked in full (`%run%` needs no check). Cost per row: one step per byte plus the few
 * candidates, instead of one scan per pattern.
 */
export class LikeAnyMatcher {
  private readonly pieces: (readonly Uint8Array[])[];
  /** Whether finding the pattern's run is a match by itself (`%run%`). */
  private readonly whole: boolean[];
  /** Patterns without a literal run, checked on every value. */
  private readonly unkeyed: number[] = [];
  private readonly classOf = new Uint8Array(256);
  private readonly classes: number;
  private readonly delta: Int32Array;
  /** Patterns whose run ends in each state (own and through failure links). */
  private readonly outputs: (Int32Array | undefined)[];
  private readonly seen: Int32Array;
  private stamp = 0;

  /** Whether the automaton stayed within its size bound; a matcher that did not is unusable. */
  private readonly fits: boolean;

  /** Undefined when the patterns need more than a bounded automaton. */
  static create(patterns: readonly string[]): LikeAnyMatcher | undefined {
    const matcher = new LikeAnyMatcher(patterns);
    return matcher.fits ? matcher : undefined;
  }

  private constructor(patterns: readonly string[]) {
    this.pieces = [];
    this.whole = [];
    const keys: (Uint8Array | undefined)[] = [];
    for (const text of patterns) {
      const compiled = likePattern(text, false);
      if (compiled.kind !== 'segments')
        throw new InternalError('a case-sensitive LIKE pattern is not segments');
      const pieces = compiled.pieces;
      const key = requiredRun(pieces);
      const id = this.pieces.length;
      this.pieces.push(pieces);
      this.whole.push(
        pieces.length === 3 &&
          pieces[0].length === 0 &&
          pieces[2].length === 0 &&
          key.length === pieces[1].length,
      );
      if (key.length === 0) this.unkeyed.push(id);
      keys.push(key.length === 0 ? undefined : key);
    }
    this.seen = new Int32Array(patterns.length);

    // Byte classes: bytes that occur in no run all behave alike (back to the root).
    let classes = 1;
    for (const key of keys) for (const b of key ?? []) if (this.classOf[b] === 0) this.classOf[b] = classes++;
    this.classes = classes;

    // The trie of runs.
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    keys.forEach((key, id) => {
      if (!key) return;
      let state = 0;
      for (const b of key) {
        const c = this.classOf[b];
        let next = children[state].get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          children[state].set(c, next);
        }
        state = next;
      }
      own[state].push(id);
    });
    const states = children.length;
    this.fits = states * classes <= MAX_TABLE;
    if (!this.fits) {
      this.delta = new Int32Array(0);
      this.outputs = [];
      return;
    }

    // Breadth-first: failure links, then the full transition table and merged outputs.
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: (Int32Array | undefined)[] = new Array(states);
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head];
      const merged = state === 0 ? own[0] : [...own[state], ...(outputs[fail[state]] ?? [])];
      outputs[state] = merged.length > 0 ? Int32Array.from(merged) : undefined;
      for (let c = 0; c < classes; c++) {
        const child = children[state].get(c);
        if (child !== undefined) {
          fail[child] = state === 0 ? 0 : delta[fail[state] * classes + c];
          delta[state * classes + c] = child;
          queue.push(child);
        } else delta[state * classes + c] = state === 0 ? 0 : delta[fail[state] * classes + c];
      }
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Whether the bytes a[s, e) match at least one of the patterns. */
  test(a: Uint8Array, s: number, e: number): boolean {
    // `seen` marks the patterns already checked for this value.
    if (++this.stamp === 0x7fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const { delta, classOf, classes, outputs, seen, stamp } = this;
    let state = 0;
    for (let i = s; i < e; i++) {
      state = delta[state * classes + classOf[a[i]]];
      const found = outputs[state];
      if (found === undefined) continue;
      for (let k = 0; k < found.length; k++) {
        const id = found[k];
        if (this.whole[id]) return true;
        if (seen[id] === stamp) continue;
        seen[id] = stamp;
        if (matchSegments(this.pieces[id], a, s, e)) return true;
      }
    }
    for (const id of this.unkeyed) if (matchSegments(this.pieces[id], a, s, e)) return true;
    return false;
  }
}
