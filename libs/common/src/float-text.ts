/** Python/DuckDB style shortest double text: 1.0, 0.1, 1e+16, 1e-07, nan, inf. */
export function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const exp = v.toExponential();
  const at = exp.indexOf('e');
  const e = Number(exp.slice(at + 1));
  if (e >= -4 && e < 16) {
    // JS prints this range without an exponent.
    const text = String(v);
    return text.includes('.') ? text : `${text}.0`;
  }
  const mantissa = exp.slice(0, at);
  const sign = e < 0 ? '-' : '+';
  const digits = String(Math.abs(e)).padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}

/**
 * The shortest decimal that reads back as the same 32-bit float `v`, as a double: FLOAT's
 * 0.1 is held as 0.100000001490116…, and shown as 0.1, as DuckDB and Postgres show it.
 */
export function shortestFloat(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let digits = 1; digits < 9; digits++) {
    const d = Number(v.toPrecision(digits));
    if (Math.fround(d) === v) return d;
  }
  return Number(v.toPrecision(9));
}

/** A FLOAT's text as DuckDB casts it to VARCHAR: its shortest digits, formatDouble's form. */
export function formatFloat(v: number): string {
  return formatDouble(shortestFloat(v));
}

const SPECIAL_DOUBLES: Record<string, number> = { nan: NaN, inf: Infinity, infinity: Infinity };

/**
 * Text as DuckDB casts it to DOUBLE or FLOAT: optional sign and surrounding spaces, digits
 * with `_` separators, a fraction, an exponent; `nan`, `inf` and `infinity` in any case.
 * Undefined when the text is not a number.
 */
export function parseDoubleText(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const m = /^([+-]?)(nan|inf|infinity)$/.exec(t);
  if (m) return m[1] === '-' ? -SPECIAL_DOUBLES[m[2]] : SPECIAL_DOUBLES[m[2]];
  if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+(_\d+)*)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}
