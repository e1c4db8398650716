import { sameType, type SqlType } from '@tributary/common';
import type { ColumnExpr, Expr, ScalarFunctionName } from '@tributary/plan';
import { transformExpr } from '@tributary/plan';
import type { DateGranularity } from './reflection-definition.ts';
import type { MaterializedLayout } from './materialized-columns.ts';

const LEVEL: Record<DateGranularity, number> = { day: 0, month: 1, year: 2 };

/**
 * Date functions that a coarser-grained value still answers, and the finest grain each
 * needs: the month of a day is the month of its month-truncated day, its year that of its
 * year-truncated day. Anything else (a day of week, a day difference) needs the day itself.
 */
const ROLL_UPS: Partial<Record<ScalarFunctionName, DateGranularity>> = {
  date_trunc_year: 'year',
  extract_year: 'year',
  date_trunc_quarter: 'month',
  extract_quarter: 'month',
  date_trunc_month: 'month',
  extract_month: 'month',
  date_trunc_day: 'day',
  extract_day: 'day',
  extract_dow: 'day',
  extract_isodow: 'day',
  extract_doy: 'day',
  extract_week: 'day',
  extract_isoyear: 'day',
};

/** Truncations that give back exactly the stored value when they match its grain. */
const TRUNCATION: Partial<Record<ScalarFunctionName, DateGranularity>> = {
  date_trunc_year: 'year',
  date_trunc_month: 'month',
  date_trunc_day: 'day',
};

/** Why an expression cannot be computed from the reflection's dimensions. */
export interface DimensionMiss {
  /** The dataset column at fault. */
  readonly column: number;
  /** missing: not a dimension at all; coarse: a truncated dimension used finer than its grain. */
  readonly why: 'missing' | 'coarse';
  readonly granularity?: DateGranularity;
}

export type Translated = { readonly expr: Expr } | { readonly miss: DimensionMiss };

export function castTo(expr: Expr, type: SqlType): Expr {
  return sameType(expr.type, type) ? expr : { kind: 'cast', expr, type };
}

/** Marks a dataset column that is a truncated dimension, until a roll-up above resolves it. */
const PENDING = -1_000_000;

/**
 * An expression over the dataset's columns as one over the materialization's, reading only
 * dimensions: untruncated dimensions as themselves (cast back to the dataset's type when the
 * files hold another), truncated ones only under a date function that needs no finer grain
 * than they keep (`year(d)` or `date_trunc('month', d)` from a month-truncated `d`), and a
 * day-truncated DATE as itself (a date has no time of day to lose).
 */
export function translateDimensionExpr(
  expr: Expr,
  layout: MaterializedLayout,
  datasetTypes: readonly SqlType[],
): Translated {
  let miss: DimensionMiss | undefined;
  const column = (index: number, type: SqlType): ColumnExpr => ({
    kind: 'column',
    index,
    name: layout.table.columns[index].name,
    type,
  });
  const translated = transformExpr(expr, (e) => {
    if (miss) return e;
    if (e.kind === 'column') {
      if (e.index <= PENDING) return e;
      const dimension = layout.dimensions.get(e.index);
      if (!dimension) {
        miss = { column: e.index, why: 'missing' };
        return e;
      }
      const stored = column(dimension.index, layout.table.columns[dimension.index].type);
      if (!dimension.granularity) return castTo(stored, datasetTypes[e.index]);
      if (dimension.granularity === 'day' && datasetTypes[e.index].kind === 'DATE')
        return castTo(stored, datasetTypes[e.index]);
      return { ...e, index: PENDING - e.index };
    }
    if (
      e.kind === 'call' &&
      e.args.length === 1 &&
      e.args[0].kind === 'column' &&
      e.args[0].index <= PENDING
    ) {
      const datasetIndex = PENDING - e.args[0].index;
      const dimension = layout.dimensions.get(datasetIndex)!;
      const granularity = dimension.granularity!;
      const needs = ROLL_UPS[e.fn];
      if (needs === undefined || LEVEL[needs] < LEVEL[granularity]) {
        miss = { column: datasetIndex, why: 'coarse', granularity };
        return e;
      }
      const stored = column(dimension.index, layout.table.columns[dimension.index].type);
      if (TRUNCATION[e.fn] === granularity) return castTo(stored, e.type);
      return { ...e, args: [stored] };
    }
    return e;
  });
  if (miss) return { miss };
  let pending: number | undefined;
  transformExpr(translated, (e) => {
    if (e.kind === 'column' && e.index <= PENDING) pending ??= PENDING - e.index;
    return e;
  });
  if (pending !== undefined) {
    const granularity = layout.dimensions.get(pending)!.granularity;
    return { miss: { column: pending, why: 'coarse', ...(granularity ? { granularity } : {}) } };
  }
  return { expr: translated };
}
