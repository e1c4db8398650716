import { InternalError, VARCHAR, type ColumnBuffers, type SqlType } from '@tributary/common';
import { decodeListKeys, encodeListKeys } from './list-key-codec.ts';

/**
 * How one key column is laid out in a row's words: a null word, then value words
 * (VARCHAR: length and a hash of the bytes; the bytes themselves live apart).
 */
interface KeyLayout {
  readonly type: SqlType;
  readonly offset: number;
  readonly valueWords: number;
  /** Index among VARCHAR key columns, or -1. */
  readonly stringIndex: number;
}

function valueWords(type: SqlType): number {
  switch (type.kind) {
    case 'NULL':
      return 0;
    case 'LIST':
      return 2;
    case 'BOOLEAN':
    case 'INTEGER':
    case 'DATE':
      return 1;
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
    case 'DOUBLE':
    case 'VARCHAR':
      return 2;
    case 'DECIMAL':
    case 'HUGEINT':
      return 4;
  }
}

/**
 * Where each key column sits in a key's words (a null flag word, then its value words), the
 * words a key takes, and which columns are strings. Lists are keyed by their canonical text
 * (list-key-codec.ts), stored as VARCHAR keys.
 */
function keyLayouts(types: readonly SqlType[]): { layouts: KeyLayout[]; width: number; strings: number[] } {
  let offset = 0;
  const strings: number[] = [];
  const layouts = types.map((t, i) => {
    const type = t.kind === 'LIST' ? VARCHAR : t;
    const layout = {
      type,
      offset,
      valueWords: valueWords(type),
      stringIndex: type.kind === 'VARCHAR' ? strings.length : -1,
    };
    if (type.kind === 'VARCHAR') strings.push(i);
    offset += 1 + layout.valueWords;
    return layout;
  });
  return { layouts, width: offset, strings };
}

/** A batch's key columns encoded row by row; scratch owned by the table and reused per batch. */
export interface EncodedKeys {
  readonly count: number;
  readonly words: Int32Array;
  readonly hashes: Int32Array;
  /** 1 where any key of the row is NULL. */
  readonly anyNull: Uint8Array;
  readonly strings: readonly ColumnBuffers[];
}

const SCRATCH_DOUBLE = new Float64Array(1);
const SCRATCH_DOUBLE_WORDS = new Int32Array(SCRATCH_DOUBLE.buffer);

function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let j = start; j < end; j++) h = Math.imul(h ^ bytes[j], 0x01000193);
  return h;
}

/**
 * An open-addressing hash table from composite keys (any SQL types, NULL a key value of its
 * own) to dense ids 0, 1, 2… in first-seen order. Keys are stored as Int32 words per id
 * plus a byte heap per VARCHAR column, so lookups compare words and bytes, never objects.
 * Group by, distinct and hash-join build sides all use it.
 */
export class KeyTable {
  readonly types: readonly SqlType[];
  private readonly layouts: KeyLayout[];
  private readonly lists: readonly boolean[];
  private readonly width: number;
  private readonly stringColumns: number[];
  private readonly lengthWords: number[];
  private capacity = 0;
  /**
   * How full the slots may get, in quarters: 2 for a table that grows as keys come, 3 for one
   * made for a known number of keys (a join's build side, `dense`), whose slots are then half
   * as many. Two threads each probing such a table beside their probe's data share the last
   * level of cache; Q3's 146,777-key build at 28% load took 4.2 MB of slots.
   */
  private readonly quarters: number;
  private keyWords = new Int32Array(0);
  private keyHashes = new Int32Array(0);
  private heaps: Uint8Array[];
  private heapLengths: number[];
  private starts: Int32Array[];
  private slots = new Int32Array(0);
  private mask = -1;
  /**
   * Four bits per slot, one set by each stored key's hash (remixed, so it is not the slot), read by
   * `find` before the slots: a key absent from a large table (most probes of a selective
   * join) is then told by one read of this array, small enough to stay in cache, instead of
   * a read of the slots, which are not. Made by the first `find` (a join's probe, once its
   * build is done) and kept up from then on: tables only added to (aggregations) never pay for it.
   */
  private filter: Int32Array | undefined;
  private filterShift = 32;
  /** The one key column's kind when the table has a single INTEGER, DATE, BIGINT or TIMESTAMP key: encoded in one pass. */
  private readonly single: 'INTEGER' | 'BIGINT' | undefined;
  private count = 0;
  private scratchWords = new Int32Array(0);
  private scratchHashes = new Int32Array(0);
  private scratchNull = new Uint8Array(0);

  /**
   * `initialCapacity` (rounded up to a power of two) sizes the first allocation: small tables
   * (a spilled partition's) need not start with room for 1024 keys. `dense`: made for about
   * `initialCapacity` keys at most (a join's build side), its slots up to 3/4 full, not 1/2.
   */
  constructor(types: readonly SqlType[], initialCapacity = 1024, dense = false) {
    this.quarters = quartersFull(dense);
    this.types = types;
    this.lists = types.map((t) => t.kind === 'LIST');
    const { layouts, width, strings } = keyLayouts(types);
    this.layouts = layouts;
    this.width = width;
    const only = types.length === 1 ? types[0].kind : undefined;
    this.single =
      only === 'INTEGER' || only === 'DATE'
        ? 'INTEGER'
        : only === 'BIGINT' || only === 'TIMESTAMP' || only === 'TIME'
          ? 'BIGINT'
          : undefined;
    this.stringColumns = strings;
    this.lengthWords = strings.map((c) => this.layouts[c].offset + 1);
    this.heaps = strings.map(() => new Uint8Array(1024));
    this.heapLengths = strings.map(() => 0);
    this.starts = strings.map(() => new Int32Array(0));
    this.grow(capacityFor(initialCapacity), firstSlots(initialCapacity, dense));
  }

  /**
   * The bytes a table of `types` made for `keys` keys takes before the first is added (the
   * string heaps aside: the strings are counted where they came from), for reserving memory
   * ahead of building one.
   */
  static memoryFor(types: readonly SqlType[], keys: number, dense = false): number {
    const { width, strings } = keyLayouts(types);
    const capacity = capacityFor(keys);
    // Words, hashes and string starts by id; [id, hash] slots and the filter (half a byte) by slot.
    return 4 * capacity * (width + 1 + strings.length) + firstSlots(keys, dense) * 8.5;
  }

  /** The number of distinct keys so far. */
  get size(): number {
    return this.count;
  }

  /**
   * The hash of each stored key, by id (a view, valid until the next insert): equal keys
   * hash alike in every KeyTable of the same types, so a spilling aggregation can partition
   * its groups by it.
   */
  keyHashesView(): Int32Array {
    return this.keyHashes.subarray(0, this.count);
  }

  /** The bytes of its typed arrays (keys, slots, string heaps, scratch), for memory accounting. */
  memoryBytes(): number {
    let bytes =
      this.keyWords.byteLength +
      this.keyHashes.byteLength +
      this.slots.byteLength +
      (this.filter?.byteLength ?? 0) +
      this.scratchWords.byteLength +
      this.scratchHashes.byteLength +
      this.scratchNull.byteLength;
    for (const heap of this.heaps) bytes += heap.byteLength;
    for (const starts of this.starts) bytes += starts.byteLength;
    return bytes;
  }

  /** Encodes rows 0..count of the key columns (one per type) into reusable scratch arrays. */
  encode(keyColumns: readonly ColumnBuffers[], count: number): EncodedKeys {
    const columns = this.lists.some((l) => l)
      ? keyColumns.map((c, i) => (this.lists[i] ? encodeListKeys(c, count) : c))
      : keyColumns;
    const w = this.width;
    if (this.scratchHashes.length < count) {
      const n = Math.max(count, 64);
      this.scratchWords = new Int32Array(n * w);
      this.scratchHashes = new Int32Array(n);
      this.scratchNull = new Uint8Array(n);
    }
    const words = this.scratchWords;
    const anyNull = this.scratchNull;
    anyNull.fill(0, 0, count);
    const hashes = this.scratchHashes;
    if (this.single !== undefined && columns[0].validity === undefined) {
      if (this.single === 'INTEGER') encodeIntegers(columns[0].values as Int32Array, count, words, hashes);
      else encodeBigints(columns[0].values as BigInt64Array, count, words, hashes);
      return { count, words, hashes, anyNull, strings: [] };
    }
    for (let c = 0; c < this.layouts.length; c++)
      encodeColumn(this.layouts[c], columns[c], count, w, words, anyNull);
    for (let i = 0; i < count; i++) {
      let h = HASH_SEED;
      const base = i * w;
      for (let k = 0; k < w; k++) h = mixWord(h, words[base + k]);
      hashes[i] = finishHash(h);
    }
    return { count, words, hashes, anyNull, strings: this.stringColumns.map((c) => columns[c]) };
  }

  /**
   * Writes each row's id into `ids`, adding new keys. With `skipNulls`, rows with a NULL key
   * get -1 and are not added. Returns the number of ids before this call, so that
   * `ids[i] >= returned` marks keys first seen in this batch.
   */
  findOrInsert(keys: EncodedKeys, ids: Int32Array, skipNulls = false): number {
    const before = this.count;
    const { count, words, hashes, anyNull } = keys;
    const w = this.width;
    const hasStrings = this.stringColumns.length > 0;
    for (let i = 0; i < count; i++) {
      if (skipNulls && anyNull[i] === 1) {
        ids[i] = -1;
        continue;
      }
      // slots.length is twice the slots ([id, hash] pairs).
      if (this.count * 8 >= this.slots.length * this.quarters) this.rehash(this.slots.length);
      const h = hashes[i];
      const slots = this.slots;
      const mask = this.mask;
      const keyWords = this.keyWords;
      const base = i * w;
      let slot = h & mask;
      let id: number;
      for (;;) {
        id = slots[2 * slot];
        if (id === -1) {
          id = this.add(keys, i);
          slots[2 * slot] = id;
          slots[2 * slot + 1] = h;
          break;
        }
        if (slots[2 * slot + 1] === h) {
          let equal = true;
          const stored = id * w;
          for (let k = 0; k < w; k++) {
            if (keyWords[stored + k] !== words[base + k]) {
              equal = false;
              break;
            }
          }
          if (equal && (!hasStrings || this.stringsEqual(keys, i, id))) break;
        }
        slot = (slot + 1) & mask;
      }
      ids[i] = id;
    }
    return before;
  }

  /** Writes each row's id into `ids`, -1 when the key is absent or has a NULL. */
  find(keys: EncodedKeys, ids: Int32Array): void {
    const { count, words, hashes, anyNull } = keys;
    const w = this.width;
    const hasStrings = this.stringColumns.length > 0;
    const slots = this.slots;
    const mask = this.mask;
    const keyWords = this.keyWords;
    const filter = this.filter ?? this.makeFilter();
    const shift = this.filterShift;
    for (let i = 0; i < count; i++) {
      const h = hashes[i];
      const bit = Math.imul(h, FILTER_MIX) >>> shift;
      if (anyNull[i] === 1 || (filter[bit >>> 5] & (1 << (bit & 31))) === 0) {
        ids[i] = -1;
        continue;
      }
      const base = i * w;
      let slot = h & mask;
      let id: number;
      for (;;) {
        id = slots[2 * slot];
        if (id === -1) break;
        if (slots[2 * slot + 1] === h) {
          let equal = true;
          const stored = id * w;
          for (let k = 0; k < w; k++) {
            if (keyWords[stored + k] !== words[base + k]) {
              equal = false;
              break;
            }
          }
          if (equal && (!hasStrings || this.stringsEqual(keys, i, id))) break;
        }
        slot = (slot + 1) & mask;
      }
      ids[i] = id;
    }
  }

  /** The stored keys of ids start..end as canonical columns, one per key type. */
  keyColumns(start: number, end: number): ColumnBuffers[] {
    return this.layouts.map((layout, i) => {
      const column = this.decodeColumn(layout, start, end);
      return this.lists[i] ? decodeListKeys(column, this.types[i]) : column;
    });
  }

  private stringsEqual(keys: EncodedKeys, row: number, id: number): boolean {
    for (let s = 0; s < this.stringColumns.length; s++) {
      const column = keys.strings[s];
      const offsets = column.offsets as Int32Array;
      const bytes = column.values as Uint8Array;
      const start = offsets[row];
      // The stored length word, not the offsets: a NULL's offsets may span bytes.
      const length = keys.words[row * this.width + this.lengthWords[s]];
      const heap = this.heaps[s];
      const at = this.starts[s][id];
      for (let j = 0; j < length; j++) if (heap[at + j] !== bytes[start + j]) return false;
    }
    return true;
  }

  private add(keys: EncodedKeys, row: number): number {
    const id = this.count;
    if (id === this.capacity) this.grow(this.capacity * 2);
    const w = this.width;
    const keyWords = this.keyWords;
    const words = keys.words;
    for (let k = 0; k < w; k++) keyWords[id * w + k] = words[row * w + k];
    this.keyHashes[id] = keys.hashes[row];
    if (this.filter) this.markFilter(this.filter, keys.hashes[row]);
    for (let s = 0; s < this.stringColumns.length; s++) {
      const column = keys.strings[s];
      const offsets = column.offsets as Int32Array;
      const start = offsets[row];
      const length = keys.words[row * w + this.lengthWords[s]];
      let heap = this.heaps[s];
      const at = this.heapLengths[s];
      if (at + length > heap.length) {
        const bigger = new Uint8Array(Math.max(heap.length * 2, at + length));
        bigger.set(heap.subarray(0, at));
        heap = bigger;
        this.heaps[s] = heap;
      }
      const bytes = column.values as Uint8Array;
      for (let j = 0; j < length; j++) heap[at + j] = bytes[start + j];
      this.heapLengths[s] = at + length;
      this.starts[s][id] = at;
    }
    this.count = id + 1;
    return id;
  }

  /** Room for `capacity` ids, and at least `slots` slots (enough for them all by default). */
  private grow(capacity: number, slots = slotsFor(capacity, this.quarters)): void {
    const words = new Int32Array(capacity * this.width);
    words.set(this.keyWords);
    this.keyWords = words;
    const hashes = new Int32Array(capacity);
    hashes.set(this.keyHashes);
    this.keyHashes = hashes;
    this.starts = this.starts.map((old) => {
      const starts = new Int32Array(capacity);
      starts.set(old);
      return starts;
    });
    this.capacity = capacity;
    if (this.slots.length < 2 * slots) this.rehash(slots);
  }

  /** Rebuilds the slots ([id, hash] pairs, so most misses need not touch the keys) with `size` slots. */
  private rehash(size: number): void {
    const slots = new Int32Array(2 * size).fill(-1);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      const h = this.keyHashes[id];
      let slot = h & mask;
      while (slots[2 * slot] !== -1) slot = (slot + 1) & mask;
      slots[2 * slot] = id;
      slots[2 * slot + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
    if (this.filter) this.makeFilter();
  }

  /**
   * (Re)makes the filter for the current slots: four bits a slot, 8 to 16 for each key while
   * the slots are a quarter to a half full, at least 5 in a dense table (up to 3/4 full).
   */
  private makeFilter(): Int32Array {
    const filter = new Int32Array(Math.max(1, (this.slots.length >>> 1) >>> 3));
    this.filterShift = 32 - Math.log2(filter.length * 32);
    this.filter = filter;
    for (let id = 0; id < this.count; id++) this.markFilter(filter, this.keyHashes[id]);
    return filter;
  }

  private markFilter(filter: Int32Array, hash: number): void {
    const bit = Math.imul(hash, FILTER_MIX) >>> this.filterShift;
    filter[bit >>> 5] |= 1 << (bit & 31);
  }

  private decodeColumn(layout: KeyLayout, start: number, end: number): ColumnBuffers {
    const n = end - start;
    const w = this.width;
    const words = this.keyWords;
    const { type, offset } = layout;
    let validity: Uint8Array | undefined = new Uint8Array((n + 7) >> 3);
    let nulls = 0;
    for (let k = 0; k < n; k++) {
      if (words[(start + k) * w + offset] === 1) nulls++;
      else validity[k >> 3] |= 1 << (k & 7);
    }
    if (nulls === 0) validity = undefined;
    const v = offset + 1;
    switch (type.kind) {
      case 'LIST':
        throw new InternalError('list keys are stored as text');
      case 'NULL':
        return { type, length: n, values: new Uint8Array(0), validity: new Uint8Array((n + 7) >> 3) };
      case 'BOOLEAN': {
        const values = new Uint8Array((n + 7) >> 3);
        for (let k = 0; k < n; k++) if (words[(start + k) * w + v] !== 0) values[k >> 3] |= 1 << (k & 7);
        return { type, length: n, values, validity };
      }
      case 'INTEGER':
      case 'DATE': {
        const values = new Int32Array(n);
        for (let k = 0; k < n; k++) values[k] = words[(start + k) * w + v];
        return { type, length: n, values, validity };
      }
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
      case 'DOUBLE': {
        const values = type.kind === 'DOUBLE' ? new Float64Array(n) : new BigInt64Array(n);
        const out = new Int32Array(values.buffer);
        for (let k = 0; k < n; k++) {
          const at = (start + k) * w + v;
          out[2 * k] = words[at];
          out[2 * k + 1] = words[at + 1];
        }
        return { type, length: n, values, validity };
      }
      case 'DECIMAL':
      case 'HUGEINT': {
        const values = new Uint32Array(4 * n);
        for (let k = 0; k < n; k++) {
          const at = (start + k) * w + v;
          values[4 * k] = words[at];
          values[4 * k + 1] = words[at + 1];
          values[4 * k + 2] = words[at + 2];
          values[4 * k + 3] = words[at + 3];
        }
        return { type, length: n, values, validity };
      }
      case 'VARCHAR': {
        const s = layout.stringIndex;
        const offsets = new Int32Array(n + 1);
        let total = 0;
        for (let k = 0; k < n; k++) {
          total += words[(start + k) * w + v];
          offsets[k + 1] = total;
        }
        const out = new Uint8Array(total);
        const heap = this.heaps[s];
        const starts = this.starts[s];
        for (let k = 0; k < n; k++) {
          const from = starts[start + k];
          out.set(heap.subarray(from, from + offsets[k + 1] - offsets[k]), offsets[k]);
        }
        return { type, length: n, values: out, offsets, validity };
      }
    }
  }
}

/** The power of two at least `keys` (and 8) a table is made with room for. */
function capacityFor(keys: number): number {
  let capacity = 8;
  while (capacity < keys) capacity *= 2;
  return capacity;
}

/** How full a table's slots may get, in quarters (see KeyTable's `quarters`). */
function quartersFull(dense: boolean): number {
  return dense ? 3 : 2;
}

/**
 * The slots a table made for `keys` keys starts with: a dense one's are for those keys, not
 * their power-of-two capacity.
 */
function firstSlots(keys: number, dense: boolean): number {
  return slotsFor(dense ? keys : capacityFor(keys), quartersFull(dense));
}

/** The slots (a power of two) for `keys` keys at most `quarters`/4 full. */
function slotsFor(keys: number, quarters: number): number {
  return capacityFor(Math.ceil((keys * 4) / quarters));
}

const HASH_SEED = 0x9e3779b9 | 0;
/** Remixes a key's hash for the filter, whose bits must be neither the slot's (low bits) nor the shuffle's partition's (HashPartitioner). */
const FILTER_MIX = 0x7feb352d;

function mixWord(h: number, word: number): number {
  h = Math.imul(h ^ word, 0x85ebca6b);
  return h ^ (h >>> 13);
}

function finishHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** `encode` of one INTEGER or DATE column without NULLs in one pass: words [0, value], the same hashes. */
function encodeIntegers(values: Int32Array, count: number, words: Int32Array, hashes: Int32Array): void {
  const seeded = mixWord(HASH_SEED, 0);
  for (let i = 0; i < count; i++) {
    const v = values[i];
    words[2 * i] = 0;
    words[2 * i + 1] = v;
    hashes[i] = finishHash(mixWord(seeded, v));
  }
}

/** `encode` of one BIGINT or TIMESTAMP column without NULLs in one pass: words [0, low, high], the same hashes. */
function encodeBigints(values: BigInt64Array, count: number, words: Int32Array, hashes: Int32Array): void {
  const halves = new Int32Array(values.buffer, values.byteOffset, count * 2);
  const seeded = mixWord(HASH_SEED, 0);
  for (let i = 0; i < count; i++) {
    const lo = halves[2 * i];
    const hi = halves[2 * i + 1];
    words[3 * i] = 0;
    words[3 * i + 1] = lo;
    words[3 * i + 2] = hi;
    hashes[i] = finishHash(mixWord(mixWord(seeded, lo), hi));
  }
}

function encodeColumn(
  layout: KeyLayout,
  column: ColumnBuffers,
  count: number,
  w: number,
  words: Int32Array,
  anyNull: Uint8Array,
): void {
  const { offset, type } = layout;
  const validity = type.kind === 'NULL' ? new Uint8Array((count + 7) >> 3) : column.validity;
  const v = offset + 1;
  // Null word first; value words of a NULL are zeroed so that all NULLs are one key.
  for (let i = 0; i < count; i++) {
    const base = i * w;
    const isNull = validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0 ? 1 : 0;
    words[base + offset] = isNull;
    if (isNull === 1) {
      anyNull[i] = 1;
      for (let k = 0; k < layout.valueWords; k++) words[base + v + k] = 0;
    }
  }
  switch (type.kind) {
    case 'NULL':
      return;
    case 'BOOLEAN': {
      const values = column.values as Uint8Array;
      for (let i = 0; i < count; i++)
        if (words[i * w + offset] === 0) words[i * w + v] = (values[i >> 3] >> (i & 7)) & 1;
      return;
    }
    case 'INTEGER':
    case 'DATE': {
      const values = column.values as Int32Array;
      for (let i = 0; i < count; i++) if (words[i * w + offset] === 0) words[i * w + v] = values[i];
      return;
    }
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP': {
      const values = column.values as BigInt64Array;
      const halves = new Int32Array(values.buffer, values.byteOffset, count * 2);
      for (let i = 0; i < count; i++) {
        if (words[i * w + offset] !== 0) continue;
        words[i * w + v] = halves[2 * i];
        words[i * w + v + 1] = halves[2 * i + 1];
      }
      return;
    }
    case 'DOUBLE': {
      const values = column.values as Float64Array;
      for (let i = 0; i < count; i++) {
        if (words[i * w + offset] !== 0) continue;
        const x = values[i];
        // -0 and 0 are one key, and so are all NaNs.
        SCRATCH_DOUBLE[0] = x === 0 ? 0 : x !== x ? NaN : x;
        words[i * w + v] = SCRATCH_DOUBLE_WORDS[0];
        words[i * w + v + 1] = SCRATCH_DOUBLE_WORDS[1];
      }
      return;
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      const values = column.values as Uint32Array;
      for (let i = 0; i < count; i++) {
        if (words[i * w + offset] !== 0) continue;
        const at = i * w + v;
        words[at] = values[4 * i];
        words[at + 1] = values[4 * i + 1];
        words[at + 2] = values[4 * i + 2];
        words[at + 3] = values[4 * i + 3];
      }
      return;
    }
    case 'VARCHAR': {
      const offsets = column.offsets as Int32Array;
      const bytes = column.values as Uint8Array;
      for (let i = 0; i < count; i++) {
        if (words[i * w + offset] !== 0) continue;
        const start = offsets[i];
        const end = offsets[i + 1];
        words[i * w + v] = end - start;
        words[i * w + v + 1] = hashBytes(bytes, start, end);
      }
      return;
    }
    default:
      throw new InternalError(`cannot hash keys of type ${(type as SqlType).kind}`);
  }
}
