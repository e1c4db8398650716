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
