import {
  BIGINT,
  BindError,
  DATE,
  INTEGER,
  isTemporal,
  isZoned,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIME,
  typeToString,
  type SqlPosition,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { castTo } from './coerce.ts';
import type { AstNode } from './sql-ast.ts';

/** An INTERVAL literal as whole months, days and microseconds, as DuckDB keeps one. */
export interface Interval {
  readonly months: number;
  readonly days: number;
  readonly micros: number;
}

const UNITS: Record<string, Interval> = {
  day: { months: 0, days: 1, micros: 0 },
  week: { months: 0, days: 7, micros: 0 },
  month: { months: 1, days: 0, micros: 0 },
  quarter: { months: 3, days: 0, micros: 0 },
  year: { months: 12, days: 0, micros: 0 },
  hour: { months: 0, days: 0, micros: 3_600_000_000 },
  minute: { months: 0, days: 0, micros: 60_000_000 },
  second: { months: 0, days: 0, micros: 1_000_000 },
  millisecond: { months: 0, days: 0, micros: 1000 },
  microsecond: { months: 0, days: 0, micros: 1 },
};

/** `INTERVAL '90' DAY`, `INTERVAL 3 MONTH`, `INTERVAL '1 year 2 months'`; undefined for other forms. */
export function parseInterval(node: AstNode): Interval | undefined {
  const text = String((node.expr as AstNode | undefined)?.value ?? '');
  return parseIntervalText(text, String(node.unit ?? ''), { fractions: false });
}

/**
 * The INTERVAL step of generate_series(a, b, INTERVAL …) or range(…) over timestamps;
 * undefined for any other call (an integer series, another function). An INTERVAL there that
 * is no literal of whole units is refused.
 */
export function seriesStep(name: string, argNodes: readonly AstNode[]): Interval | undefined {
  if (
    (name !== 'generate_series' && name !== 'range') ||
    argNodes.length !== 3 ||
    argNodes[2].type !== 'interval'
  )
    return undefined;
  const step = parseInterval(argNodes[2]);
  if (!step)
    throw new BindError('UNSUPPORTED_FEATURE', `${name}() takes an INTERVAL step of whole units only`, {
      details: { feature: 'interval step' },
    });
  return step;
}

/**
 * An interval's text and unit (`'3'` DAY, `'1 year 2 months'` with no unit) as months, days
 * and microseconds; undefined for other forms. Several `<n> <unit>` parts may follow each
 * other, as in DuckDB and PostgreSQL. `fractions` admits amounts like `1.5` (window frames).
 */
export function parseIntervalText(
  text: string,
  unitText: string,
  options: { fractions: boolean },
): Interval | undefined {
  const unitOf = (word: string): Interval | undefined => UNITS[word.toLowerCase().replace(/s$/, '')];
  const valid = (n: number): boolean => (options.fractions ? Number.isFinite(n) : Number.isInteger(n));
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (unitText.trim() !== '') {
    const per = unitOf(unitText.trim());
    const amount = Number(trimmed);
    if (!per || !valid(amount)) return undefined;
    return { months: per.months * amount, days: per.days * amount, micros: per.micros * amount };
  }
  const part = options.fractions
    ? /^\s*([-+]?\d+(?:\.\d+)?)\s*([a-z]+)\s*/i
    : /^\s*([-+]?\d+)\s*([a-z]+)\s*/i;
  let rest = trimmed;
  let months = 0;
  let days = 0;
  let micros = 0;
  while (rest !== '') {
    const m = part.exec(rest);
    const per = m ? unitOf(m[2]) : undefined;
    if (!m || !per) return undefined;
    months += per.months * Number(m[1]);
    days += per.days * Number(m[1]);
    micros += per.micros * Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  return { months, days, micros };
}

/**
 * `base ± interval` as date_add_months / date_add_days, then timestamp_add_micros for a time
 * part; a TIMESTAMP (WITH TIME ZONE when the base has one), as in DuckDB.
 */
export function addInterval(
  baseIn: Expr,
  interval: Interval,
  sign: 1 | -1,
  position: SqlPosition | undefined,
): Expr {
  let base = baseIn;
  if (base.kind === 'literal' && base.type.kind === 'VARCHAR')
    base = castTo(base, String(base.value).includes(':') ? TIMESTAMP : DATE, position);
  // A time of day moves by the interval's time part around the clock; its days and months
  // do not move it (DuckDB's TIME + INTERVAL 1 DAY is the same time).
  if (base.type.kind === 'TIME')
    return call('time_add_micros', [base, literal(sign * interval.micros, BIGINT)], TIME);
  if (!isTemporal(base.type)) {
    throw new BindError('TYPE_MISMATCH', `cannot add an INTERVAL to ${typeToString(base.type)}`, {
      position,
    });
  }
  const timestamp = isZoned(base.type) ? TIMESTAMPTZ : TIMESTAMP;
  let result = base;
  if (interval.months !== 0)
    result = call('date_add_months', [result, literal(sign * interval.months, INTEGER)], base.type);
  if (interval.days !== 0 || (interval.months === 0 && interval.micros === 0))
    result = call('date_add_days', [result, literal(sign * interval.days, INTEGER)], base.type);
  if (interval.micros !== 0)
    result = call(
      'timestamp_add_micros',
      [castTo(result, timestamp), literal(sign * interval.micros, BIGINT)],
      timestamp,
    );
  // DuckDB's DATE ± INTERVAL is a TIMESTAMP; comparisons with DATEs narrow it back (coerce.ts).
  return castTo(result, timestamp);
}
