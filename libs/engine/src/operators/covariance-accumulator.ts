import { BIGINT, DOUBLE, type ColumnBuffers } from '@tributary/common';
import type { Accumulator, AggregateMode } from './accumulator.ts';
import { bigintColumn, growFloat, isNullAt, WORD } from './accumulator-arrays.ts';

export type CovarianceKind = 'corr' | 'covar_pop' | 'covar_samp' | 'regr_slope' | 'regr_intercept';

/** The state columns: count, the two means, the two M2 sums and the co-moment. */
export const COVARIANCE_STATE_TYPES = [BIGINT, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE];

/**
 * corr, covar_pop/covar_samp and regr_slope/regr_intercept of two DOUBLE columns over the
 * rows where both are non-NULL, by Welford's streaming update of means, M2 sums and the
 * co-moment; partial states merge by Chan et al.'s pairwise formula (as DuckDB's own
 * parallel aggregation does). Arguments are (a, b): regr_*(y, x) has y first.
 */
export class CovarianceAccumulator implements Accumulator {
  private n = new Float64Array(0);
  private meanA = new Float64Array(0);
  private meanB = new Float64Array(0);
  private m2A = new Float64Array(0);
  private m2B = new Float64Array(0);
  private co = new Float64Array(0);
  constructor(
    private readonly kind: CovarianceKind,
    private readonly mode: AggregateMode,
  ) {}
  resize(groups: number): void {
    this.n = growFloat(this.n, groups);
    this.meanA = growFloat(this.meanA, groups);
    this.meanB = growFloat(this.meanB, groups);
    this.m2A = growFloat(this.m2A, groups);
    this.m2B = growFloat(this.m2B, groups);
    this.co = growFloat(this.co, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const { n, meanA, meanB, m2A, m2B, co } = this;
    if (this.mode === 'final') {
      const [counts, ma, mb, qa, qb, c] = args;
      const v = counts.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      const [maV, mbV, qaV, qbV, cV] = [ma, mb, qa, qb, c].map((col) => col.values as Float64Array);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (isNullAt(counts.validity, i)) continue;
        const nb = halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
        if (nb === 0) continue;
        const g = ids[i];
        const na = n[g];
        const total = na + nb;
        const da = maV[i] - meanA[g];
        const db = mbV[i] - meanB[g];
        const weight = (na * nb) / total;
        m2A[g] += qaV[i] + da * da * weight;
        m2B[g] += qbV[i] + db * db * weight;
        co[g] += cV[i] + da * db * weight;
        meanA[g] += (da * nb) / total;
        meanB[g] += (db * nb) / total;
        n[g] = total;
      }
      return;
    }
    const [a, b] = args;
    const aValues = a.values as Float64Array;
    const bValues = b.values as Float64Array;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (isNullAt(a.validity, i) || isNullAt(b.validity, i)) continue;
      const g = ids[i];
      const x = aValues[i];
      const y = bValues[i];
      const count = ++n[g];
      const da = x - meanA[g];
      meanA[g] += da / count;
      const db = y - meanB[g];
      meanB[g] += db / count;
      m2A[g] += da * (x - meanA[g]);
      m2B[g] += db * (y - meanB[g]);
      co[g] += da * (y - meanB[g]);
    }
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    const length = end - start;
    const double = (values: Float64Array): ColumnBuffers => ({
      type: DOUBLE,
      length,
      values: values.slice(start, end),
      validity: undefined,
    });
    return [
      bigintColumn(this.n, start, end, undefined),
      double(this.meanA),
      double(this.meanB),
      double(this.m2A),
      double(this.m2B),
      double(this.co),
    ];
  }
  emit(start: number, end: number): ColumnBuffers[] {
    if (this.mode === 'partial') return this.emitState(start, end);
    const length = end - start;
    const values = new Float64Array(length);
    const validity = new Uint8Array((length + 7) >> 3);
    let nulls = 0;
    for (let k = 0; k < length; k++) {
      const v = this.result(start + k);
      if (v === null) {
        nulls++;
        continue;
      }
      values[k] = v;
      validity[k >> 3] |= 1 << (k & 7);
    }
    return [{ type: DOUBLE, length, values, validity: nulls === 0 ? undefined : validity }];
  }
  /** DuckDB's finalizers: NULL without rows; NaN (0/0) where a deviation it divides by is 0. */
  private result(g: number): number | null {
    const count = this.n[g];
    if (count === 0) return null;
    const covariance = this.co[g] / count;
    switch (this.kind) {
      case 'covar_pop':
        return covariance;
      case 'covar_samp':
        return count < 2 ? null : this.co[g] / (count - 1);
      case 'corr': {
        const sa = count > 1 ? Math.sqrt(this.m2A[g] / count) : 0;
        const sb = count > 1 ? Math.sqrt(this.m2B[g] / count) : 0;
        return covariance / (sa * sb);
      }
      case 'regr_slope':
      case 'regr_intercept': {
        // regr_*(y, x): a is y, b is x.
        const varianceX = this.m2B[g] / count;
        const slope = covariance / varianceX;
        if (this.kind === 'regr_slope') return slope;
        // DuckDB's intercept is NULL (not NaN) where the slope is undefined.
        return Number.isNaN(slope) ? null : this.meanA[g] - slope * this.meanB[g];
      }
    }
  }
  memoryBytes(): number {
    return 6 * this.n.byteLength;
  }
}
