import {
  addMonthsToDate,
  parseDate,
  parseTimestamp,
  powerOfTen,
  rescaleDecimal,
  type SqlType,
  int32Range,
  isFloat,
  isZoned,
  parseTime,
} from '@tributary/common';
import {
  literal,
  mapPlanExprs,
  transformExpr,
  transformPlan,
  type Expr,
  type LiteralExpr,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/** The literal `value` of type `from` converted to `to`, or undefined when it must stay a cast. */
function convertLiteral(
  value: LiteralExpr['value'],
  from: SqlType,
  to: SqlType,
): LiteralExpr['value'] | undefined {
  if (value === null) return null;
  if (typeof value === 'number') {
    const integer = from.kind === 'INTEGER' || from.kind === 'BIGINT';
    if (integer || from.kind === 'DECIMAL') {
      const scale = from.kind === 'DECIMAL' ? from.scale : 0;
      switch (to.kind) {
        case 'DECIMAL': {
          const unscaled = rescaleDecimal(value, scale, to.scale);
          return Math.abs(unscaled) < powerOfTen(Math.min(to.precision, 15)) ? unscaled : undefined;
        }
        case 'DOUBLE': {
          const double = scale === 0 ? value : value / powerOfTen(scale);
          if (!isFloat(to)) return double;
          // A FLOAT is the nearest 32-bit value; one beyond FLOAT's range stays a cast, to fail.
          const single = Math.fround(double);
          return Number.isFinite(single) ? single : undefined;
        }
        case 'BIGINT':
          return scale === 0 && Number.isSafeInteger(value) ? value : undefined;
        case 'INTEGER': {
          const [min, max] = int32Range(to);
          return scale === 0 && value >= min && value <= max ? value : undefined;
        }
        default:
          return undefined;
      }
    }
    if (from.kind === 'DATE' && to.kind === 'TIMESTAMP') return value * 86_400_000_000;
    if (from.kind === 'TIMESTAMP' && to.kind === 'TIMESTAMP') return value; // with or without zone: UTC
    return undefined;
  }
  if (typeof value === 'string' && from.kind === 'VARCHAR') {
    if (to.kind === 'DATE') return parseDate(value);
    if (to.kind === 'TIMESTAMP') return parseTimestamp(value, isZoned(to));
    if (to.kind === 'TIME') return parseTime(value);
  }
  return undefined;
}

const DAY_MICROS = 86_400_000_000;

/**
 * The value of a call whose arguments are all non-NULL number literals, for the calls that
 * cannot fail: date arithmetic (`DATE '1998-12-01' - INTERVAL '90' DAY`) and negation.
 */
function foldCall(fn: string, values: readonly number[], type: SqlType): number | undefined {
  const [a, b] = values;
  const timestamp = type.kind === 'TIMESTAMP';
  switch (fn) {
    case 'negate':
      return type.kind === 'DOUBLE' || type.kind === 'DECIMAL' || type.kind === 'BIGINT' ? -a : undefined;
    case 'date_add_days':
      return timestamp ? a + b * DAY_MICROS : a + b;
    case 'date_add_months': {
      if (!timestamp) return addMonthsToDate(a, b);
      const days = Math.floor(a / DAY_MICROS);
      return addMonthsToDate(days, b) * DAY_MICROS + (a - days * DAY_MICROS);
    }
    default:
      return undefined;
  }
}

function foldExpr(expr: Expr): Expr {
  return transformExpr(expr, (e) => {
    if (e.kind === 'cast' && e.expr.kind === 'literal') {
      const converted = convertLiteral(e.expr.value, e.expr.type, e.type);
      return converted === undefined ? e : literal(converted, e.type);
    }
    if (e.kind === 'call' && e.args.every((a) => a.kind === 'literal' && typeof a.value === 'number')) {
      const values = e.args.map((a) => (a as LiteralExpr).value as number);
      const folded = foldCall(e.fn, values, e.type);
      return folded === undefined ? e : literal(folded, e.type);
    }
    return e;
  });
}

/**
 * Folds casts of literals into literals of the target type (`CAST(10 AS DECIMAL(15,2))` →
 * `10.00`, `CAST('1998-09-02' AS DATE)` → a DATE literal), exactly where the conversion is
 * exact, and date arithmetic and negation of literals (`DATE '1998-12-01' - INTERVAL '90' DAY`
 * → `DATE '1998-09-02'`), so that connectors see `column op literal` and can push the filter down or prune
 * with statistics. Conversions that could fail or lose precision stay casts for the engine.
 */
export const foldConstants: OptimizerRule = {
  name: 'fold_constants',
  rewrite(plan) {
    const rewritten = transformPlan(plan, (node) => mapPlanExprs(node, foldExpr));
    return { plan: rewritten, changed: rewritten !== plan };
  },
};
