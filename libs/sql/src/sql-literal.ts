import {
  BIGINT,
  BindError,
  decimal,
  DOUBLE,
  HUGEINT,
  INTEGER,
  MAX_DECIMAL_PRECISION,
  type SqlPosition,
} from '@tributary/common';
import { literal, type LiteralExpr } from '@tributary/plan';

const INT32_MAX = 2147483647n;
const INT64_MAX = 9223372036854775807n;
const INT128_MAX = (1n << 127n) - 1n;

/** An exact integer as a literal value: a number while safe, else its decimal text. */
export function exactLiteralValue(value: bigint): number | string {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

/**
 * A numeric literal typed the way DuckDB types it: INTEGER when it fits 32 bits, BIGINT 64,
 * HUGEINT 128, else DOUBLE; `1.50` is DECIMAL(3,2) (digits as written, up to 38); exponents
 * and longer decimals are DOUBLE. Values stay exact (see LiteralExpr).
 */
export function numberLiteral(raw: unknown, position: SqlPosition | undefined): LiteralExpr {
  const text = String(raw).trim();
  if (/^[+-]?\d+$/.test(text)) {
    const n = BigInt(text);
    const magnitude = n < 0n ? -n : n;
    // DuckDB types -2147483648 BIGINT (the magnitude decides) but -2^63 BIGINT too.
    if (magnitude <= INT32_MAX) return literal(Number(n), INTEGER);
    if (n >= -INT64_MAX - 1n && n <= INT64_MAX) return literal(exactLiteralValue(n), BIGINT);
    if (magnitude <= INT128_MAX) return literal(exactLiteralValue(n), HUGEINT);
    return literal(Number(text), DOUBLE);
  }
  const m = /^([+-]?)(\d*)\.(\d*)$/.exec(text);
  if (m) {
    const scale = m[3].length;
    // DuckDB counts the digits as written, leading zeros too: 00.50 is DECIMAL(4,2).
    const precision = Math.max(m[2].length + scale, 1);
    if (precision <= MAX_DECIMAL_PRECISION) {
      const unscaled = BigInt(`${m[1]}${m[2] || '0'}${m[3]}`);
      return literal(exactLiteralValue(unscaled), decimal(precision, scale));
    }
    return literal(Number(text), DOUBLE);
  }
  const n = Number(text);
  if (Number.isNaN(n)) throw new BindError('TYPE_MISMATCH', `invalid number "${text}"`, { position });
  return literal(n, DOUBLE);
}
