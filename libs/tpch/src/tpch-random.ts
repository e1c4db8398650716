/**
 * Random numbers that can be positioned at any row, so that any range of rows can be made on
 * any worker thread and the files come out the same whatever the split.
 *
 * `RowRandom` is reseeded at the start of every row from (stream, row) by a hash, then draws
 * a short sequence (mulberry32) for that row's columns.
 */
export class RowRandom {
  private state = 0;

  constructor(private readonly stream: number) {}

  /** Starts row `row` (0-based; up to 2^53) of this stream. */
  seek(row: number): this {
    const low = row >>> 0;
    const high = Math.floor(row / 4294967296) >>> 0;
    let h =
      Math.imul(this.stream ^ 0x5bd1e995, 0x9e3779b1) ^
      Math.imul(low, 0x85ebca77) ^
      Math.imul(high, 0xc2b2ae3d);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    this.state = h;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

const PARK_MILLER_MODULUS = 2147483647;
const PARK_MILLER_MULTIPLIER = 16807;
/** dbgen's seed for the lines-per-order stream (O_LCNT_SD). */
const LINE_COUNT_SEED = 1434868289;

function powMod(base: number, exponent: number, modulus: number): number {
  let result = 1n;
  let b = BigInt(base) % BigInt(modulus);
  let e = BigInt(exponent);
  const m = BigInt(modulus);
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return Number(result);
}

/**
 * The number of lineitems of each order (1 to 7, clause 4.2.3) drawn exactly as dbgen does,
 * from its Park–Miller stream with one draw per order, so that every scale factor has
 * dbgen's lineitem count (60,175 at SF 0.01, 6,001,215 at SF 1). Seeking to order n is a
 * modular power.
 */
export class LineCountStream {
  private state: number;

  constructor(firstOrder: number) {
    this.state = Number(
      (BigInt(LINE_COUNT_SEED) * BigInt(powMod(PARK_MILLER_MULTIPLIER, firstOrder, PARK_MILLER_MODULUS))) %
        BigInt(PARK_MILLER_MODULUS),
    );
  }

  next(): number {
    // state × 16807 < 2^46: exact in a double.
    this.state = (this.state * PARK_MILLER_MULTIPLIER) % PARK_MILLER_MODULUS;
    return 1 + Math.floor((this.state / PARK_MILLER_MODULUS) * 7);
  }
}
