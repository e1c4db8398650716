import {
  BIGINT,
  BindError,
  BOOLEAN,
  DOUBLE,
  INTEGER,
  isFloat,
  isInteger,
  isNumeric,
  listOf,
  TIMESTAMP,
  typeToString,
  VARCHAR,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import type { AggregateFunctionName, Expr } from '@tributary/plan';
import { castTo } from './coerce.ts';
import { sumType } from './sum-type.ts';

const isCovariance = (fn: AggregateFunctionName): boolean =>
  fn === 'corr' ||
  fn === 'covar_pop' ||
  fn === 'covar_samp' ||
  fn === 'regr_slope' ||
  fn === 'regr_intercept';

const isStatistic = (fn: AggregateFunctionName): boolean =>
  fn === 'stddev_samp' || fn === 'stddev_pop' || fn === 'var_samp' || fn === 'var_pop';

/** median(x) and quantile_cont(x, q): DECIMAL stays, other numbers become DOUBLE, dates TIMESTAMP. */
function continuousQuantileType(t: SqlType): SqlType {
  if (t.kind === 'DECIMAL' || t.kind === 'TIMESTAMP' || t.kind === 'TIME' || isFloat(t)) return t;
  if (t.kind === 'DATE') return TIMESTAMP;
  if (isNumeric(t)) return DOUBLE;
  return t;
}

/** The result type of aggregate `fn` over `arg` (count's when null), as DuckDB types it. */
export function aggregateType(fn: AggregateFunctionName, arg: Expr | null): SqlType {
  if (fn === 'count' || fn === 'count_star') return BIGINT;
  const t = (arg as Expr).type;
  if (fn === 'avg' || isStatistic(fn) || isCovariance(fn) || fn === 'product') return DOUBLE;
  if (fn === 'sum') return sumType(t);
  if (fn === 'bool_and' || fn === 'bool_or') return BOOLEAN;
  if (fn === 'string_agg') return VARCHAR;
  if (fn === 'list') return listOf(t.kind === 'NULL' ? INTEGER : t);
  if (fn === 'median' || fn === 'quantile_cont') return continuousQuantileType(t);
  return t.kind === 'NULL' ? BIGINT : t;
}

/**
 * An aggregate's argument as the aggregate takes it: numbers for sum and avg, DOUBLE for the
 * statistics and product (DuckDB computes them so), BOOLEAN for bool_and/or, text for
 * string_agg; an untyped NULL as DuckDB types it. Refuses the types an aggregate cannot take.
 */
export function aggregateArgument(
  fn: AggregateFunctionName,
  arg: Expr,
  name: string,
  position: SqlPosition | undefined,
): Expr {
  const mismatch = (wanted: string): BindError =>
    new BindError('TYPE_MISMATCH', `${name}() needs ${wanted}, not ${typeToString(arg.type)}`, {
      position,
    });
  const untyped = arg.type.kind === 'NULL';
  if (fn === 'sum' || fn === 'avg') {
    if (!isNumeric(arg.type) && !untyped) throw mismatch('a numeric argument');
    // An untyped NULL is DuckDB's INTEGER here: sum(NULL) is a HUGEINT NULL.
    return untyped ? castTo(arg, INTEGER, position) : arg;
  }
  if (isStatistic(fn) || isCovariance(fn) || fn === 'product') {
    if (!isNumeric(arg.type) && !untyped) throw mismatch('a numeric argument');
    // DuckDB computes these in DOUBLE whatever the input.
    return castTo(arg, DOUBLE, position);
  }
  if (fn === 'bool_and' || fn === 'bool_or') {
    if (arg.type.kind !== 'BOOLEAN' && !untyped) throw mismatch('a BOOLEAN argument');
    return castTo(arg, BOOLEAN, position);
  }
  if (fn === 'bit_and' || fn === 'bit_or' || fn === 'bit_xor') {
    if (!isInteger(arg.type) && !untyped) throw mismatch('an integer argument');
    return untyped ? castTo(arg, INTEGER, position) : arg;
  }
  if (fn === 'string_agg') return castTo(arg, VARCHAR, position);
  if (fn === 'median' || fn === 'quantile_cont' || fn === 'quantile_disc') {
    if (untyped) return castTo(arg, DOUBLE, position);
    const continuous = fn !== 'quantile_disc' && !(fn === 'median' && arg.type.kind === 'VARCHAR');
    if (arg.type.kind === 'BOOLEAN' || (continuous && arg.type.kind === 'VARCHAR'))
      throw mismatch('a number, date, timestamp or time');
  }
  // min(NULL), max(NULL) …: an INTEGER NULL, as DuckDB's result column says.
  return untyped ? castTo(arg, INTEGER, position) : arg;
}
