/**
 * Sums of DOUBLE values over arbitrary ranges of one partition, each in O(log n), from a
 * bottom-up segment tree: a frame's sum adds O(log n) partial sums of its own rows, so it
 * is as accurate as adding the frame directly, where differences of prefix sums would lose
 * the digits that the rows before the frame occupy. DuckDB sums windows the same way.
 */
export class SegmentTreeSum {
  private readonly tree: Float64Array;
  private readonly size: number;

  constructor(values: Float64Array, valid: (i: number) => boolean, from: number, to: number) {
    const n = to - from;
    let size = 1;
    while (size < n) size <<= 1;
    this.size = size;
    this.tree = new Float64Array(2 * size);
    for (let k = 0; k < n; k++) this.tree[size + k] = valid(from + k) ? values[from + k] : 0;
    for (let k = size - 1; k >= 1; k--) this.tree[k] = this.tree[2 * k] + this.tree[2 * k + 1];
  }

  /** The sum of positions [start, end) relative to the partition's first row. */
  sum(start: number, end: number): number {
    let left = 0;
    let right = 0;
    let lo = start + this.size;
    let hi = end + this.size;
    // Left and right parts are gathered separately so the additions keep the rows' order.
    while (lo < hi) {
      if (lo & 1) left += this.tree[lo++];
      if (hi & 1) right = this.tree[--hi] + right;
      lo >>= 1;
      hi >>= 1;
    }
    return left + right;
  }
}
