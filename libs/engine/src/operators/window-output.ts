import { InternalError, type ColumnBuffers, type SqlType } from '@tributary/common';
import { interleave } from '../kernels/interleave.ts';
import { nullColumn } from './record-batch-column.ts';

const WORD = 4294967296;

/**
 * A numeric window result over a chunk: a number per row and whether it is set; rows whose
 * exact value does not fit a double (big HUGEINT/DECIMAL sums) carry it in `exact`.
 */
export class NumericOutput {
  readonly values: Float64Array;
  readonly valid: Uint8Array;
  readonly exact = new Map<number, bigint>();

  constructor(
    readonly type: SqlType,
    readonly rows: number,
  ) {
    this.values = new Float64Array(rows);
    this.valid = new Uint8Array(rows);
  }

  set(i: number, v: number): void {
    this.values[i] = v;
    this.valid[i] = 1;
  }

  setExact(i: number, v: bigint): void {
    this.exact.set(i, v);
    this.valid[i] = 1;
  }

  finish(): ColumnBuffers {
    const n = this.rows;
    let validity: Uint8Array | undefined;
    for (let i = 0; i < n; i++) {
      if (this.valid[i]) continue;
      validity ??= new Uint8Array((n + 7) >> 3).fill(0xff);
      validity[i >> 3] &= ~(1 << (i & 7));
    }
    const type = this.type;
    switch (type.kind) {
      case 'DOUBLE':
        return { type, length: n, values: this.values, validity };
      case 'BIGINT': {
        const out = new BigInt64Array(n);
        const words = new Int32Array(out.buffer);
        for (let i = 0; i < n; i++) {
          const big = this.exact.get(i);
          if (big !== undefined) {
            out[i] = BigInt.asIntN(64, big);
            continue;
          }
          const v = this.values[i];
          const hi = Math.floor(v / WORD);
          words[2 * i] = (v - hi * WORD) | 0;
          words[2 * i + 1] = hi | 0;
        }
        return { type, length: n, values: out, validity };
      }
      case 'DECIMAL':
      case 'HUGEINT': {
        const out = new Uint32Array(4 * n);
        for (let i = 0; i < n; i++) {
          const big = this.exact.get(i);
          if (big !== undefined) {
            let u = BigInt.asUintN(128, big);
            for (let k = 0; k < 4; k++) {
              out[4 * i + k] = Number(u & 0xffffffffn);
              u >>= 32n;
            }
            continue;
          }
          const v = this.values[i];
          const hi = Math.floor(v / WORD);
          out[4 * i] = v - hi * WORD;
          out[4 * i + 1] = hi;
          const sign = v < 0 ? 0xffffffff : 0;
          out[4 * i + 2] = sign;
          out[4 * i + 3] = sign;
        }
        return { type, length: n, values: out, validity };
      }
      case 'INTEGER': {
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) out[i] = this.values[i];
        return { type, length: n, values: out, validity };
      }
      default:
        throw new InternalError(`a numeric window result cannot be ${type.kind}`);
    }
  }
}

/**
 * A window result that copies values of an argument column: per row the index of the row to
 * copy, -1 for the fallback (the row's own value of a default column, else NULL) or -2 for NULL.
 */
export class GatherOutput {
  readonly from: Int32Array;

  constructor(
    readonly source: ColumnBuffers,
    readonly rows: number,
    readonly fallback?: ColumnBuffers,
  ) {
    this.from = new Int32Array(rows);
  }

  finish(): ColumnBuffers {
    const n = this.rows;
    if (this.source.type.kind === 'NULL') return nullColumn(this.source.type, n);
    const sources = new Uint32Array(n);
    const within = new Uint32Array(n);
    const none = nullColumn(this.source.type, 1);
    for (let i = 0; i < n; i++) {
      const j = this.from[i];
      if (j >= 0) within[i] = j;
      else if (j === -1 && this.fallback) {
        sources[i] = 1;
        within[i] = i;
      } else sources[i] = 2;
    }
    return interleave([this.source, this.fallback ?? none, none], sources, within, n);
  }
}
