const encoder = new TextEncoder();

/** Writes `text` as UTF-8 at `at` (room permitting: 3 bytes a UTF-16 unit); returns the end. */
function writeUtf8(text: string, into: Uint8Array, at: number): number {
  let i = at;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x80) return at + encoder.encodeInto(text, into.subarray(at)).written;
    into[i++] = c;
  }
  return i;
}

/** FNV-1a over a byte range. */
function hashBytes(a: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ a[i], 0x01000193);
  return h >>> 0;
}

/**
 * A set of strings held as UTF-8 bytes, probed with a byte range of a VARCHAR column so that
 * membership (`s IN ('a', 'b', …)` over a long list) costs a hash and one comparison per row,
 * without decoding the row into a JS string. Open addressing over typed arrays.
 */
export class Utf8HashSet {
  private readonly bytes: Uint8Array;
  /** Start of each member in `bytes`; member k spans [starts[k], starts[k + 1]). */
  private readonly starts: Int32Array;
  /** Member index + 1 per slot, 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  readonly size: number;

  constructor(values: Iterable<string>) {
    const list = [...values];
    let room = 0;
    for (const v of list) room += v.length * 3;
    const bytes = new Uint8Array(room);
    const starts = new Int32Array(list.length + 1);
    let capacity = 8;
    while (capacity < list.length * 2) capacity *= 2;
    this.bytes = bytes;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    let at = 0;
    let size = 0;
    for (const v of list) {
      const end = writeUtf8(v, bytes, at);
      starts[size] = at;
      starts[size + 1] = end;
      // A duplicate is not kept: the next member overwrites its bytes.
      if (this.insert(starts, size, at, end)) {
        size++;
        at = end;
      }
    }
    this.starts = starts;
    this.size = size;
  }

  private insert(starts: Int32Array, index: number, s: number, e: number): boolean {
    let slot = hashBytes(this.bytes, s, e) & this.mask;
    for (;;) {
      const k = this.slots[slot];
      if (k === 0) {
        this.slots[slot] = index + 1;
        return true;
      }
      if (this.equals(starts, k - 1, this.bytes, s, e)) return false;
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(starts: Int32Array, k: number, a: Uint8Array, s: number, e: number): boolean {
    const from = starts[k];
    const n = starts[k + 1] - from;
    if (n !== e - s) return false;
    const bytes = this.bytes;
    for (let i = 0; i < n; i++) if (bytes[from + i] !== a[s + i]) return false;
    return true;
  }

  /** Whether the bytes a[s, e) are a member. */
  has(a: Uint8Array, s: number, e: number): boolean {
    let slot = hashBytes(a, s, e) & this.mask;
    for (;;) {
      const k = this.slots[slot];
      if (k === 0) return false;
      if (this.equals(this.starts, k - 1, a, s, e)) return true;
      slot = (slot + 1) & this.mask;
    }
  }
}
