/**
 * DECIMAL(p,s) values are carried as their unscaled integer in a JS number (exact while
 * |unscaled| < 2^53, which covers DECIMAL(15,2) sums over billions of rows).
 */
const POWERS_OF_TEN = Array.from({ length: 39 }, (_, i) => 10 ** i);

export function powerOfTen(exponent: number): number {
  return POWERS_OF_TEN[exponent];
}

/** Parses decimal text into its unscaled integer at `scale`, rounding half away from zero. */
export function parseDecimal(text: string, scale: number): number | undefined {
  const m = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return undefined;
  if (m[4] !== undefined) {
    const value = Number(text);
    return Number.isFinite(value) ? Math.round(value * POWERS_OF_TEN[scale]) : undefined;
  }
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] === '' ? 0 : Number(m[2]);
  const fraction = m[3] ?? '';
  const kept = fraction.slice(0, scale).padEnd(scale, '0');
  let unscaled = whole * POWERS_OF_TEN[scale] + (kept === '' ? 0 : Number(kept));
  if (fraction.length > scale && fraction.charCodeAt(scale) >= 53 /* '5' */) unscaled += 1;
  return sign * unscaled;
}

/** Formats an unscaled integer at `scale` as exact decimal text: 1234, 2 → "12.34". */
export function formatDecimal(unscaled: number, scale: number): string {
  const negative = unscaled < 0;
  const digits = BigInt(Math.abs(Math.round(unscaled))).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** Rescales an unscaled integer from one scale to another, rounding half away from zero. */
export function rescaleDecimal(unscaled: number, fromScale: number, toScale: number): number {
  if (toScale >= fromScale) return unscaled * POWERS_OF_TEN[toScale - fromScale];
  const divisor = POWERS_OF_TEN[fromScale - toScale];
  const q = Math.abs(unscaled) / divisor;
  const rounded = Math.floor(q + 0.5);
  return unscaled < 0 ? -rounded : rounded;
}

// ---- exact (BigInt) forms, for values beyond 2^53: DECIMAL up to 38 digits, BIGINT, HUGEINT

const BIG_POWERS_OF_TEN = Array.from({ length: 80 }, (_, i) => 10n ** BigInt(i));

export function bigPowerOfTen(exponent: number): bigint {
  return BIG_POWERS_OF_TEN[exponent] ?? 10n ** BigInt(exponent);
}

/** Divides by 10^digits, rounding half away from zero (DuckDB's decimal rounding). */
export function bigDivideRound(value: bigint, digits: number): bigint {
  if (digits <= 0) return value * bigPowerOfTen(-digits);
  const divisor = bigPowerOfTen(digits);
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return negative ? -q : q;
}

/** Rescales an unscaled integer from one scale to another, rounding half away from zero. */
export function bigRescale(value: bigint, fromScale: number, toScale: number): bigint {
  return toScale >= fromScale
    ? value * bigPowerOfTen(toScale - fromScale)
    : bigDivideRound(value, fromScale - toScale);
}

/**
 * Parses number text as DuckDB casts it to DECIMAL or an integer type: optional sign and
 * surrounding spaces, digits with `_` separators, a fraction, an exponent; the exact value
 * rounded half away from zero at `scale`. Undefined when the text is not a number.
 */
export function parseExactDecimal(text: string, scale: number): bigint | undefined {
  const m = /^\s*([+-])?(\d[\d_]*)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || (m[2] === undefined && (m[3] === undefined || m[3] === ''))) return undefined;
  if (m[2]?.endsWith('_') || m[2]?.includes('__')) return undefined;
  const whole = (m[2] ?? '').replace(/_/g, '');
  const fraction = m[3] ?? '';
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  if (Math.abs(exponent) > 400) return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  // digits × 10^(exponent − fraction.length) at `scale`.
  const shift = scale + exponent - fraction.length;
  const value = shift >= 0 ? digits * bigPowerOfTen(shift) : bigDivideRound(digits, -shift);
  return m[1] === '-' ? -value : value;
}

/** Parses integer text as DuckDB casts it: decimal text rounds half away, 0x… is hexadecimal. */
export function parseExactInteger(text: string): bigint | undefined {
  const hex = /^\s*([+-])?0[xX]([0-9a-fA-F]+)\s*$/.exec(text);
  if (hex) return hex[1] === '-' ? -BigInt(`0x${hex[2]}`) : BigInt(`0x${hex[2]}`);
  return parseExactDecimal(text, 0);
}

/** Formats an exact unscaled integer at `scale`: 1234n, 2 → "12.34". */
export function formatExactDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** The inclusive bounds of an integer type (INTEGER, BIGINT, HUGEINT), for range checks. */
export const INTEGER_BOUNDS = {
  INTEGER: [-(2n ** 31n), 2n ** 31n - 1n],
  BIGINT: [-(2n ** 63n), 2n ** 63n - 1n],
  HUGEINT: [-(2n ** 127n), 2n ** 127n - 1n],
} as const;
