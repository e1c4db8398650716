import { BIGINT, DOUBLE, type ColumnBuffers } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { bigintColumn, growFloat, isNullAt, WORD } from './accumulator-arrays.ts';

export type VarianceKind = 'stddev_samp' | 'stddev_pop' | 'var_samp' | 'var_pop';

/** The state columns of a variance: count, mean and the sum of squared deviations (M2). */
export const VARIANCE_STATE_TYPES = [BIGINT, DOUBLE, DOUBLE];

/**
 * stddev/variance, sample or population, over DOUBLE input, by Welford's streaming update
 * (numerically stable, unlike sum of squares minus square of sum). Partial states (count,
 * mean, M2) merge by Chan et al.'s pairwise formula, so the split computes the same numbers
 * as DuckDB's own parallel aggregation. Sample variants are NULL below two values,
 * population variants below one.
 */
export class VarianceAccumulator implements Accumulator {
  private counts = new Float64Array(0);
  private means = new Float64Array(0);
  private m2s = new Float64Array(0);
  constructor(
    private readonly kind: VarianceKind,
    private readonly mode: 'single' | 'partial' | 'final',
  ) {}
  resize(groups: number): void {
    this.counts = growFloat(this.counts, groups);
    this.means = growFloat(this.means, groups);
    this.m2s = growFloat(this.m2s, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const counts = this.counts;
    const means = this.means;
    const m2s = this.m2s;
    if (this.mode === 'final') {
      const [n, mean, m2] = args;
      const v = n.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      const meanValues = mean.values as Float64Array;
      const m2Values = m2.values as Float64Array;
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (isNullAt(n.validity, i)) continue;
        const nb = halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
        if (nb === 0) continue;
        const g = ids[i];
        const na = counts[g];
        const total = na + nb;
        const delta = meanValues[i] - means[g];
        means[g] += (delta * nb) / total;
        m2s[g] += m2Values[i] + (delta * delta * na * nb) / total;
        counts[g] = total;
      }
      return;
    }
    const column = args[0];
    const values = column.values as Float64Array;
    const validity = column.validity;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      const x = values[i];
      const n = ++counts[g];
      const delta = x - means[g];
      means[g] += delta / n;
      m2s[g] += delta * (x - means[g]);
    }
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    return [
      bigintColumn(this.counts, start, end, undefined),
      { type: DOUBLE, length: n, values: this.means.slice(start, end), validity: undefined },
      { type: DOUBLE, length: n, values: this.m2s.slice(start, end), validity: undefined },
    ];
  }
  emit(start: number, end: number): ColumnBuffers[] {
    if (this.mode === 'partial') return this.emitState(start, end);
    const n = end - start;
    const values = new Float64Array(n);
    const validity = new Uint8Array((n + 7) >> 3);
    const sample = this.kind === 'stddev_samp' || this.kind === 'var_samp';
    const root = this.kind === 'stddev_samp' || this.kind === 'stddev_pop';
    let nulls = 0;
    for (let k = 0; k < n; k++) {
      const count = this.counts[start + k];
      if (count < (sample ? 2 : 1)) {
        nulls++;
        continue;
      }
      const variance = this.m2s[start + k] / (sample ? count - 1 : count);
      values[k] = root ? Math.sqrt(variance) : variance;
      validity[k >> 3] |= 1 << (k & 7);
    }
    return [{ type: DOUBLE, length: n, values, validity: nulls === 0 ? undefined : validity }];
  }
  memoryBytes(): number {
    return this.counts.byteLength + this.means.byteLength + this.m2s.byteLength;
  }
}
