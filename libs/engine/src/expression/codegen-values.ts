import type { SqlType } from '@tributary/common';

/**
 * The generated code's values: every expression node becomes a few locals (`vN` value, `nN`
 * null flag; VARCHAR values stay UTF-8 byte ranges `bN[sN..eN)` until a function needs a JS
 * string). Shared by the code generator and every function family it dispatches to.
 */
export type ValKind = 'num' | 'bool' | 'bytes' | 'str';

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
