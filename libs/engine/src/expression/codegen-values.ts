import type { SqlType } from '@tributary/common';

/**
 * The generated code's values: every expression node becomes a few locals (`vN` value, `nN`
 * null flag; VARCHAR values stay UTF-8 byte ranges `bN[sN..eN)` until a function needs a JS
 * string). Shared by the code generator and every function family it dispatches to.
 */
/**
 * 'num' a JS number (INTEGER, DOUBLE, DATE, TIMESTAMP; and in fast kernels BIGINT, HUGEINT and
 * DECIMAL unscaled integers, exact while within 2^53); 'big' a JS bigint (BIGINT, HUGEINT and
 * DECIMAL unscaled integers in exact kernels); 'bool'; 'bytes' a UTF-8 range; 'str' a JS string;
 * 'list' a JS array of ListItems (exact: wide integers as bigints; @tributary/common list-values).
 */
export type ValKind = 'num' | 'big' | 'bool' | 'bytes' | 'str' | 'list';

export interface Val {
  readonly kind: ValKind;
  /** Value expression (num/bool/str). */
  readonly v: string;
  /** Byte range (bytes). */
  readonly b: string;
  readonly s: string;
  readonly e: string;
  /** Null flag: a variable or `true`; null when never NULL. */
  readonly n: string | null;
  /** A JS string constant expression for VARCHAR literals, to skip decoding. */
  readonly str?: string;
}

export function valKind(type: SqlType): ValKind {
  switch (type.kind) {
    case 'BOOLEAN':
      return 'bool';
    case 'VARCHAR':
      return 'bytes';
    case 'LIST':
      return 'list';
    default:
      return 'num';
  }
}

export function isDecimal(t: SqlType): t is { kind: 'DECIMAL'; precision: number; scale: number } {
  return t.kind === 'DECIMAL';
}

export function scaleOf(t: SqlType): number {
  return t.kind === 'DECIMAL' ? t.scale : 0;
}

/** Integer and decimal types: their values are unscaled integers (exact kernels hold them in bigints). */
export function isExactNumeric(t: SqlType): boolean {
  return t.kind === 'BIGINT' || t.kind === 'HUGEINT' || t.kind === 'DECIMAL';
}

/** A bigint as JS source. */
export function bigLiteral(x: bigint): string {
  return x < 0n ? `(${x}n)` : `${x}n`;
}

/** The largest integer a double holds exactly: fast kernels leave for exact ones beyond it. */
export const MAX_EXACT_DOUBLE = 9007199254740991;

export function num(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  return x < 0 ? `(${x})` : String(x);
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
/** 2^63 as a double: BIGINT results at or beyond it overflow. */
export const INT64_LIMIT = 9223372036854775808;

/**
 * Thrown (H.needExact() at run time, or while generating a fast kernel that cannot be fast, as
 * for a literal beyond 2^53) to have the exact kernel run instead.
 */
export const NEEDS_EXACT = new Error('the expression needs an exact kernel');
