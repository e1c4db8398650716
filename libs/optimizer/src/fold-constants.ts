import { parseDate, parseTimestamp, powerOfTen, rescaleDecimal, type SqlType } from '@tributary/common';
import {
  literal,
  transformExpr,
  transformPlan,
  type Expr,
  type LiteralExpr,
  type LogicalPlan,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

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
        case 'DOUBLE':
          return scale === 0 ? value : value / powerOfTen(scale);
        case 'BIGINT':
          return scale === 0 && Number.isSafeInteger(value) ? value : undefined;
        case 'INTEGER':
          return scale === 0 && value >= INT32_MIN && value <= INT32_MAX ? value : undefined;
        default:
          return undefined;
      }
    }
    if (from.kind === 'DATE' && to.kind === 'TIMESTAMP') return value * 86_400_000_000;
    return undefined;
  }
  if (typeof value === 'string' && from.kind === 'VARCHAR') {
    if (to.kind === 'DATE') return parseDate(value);
    if (to.kind === 'TIMESTAMP') return parseTimestamp(value);
  }
  return undefined;
}

function foldExpr(expr: Expr): Expr {
  return transformExpr(expr, (e) => {
    if (e.kind !== 'cast' || e.expr.kind !== 'literal') return e;
    const converted = convertLiteral(e.expr.value, e.expr.type, e.type);
    return converted === undefined ? e : literal(converted, e.type);
  });
}

function foldNode(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
      return { ...plan, filters: plan.filters.map(foldExpr) };
    case 'filter':
      return { ...plan, predicate: foldExpr(plan.predicate) };
    case 'project':
      return { ...plan, exprs: plan.exprs.map(foldExpr) };
    case 'aggregate':
      return {
        ...plan,
        groupBy: plan.groupBy.map(foldExpr),
        aggregates: plan.aggregates.map((a) => ({ ...a, arg: a.arg && foldExpr(a.arg) })),
      };
    case 'join':
      return { ...plan, condition: plan.condition && foldExpr(plan.condition) };
    case 'sort':
      return { ...plan, keys: plan.keys.map((k) => ({ ...k, expr: foldExpr(k.expr) })) };
    case 'values':
      return { ...plan, rows: plan.rows.map((r) => r.map(foldExpr)) };
    case 'limit':
      return plan;
  }
}

/**
 * Folds casts of literals into literals of the target type (`CAST(10 AS DECIMAL(15,2))` →
 * `10.00`, `CAST('1998-09-02' AS DATE)` → a DATE literal), exactly where the conversion is
 * exact, so that connectors see `column op literal` and can push the filter down or prune
 * with statistics. Conversions that could fail or lose precision stay casts for the engine.
 */
export const foldConstants: OptimizerRule = {
  name: 'fold_constants',
  rewrite(plan) {
    const rewritten = transformPlan(plan, foldNode);
    return { plan: rewritten, changed: rewritten !== plan };
  },
};
