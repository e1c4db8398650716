import {
  BIGINT,
  BindError,
  decimal,
  DOUBLE,
  INTEGER,
  MAX_DECIMAL_PRECISION,
  parseDecimal,
  type SqlPosition,
} from '@tributary/common';
import { literal, type LiteralExpr } from '@tributary/plan';

const INT32_MAX = 2147483647;

/**
 * A numeric literal typed the way DuckDB types it: INTEGER when it fits 32 bits, else
 * BIGINT; `1.50` is DECIMAL(3,2) (digits as written); exponents and huge values are DOUBLE.
 */
export function numberLiteral(raw: unknown, position: SqlPosition | undefined): LiteralExpr {
  const text = String(raw).trim();
  if (/^[+-]?\d+$/.test(text)) {
    const n = Number(text);
    if (Math.abs(n) <= INT32_MAX) return literal(n, INTEGER);
    if (Number.isSafeInteger(n)) return literal(n, BIGINT);
    return literal(n, DOUBLE);
  }
  const m = /^([+-]?)(\d*)\.(\d*)$/.exec(text);
  if (m) {
    const scale = m[3].length;
    const precision = Math.max(m[2].length + scale, scale, 1);
    const unscaled = parseDecimal(text, scale);
    if (precision <= MAX_DECIMAL_PRECISION && unscaled !== undefined && Number.isSafeInteger(unscaled)) {
      return literal(unscaled, decimal(precision, scale));
    }
    return literal(Number(text), DOUBLE);
  }
  const n = Number(text);
  if (Number.isNaN(n)) throw new BindError('TYPE_MISMATCH', `invalid number "${text}"`, { position });
  return literal(n, DOUBLE);
}
