import { BIGINT, DOUBLE, HUGEINT, MAX_DECIMAL_PRECISION, decimal, type SqlType } from '@tributary/common';
import type { AggregateCall, AggregateFunctionName, Expr } from '@tributary/plan';
import { literal } from '@tributary/plan';
import type { MeasureFunction } from './reflection-definition.ts';
import { measureKey, type MaterializedLayout } from './materialized-columns.ts';
import { castTo, translateDimensionExpr } from './translate-dimension-expr.ts';

/**
 * How one aggregate of the query comes from the reflection: aggregates re-computed over the
 * materialization's rows (a group may span several rows: incremental refreshes append), and
 * the expression over their results that gives the query's value, of the query's type.
 */
export interface DerivedMeasure {
  readonly calls: readonly AggregateCall[];
  /** Over the calls' results: `0` is the first call's. */
  readonly finish: (results: readonly Expr[]) => Expr;
}

export type Derivation = { readonly derived: DerivedMeasure } | { readonly reason: string };

/** DuckDB's result type of SUM, MIN and MAX over a column of `type`. */
function reaggregateType(fn: 'sum' | 'min' | 'max', type: SqlType): SqlType {
  if (fn !== 'sum') return type;
  if (type.kind === 'DECIMAL') return decimal(MAX_DECIMAL_PRECISION, type.scale);
  if (type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'HUGEINT') return HUGEINT;
  return type;
}

function reaggregate(fn: 'sum' | 'min' | 'max', arg: Expr): AggregateCall {
  return { fn, arg, distinct: false, type: reaggregateType(fn, arg.type) };
}

/** A count re-summed: a BIGINT, and 0 (not NULL) over no rows, as COUNT is. */
const countFinish = ([sum]: readonly Expr[]): Expr => ({
  kind: 'call',
  fn: 'coalesce',
  args: [castTo(sum, BIGINT), literal(0, BIGINT)],
  type: BIGINT,
});

export function describeCall(call: AggregateCall, datasetNames: readonly string[]): string {
  if (call.fn === 'count_star') return 'count(*)';
  const arg = call.arg?.kind === 'column' ? datasetNames[call.arg.index] : 'an expression';
  return `${call.fn}(${call.distinct ? 'DISTINCT ' : ''}${arg})`;
}

/** Functions whose result over distinct values needs only the values: any dimension serves them. */
const DISTINCT_SAFE: ReadonlySet<AggregateFunctionName> = new Set(['count', 'sum', 'avg', 'min', 'max']);

/**
 * One aggregate of the query (over the dataset's columns) from the reflection's measures:
 * SUM from SUM, COUNT(x) from the sum of its COUNT, COUNT(*) from the sum of the group sizes,
 * MIN and MAX from theirs (or from a dimension), AVG as SUM over COUNT in DOUBLE as DuckDB
 * gives it, and any DISTINCT aggregate of a dimension from the dimension itself. A DISTINCT
 * aggregate of a measure is not derivable: the reflection no longer holds its values.
 */
export function deriveMeasure(
  call: AggregateCall,
  layout: MaterializedLayout,
  datasetTypes: readonly SqlType[],
  datasetNames: readonly string[],
): Derivation {
  const what = describeCall(call, datasetNames);
  const notDerivable = { reason: `${what} is not derivable from the reflection` };
  const stored = (fn: MeasureFunction): Expr | undefined => {
    if (call.arg?.kind !== 'column') return undefined;
    const index = layout.measures.get(measureKey(call.arg.index, fn));
    if (index === undefined) return undefined;
    const c = layout.table.columns[index];
    return { kind: 'column', index, name: c.name, type: c.type };
  };
  const countStar = (): Expr | undefined => {
    if (layout.countStar === undefined) return undefined;
    const c = layout.table.columns[layout.countStar];
    return { kind: 'column', index: layout.countStar, name: c.name, type: c.type };
  };
  if (call.arg2 !== undefined || call.param !== undefined || (call.orderBy?.length ?? 0) > 0)
    return notDerivable;
  if (call.distinct) {
    if (!DISTINCT_SAFE.has(call.fn) || !call.arg) return notDerivable;
    const arg = translateDimensionExpr(call.arg, layout, datasetTypes);
    if ('miss' in arg) return notDerivable;
    return {
      derived: { calls: [{ ...call, arg: arg.expr }], finish: ([result]) => castTo(result, call.type) },
    };
  }
  switch (call.fn) {
    case 'count_star': {
      const rows = countStar();
      if (!rows) return notDerivable;
      return { derived: { calls: [reaggregate('sum', rows)], finish: countFinish } };
    }
    case 'count': {
      const counted = stored('COUNT');
      if (counted) return { derived: { calls: [reaggregate('sum', counted)], finish: countFinish } };
      // COUNT of a dimension: the sizes of the groups where it is not NULL.
      const rows = countStar();
      const arg = call.arg && translateDimensionExpr(call.arg, layout, datasetTypes);
      if (!rows || !arg || 'miss' in arg) return { reason: `${what} needs a COUNT measure on it` };
      const sizes: Expr = {
        kind: 'case',
        whens: [
          {
            when: { kind: 'is-null', expr: arg.expr, negated: false, type: { kind: 'BOOLEAN' } },
            then: literal(0, rows.type),
          },
        ],
        otherwise: rows,
        type: rows.type,
      };
      return { derived: { calls: [reaggregate('sum', sizes)], finish: countFinish } };
    }
    case 'sum': {
      const sum = stored('SUM');
      if (!sum) return { reason: `${what} needs a SUM measure on it` };
      return { derived: { calls: [reaggregate('sum', sum)], finish: ([s]) => castTo(s, call.type) } };
    }
    case 'min':
    case 'max': {
      const fn = call.fn;
      const measure = stored(fn === 'min' ? 'MIN' : 'MAX');
      const arg = measure
        ? { expr: measure }
        : call.arg && translateDimensionExpr(call.arg, layout, datasetTypes);
      if (!arg || 'miss' in arg) return { reason: `${what} needs a ${fn.toUpperCase()} measure on it` };
      return { derived: { calls: [reaggregate(fn, arg.expr)], finish: ([m]) => castTo(m, call.type) } };
    }
    case 'avg': {
      const sum = stored('SUM');
      const count = stored('COUNT');
      if (!sum || !count) return { reason: `${what} needs SUM and COUNT measures on it` };
      return {
        derived: {
          calls: [reaggregate('sum', sum), reaggregate('sum', count)],
          finish: ([s, n]) =>
            castTo(
              { kind: 'call', fn: 'divide', args: [castTo(s, DOUBLE), castTo(n, DOUBLE)], type: DOUBLE },
              call.type,
            ),
        },
      };
    }
    default:
      return notDerivable;
  }
}
