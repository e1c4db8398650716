import {
  decimal,
  DOUBLE,
  HUGEINT,
  isFloat,
  isInteger,
  MAX_DECIMAL_PRECISION,
  type SqlType,
} from '@tributary/common';

/**
 * SUM's result type, over a table or a window frame, as DuckDB types it: integers (and the
 * untyped NULL) add up into a 128-bit HUGEINT, so a sum never overflows 64 bits; DECIMAL(p,s)
 * into DECIMAL(38,s); FLOATs as the doubles they are held in, a DOUBLE.
 */
export function sumType(t: SqlType): SqlType {
  if (t.kind === 'DECIMAL') return decimal(MAX_DECIMAL_PRECISION, t.scale);
  if (t.kind === 'NULL' || isInteger(t)) return HUGEINT;
  return isFloat(t) ? DOUBLE : t;
}
