import type { ColumnStatistics, LiteralValue } from '@tributary/plan';
import { estimateDistinct, rangesDisjoint } from './estimate-distinct.ts';

type Comparable = number | string | boolean;

interface Part {
  rows: number;
  distinct: number;
  min?: Comparable;
  max?: Comparable;
}

function less(a: Comparable, b: Comparable): boolean {
  return a < b;
}

/**
 * What a sample of a column's values says of the whole column: min/max, the share of NULLs
 * and a distinct estimate. The sample comes in parts (chunks read at several places of a
 * file, rowid ranges of a table), because a sample read in pieces of consecutive rows tells a
 * clustered column (sorted keys: each piece holds its own values) from a spread one: the
 * former's distinct count grows with the rows, at the rate values change within a piece; the
 * latter's is estimated from the frequencies of the values over all pieces (Duj1).
 * Values are in the literal representation of the column's type; a text stand-in for a
 * number beyond 2^53 counts for distinctness but not for min/max.
 */
export class ColumnSample {
  private readonly counts = new Map<LiteralValue, number>();
  private readonly parts: Part[] = [];
  private partValues = new Set<LiteralValue>();
  private rows = 0;
  private nulls = 0;
  private min: Comparable | undefined;
  private max: Comparable | undefined;

  constructor(private readonly numeric: boolean) {}

  /** Starts a new piece of consecutive rows. */
  startPart(): void {
    this.closePart();
    this.parts.push({ rows: 0, distinct: 0 });
  }

  add(value: LiteralValue): void {
    if (this.parts.length === 0) this.parts.push({ rows: 0, distinct: 0 });
    const part = this.parts[this.parts.length - 1];
    this.rows++;
    part.rows++;
    if (value === null) {
      this.nulls++;
      return;
    }
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
    this.partValues.add(value);
    if (this.numeric && typeof value === 'string') return;
    if (part.min === undefined || less(value, part.min)) part.min = value;
    if (part.max === undefined || less(part.max, value)) part.max = value;
    if (this.min === undefined || less(value, this.min)) this.min = value;
    if (this.max === undefined || less(this.max, value)) this.max = value;
  }

  private closePart(): void {
    if (this.parts.length > 0) this.parts[this.parts.length - 1].distinct = this.partValues.size;
    this.partValues = new Set();
  }

  /**
   * Statistics for a column of `totalRows` rows, exact when the sample covered them all;
   * otherwise `sampled` marks min/max as the sample's, not hard bounds.
   */
  statistics(totalRows: number): ColumnStatistics {
    this.closePart();
    const exact = this.rows >= totalRows;
    const nullCount = exact ? this.nulls : Math.round((this.nulls / Math.max(1, this.rows)) * totalRows);
    const nonNullTotal = Math.max(0, totalRows - nullCount);
    const distinctCount = exact
      ? this.counts.size
      : Math.min(nonNullTotal, this.estimateDistinct(nonNullTotal));
    return {
      ...(this.min === undefined ? {} : { min: this.min, max: this.max }),
      nullCount,
      distinctCount,
      ...(exact ? {} : { sampled: true }),
    };
  }

  private estimateDistinct(nonNullTotal: number): number {
    const seen = this.counts.size;
    const valued = this.parts.filter((p) => p.min !== undefined && p.max !== undefined);
    const nonNullSampled = this.rows - this.nulls;
    if (valued.length >= 2 && valued.length === this.parts.filter((p) => p.rows > 0).length) {
      if (rangesDisjoint(valued)) {
        // Clustered: each piece holds its own run of values; extrapolate the rate at which
        // the value changes from one row to the next within a piece.
        const changes = valued.reduce((s, p) => s + Math.max(0, p.distinct - 1), 0);
        const steps = valued.reduce((s, p) => s + Math.max(0, p.rows - 1), 0);
        const rate = steps === 0 ? 0 : changes / steps;
        return Math.round(Math.max(seen, 1 + (nonNullTotal - 1) * rate));
      }
    }
    return estimateDistinct(this.counts.values(), nonNullSampled, nonNullTotal);
  }
}
