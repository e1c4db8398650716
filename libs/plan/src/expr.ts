import type { SqlType } from '@tributary/common';

/**
 * Bound scalar expressions: immutable, typed, tagged with `kind`. Columns are referred to
 * by their index in the input schema of the node that holds the expression.
 *
 * Literal values: BOOLEAN boolean; INTEGER/DOUBLE number; BIGINT/HUGEINT the integer and
 * DECIMAL the unscaled integer, as a number while it is a safe integer (|v| < 2^53) and as
 * its exact decimal text beyond ("9007199254740993", so plans stay JSON); DATE days since
 * epoch; TIMESTAMP microseconds since epoch; VARCHAR string; NULL null.
 */
export type Expr =
  ColumnExpr | LiteralExpr | CallExpr | CastExpr | CaseExpr | InListExpr | LikeExpr | IsNullExpr;

export type LiteralValue = null | boolean | number | string;

export interface ColumnExpr {
  readonly kind: 'column';
  readonly index: number;
  /** Display name only; resolution is by index. */
  readonly name: string;
  readonly type: SqlType;
}

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly type: SqlType;
}

/** Operators and scalar functions alike; `fn` names one entry of SCALAR_FUNCTIONS. */
export interface CallExpr {
  readonly kind: 'call';
  readonly fn: ScalarFunctionName;
  readonly args: readonly Expr[];
  readonly type: SqlType;
}

export interface CastExpr {
  readonly kind: 'cast';
  readonly expr: Expr;
  readonly type: SqlType;
  /** TRY_CAST: NULL where CAST would fail (bad text, value out of the target's range). */
  readonly try?: boolean;
}

export interface CaseExpr {
  readonly kind: 'case';
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly otherwise: Expr | null;
  readonly type: SqlType;
}

export interface InListExpr {
  readonly kind: 'in-list';
  readonly expr: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly type: SqlType;
}

export interface LikeExpr {
  readonly kind: 'like';
  readonly expr: Expr;
  readonly pattern: Expr;
  readonly negated: boolean;
  readonly caseInsensitive: boolean;
  readonly type: SqlType;
}

export interface IsNullExpr {
  readonly kind: 'is-null';
  readonly expr: Expr;
  readonly negated: boolean;
  readonly type: SqlType;
}

/**
 * Every scalar function and operator the engine implements. Comparison and arithmetic
 * operands are already coerced to one type by the binder (except that DECIMAL arithmetic
 * keeps each side's scale: the result type says how to rescale).
 */
export const SCALAR_FUNCTION_NAMES = [
  // arithmetic
  'add',
  'subtract',
  'multiply',
  'divide',
  'modulo',
  'negate',
  // bitwise, on integers
  'bitwise_and',
  'bitwise_or',
  'bitwise_xor',
  'bitwise_not',
  'shift_left',
  'shift_right',
  'bit_count',
  // numbers
  'random',
  // comparison (operands of one type)
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  // logic, three-valued
  'and',
  'or',
  'not',
  // strings
  'concat',
  'lower',
  'upper',
  'length',
  'substring',
  'trim',
  'ltrim',
  'rtrim',
  'replace',
  'starts_with',
  'contains',
  'strpos',
  'split_part',
  'regexp_matches',
  'regexp_extract',
  'regexp_full_match',
  'ascii',
  'chr',
  'strlen',
  'strptime',
  'cbrt',
  'to_timestamp',
  'regexp_replace',
  'left',
  'right',
  'reverse',
  'translate',
  'lpad',
  'rpad',
  'repeat',
  'ends_with',
  // numbers
  'abs',
  'round',
  'floor',
  'ceil',
  'sqrt',
  'power',
  'ln',
  'log10',
  'log2',
  'exp',
  'sign',
  'sin',
  'cos',
  'tan',
  'cot',
  'asin',
  'acos',
  'atan',
  'atan2',
  // null handling
  'coalesce',
  'nullif',
  // dates
  'extract_year',
  'extract_month',
  'extract_day',
  'extract_quarter',
  'extract_dow',
  'extract_doy',
  'extract_hour',
  'extract_minute',
  'extract_second',
  'extract_week',
  'extract_isodow',
  'extract_isoyear',
  'extract_epoch',
  'extract_millisecond',
  'extract_microsecond',
  'date_add_days',
  'date_add_months',
  'date_diff_days',
  'date_diff_years',
  'date_diff_quarters',
  'date_diff_months',
  'date_diff_weeks',
  'date_diff_hours',
  'date_diff_minutes',
  'date_diff_seconds',
  'date_diff_milliseconds',
  'date_diff_microseconds',
  'make_date',
  'timestamp_add_micros',
  'time_add_micros',
  'make_time',
  'strftime',
  'date_trunc_year',
  'date_trunc_quarter',
  'date_trunc_month',
  'date_trunc_day',
  'date_trunc_hour',
  'date_trunc_minute',
  'date_trunc_second',
  // lists
  'list_value',
  'list_extract',
  'list_length',
  'array_upper',
  'array_lower',
  'list_to_string',
  'list_contains',
  'list_position',
  'list_any_eq',
  'list_range',
  'list_range_interval',
  'list_concat',
  'list_slice',
  'list_sort',
  'list_distinct',
  'list_aggregate',
  'flatten',
  'string_split',
  'regexp_split',
  'regexp_extract_all',
  'md5',
  'sha256',
  'levenshtein',
  'hamming',
  'strip_accents',
  'unicode',
] as const;

export type ScalarFunctionName = (typeof SCALAR_FUNCTION_NAMES)[number];

export const AGGREGATE_FUNCTION_NAMES = [
  'count_star',
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'stddev_samp',
  'stddev_pop',
  'var_samp',
  'var_pop',
  'bool_and',
  'bool_or',
  'bit_and',
  'bit_or',
  'bit_xor',
  'string_agg',
  'median',
  'quantile_cont',
  'quantile_disc',
  'any_value',
  'first',
  'last',
  'arg_max',
  'arg_min',
  'mode',
  'product',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
  'list',
] as const;

export type AggregateFunctionName = (typeof AGGREGATE_FUNCTION_NAMES)[number];

/** One key of an aggregate's own ORDER BY (`string_agg(x, ',' ORDER BY y DESC)`). */
export interface AggregateOrderKey {
  readonly expr: Expr;
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

export interface AggregateCall {
  readonly fn: AggregateFunctionName;
  /** Absent for count_star. */
  readonly arg: Expr | null;
  /** The second argument of two-argument aggregates: arg_max's ordering value, corr's y. */
  readonly arg2?: Expr;
  readonly distinct: boolean;
  readonly type: SqlType;
  /** A constant argument: string_agg's separator, a quantile's fraction. */
  readonly param?: LiteralValue;
  /** The order the values are combined in, where it matters (string_agg). */
  readonly orderBy?: readonly AggregateOrderKey[];
}

/** The expressions an aggregate call evaluates per input row: its argument and order keys. */
export function aggregateCallExprs(call: AggregateCall): Expr[] {
  return [
    ...(call.arg ? [call.arg] : []),
    ...(call.arg2 ? [call.arg2] : []),
    ...(call.orderBy ?? []).map((k) => k.expr),
  ];
}

/** The same call with `fn` applied to each expression it evaluates. */
export function mapAggregateCallExprs(call: AggregateCall, fn: (e: Expr) => Expr): AggregateCall {
  const mapped: AggregateCall = {
    ...call,
    arg: call.arg && fn(call.arg),
    ...(call.arg2 ? { arg2: fn(call.arg2) } : {}),
  };
  return call.orderBy
    ? { ...mapped, orderBy: call.orderBy.map((k) => ({ ...k, expr: fn(k.expr) })) }
    : mapped;
}

/**
 * Whether every value of a group must meet in one place (no partial state merges): DISTINCT
 * (but min/max), median, quantiles and mode, and string_agg with an ORDER BY.
 */
export function needsAllValues(call: AggregateCall): boolean {
  if (call.distinct)
    return call.fn !== 'min' && call.fn !== 'max' && call.fn !== 'bool_and' && call.fn !== 'bool_or';
  return (
    call.fn === 'median' ||
    call.fn === 'quantile_cont' ||
    call.fn === 'quantile_disc' ||
    call.fn === 'mode' ||
    ((call.fn === 'string_agg' || call.fn === 'list') && (call.orderBy?.length ?? 0) > 0)
  );
}
