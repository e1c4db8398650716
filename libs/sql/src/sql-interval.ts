import {
  BindError,
  DATE,
  INTEGER,
  isTemporal,
  TIMESTAMP,
  typeToString,
  type SqlPosition,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { castTo } from './coerce.ts';
import type { AstNode } from './sql-ast.ts';

/** An INTERVAL literal as whole months and days, the two units dates are shifted by. */
export interface Interval {
  readonly months: number;
  readonly days: number;
}

const UNITS: Record<string, Interval> = {
  day: { months: 0, days: 1 },
  week: { months: 0, days: 7 },
  month: { months: 1, days: 0 },
  quarter: { months: 3, days: 0 },
  year: { months: 12, days: 0 },
};

/** `INTERVAL '90' DAY`, `INTERVAL 3 MONTH`, `INTERVAL '1 year 2 months'`; undefined for other forms. */
export function parseInterval(node: AstNode): Interval | undefined {
  const text = String((node.expr as AstNode | undefined)?.value ?? '').trim();
  const unit = String(node.unit ?? '').toLowerCase();
  if (unit !== '') {
    const per = UNITS[unit.replace(/s$/, '')];
    const amount = Number(text);
    if (!per || text === '' || !Number.isInteger(amount)) return undefined;
    return { months: per.months * amount, days: per.days * amount };
  }
  // Several `<n> <unit>` parts may follow each other, as in DuckDB and PostgreSQL.
  const part = /^\s*([-+]?\d+)\s*([a-z]+)\s*/i;
  let rest = text;
  let months = 0;
  let days = 0;
  while (rest !== '') {
    const m = part.exec(rest);
    const per = m ? UNITS[m[2].toLowerCase().replace(/s$/, '')] : undefined;
    if (!m || !per) return undefined;
    months += per.months * Number(m[1]);
    days += per.days * Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  return text === '' ? undefined : { months, days };
}

/** `base ± interval` as date_add_months / date_add_days, keeping the base's type. */
export function addInterval(
  baseIn: Expr,
  interval: Interval,
  sign: 1 | -1,
  position: SqlPosition | undefined,
): Expr {
  let base = baseIn;
  if (base.kind === 'literal' && base.type.kind === 'VARCHAR')
    base = castTo(base, String(base.value).includes(':') ? TIMESTAMP : DATE, position);
  if (!isTemporal(base.type)) {
    throw new BindError('TYPE_MISMATCH', `cannot add an INTERVAL to ${typeToString(base.type)}`, {
      position,
    });
  }
  let result = base;
  if (interval.months !== 0)
    result = call('date_add_months', [result, literal(sign * interval.months, INTEGER)], base.type);
  if (interval.days !== 0 || interval.months === 0)
    result = call('date_add_days', [result, literal(sign * interval.days, INTEGER)], base.type);
  return result;
}
