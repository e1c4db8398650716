import {
  BIGINT,
  BindError,
  BOOLEAN,
  INTEGER,
  isInteger,
  isTemporal,
  isZoned,
  TIMESTAMP,
  TIMESTAMPTZ,
  NULL_TYPE,
  sameType,
  VARCHAR,
  listOf,
  typeToString,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import {
  call,
  literal,
  type AggregateFunctionName,
  type Expr,
  type ScalarFunctionName,
} from '@tributary/plan';
import { aggregateArgument, aggregateType } from './aggregate-type.ts';
import { castTo, isStringLiteral, unify } from './coerce.ts';
import { arity, type FunctionBinder } from './function-binder.ts';
import type { Interval } from './sql-interval.ts';

type Binder = FunctionBinder;

/**
 * A list argument: a list as it is, NULL as a NULL list, a string literal read as a list of
 * text (Postgres' `'{a,b}'`); anything else is no list.
 */
export function asList(name: string, arg: Expr, position: SqlPosition | undefined, element?: SqlType): Expr {
  if (arg.type.kind === 'LIST') return arg;
  if (arg.type.kind === 'NULL') return literal(null, listOf(element ?? NULL_TYPE));
  if (isStringLiteral(arg)) return castTo(arg, listOf(element ?? VARCHAR), position);
  throw new BindError('TYPE_MISMATCH', `function ${name}() expects a list, got ${typeToString(arg.type)}`, {
    position,
  });
}

function elementOf(list: Expr): SqlType {
  return list.type.kind === 'LIST' ? list.type.element : NULL_TYPE;
}

/** `ARRAY[a, b]` / `list_value(a, b)`: the elements in their common type. */
export function bindListValue(args: Expr[], position: SqlPosition | undefined): Expr {
  if (args.length === 0) return call('list_value', [], listOf(INTEGER));
  const unified = unify(args, 'list elements', position);
  const element = unified.type.kind === 'NULL' ? INTEGER : unified.type;
  return call(
    'list_value',
    unified.exprs.map((e) => castTo(e, element, position)),
    listOf(element),
  );
}

/** `list[index]`: the element (1-based), NULL outside the list. */
export function bindSubscript(list: Expr, index: Expr, position: SqlPosition | undefined): Expr {
  const l = asList('list_extract', list, position);
  const i = castTo(index, BIGINT, position);
  return call('list_extract', [l, i], elementOf(l));
}

/**
 * `list[a:b]`, `text[a:b]`, list_slice(x, a, b): DuckDB's slice, 1-based with both bounds
 * included, negative ones counting from the end; a bound left out is the first or the last.
 */
export function bindSlice(
  value: Expr,
  begin: Expr | undefined,
  end: Expr | undefined,
  position: SqlPosition | undefined,
): Expr {
  const sliced = value.type.kind === 'VARCHAR' ? value : asList('list_slice', value, position);
  const bound = (x: Expr | undefined, missing: number) =>
    x === undefined ? literal(missing, BIGINT) : castTo(x, BIGINT, position);
  return call('list_slice', [sliced, bound(begin, 1), bound(end, Number.MAX_SAFE_INTEGER)], sliced.type);
}

const slice: Binder = (args, position, name) => {
  arity(name, args, 3, 3, position);
  return bindSlice(args[0], args[1], args[2], position);
};

/** A list and an integer argument (the dimension of Postgres' array functions). */
function withDimension(fn: ScalarFunctionName, result: SqlType): Binder {
  return (args, position, name) => {
    arity(name, args, 2, 2, position);
    return call(fn, [asList(name, args[0], position), castTo(args[1], BIGINT, position)], result);
  };
}

const length: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  return call('list_length', [asList(name, args[0], position)], BIGINT);
};

/** array_length(a[, dimension]): Postgres' NULL for an empty array or another dimension. */
const arrayLength: Binder = (args, position, name) => {
  arity(name, args, 1, 2, position);
  if (args.length === 1) return length(args, position, name);
  return call('array_upper', [asList(name, args[0], position), castTo(args[1], BIGINT, position)], BIGINT);
};

const toText: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  return call(
    'list_to_string',
    [asList(name, args[0], position), castTo(args[1], VARCHAR, position)],
    VARCHAR,
  );
};

/** An element argument compared with the list's elements, in their common type. */
function elementArgument(name: string, list: Expr, x: Expr, position: SqlPosition | undefined): [Expr, Expr] {
  const element = elementOf(list);
  if (element.kind === 'NULL' || x.type.kind === 'NULL' || isStringLiteral(x))
    return [list, castTo(x, element.kind === 'NULL' ? x.type : element, position)];
  const unified = unify([literal(null, element), x], `${name}() arguments`, position);
  return [castTo(list, listOf(unified.type), position), castTo(x, unified.type, position)];
}

function membership(fn: ScalarFunctionName, result: SqlType): Binder {
  return (args, position, name) => {
    arity(name, args, 2, 2, position);
    const [l, x] = elementArgument(name, asList(name, args[0], position), args[1], position);
    return call(fn, [l, x], result);
  };
}

/** `x = ANY(list)`, `x <> ALL`… as its one supported form: equality with any element. */
export function bindAnyEquals(x: Expr, list: Expr, position: SqlPosition | undefined): Expr {
  const [l, e] = elementArgument('any', asList('any', list, position, x.type), x, position);
  return call('list_any_eq', [e, l], BOOLEAN);
}

/**
 * generate_series(a, b[, step]) (b included) and range(a, b[, step]) (b excluded) as BIGINT
 * lists; one argument is the stop, from 0. A step of 0 is an error, as in DuckDB.
 */
export function bindSeries(name: string, args: Expr[], position: SqlPosition | undefined): Expr {
  arity(name, args, 1, 3, position);
  const [start, stop, step] =
    args.length === 1
      ? [literal(0, BIGINT), args[0], literal(1, BIGINT)]
      : [args[0], args[1], args[2] ?? literal(1, BIGINT)];
  for (const a of [start, stop, step])
    if (a.type.kind !== 'NULL' && !isInteger(a.type))
      throw new BindError(
        'TYPE_MISMATCH',
        `function ${name}() expects integers, got ${typeToString(a.type)}`,
        {
          position,
        },
      );
  return call(
    'list_range',
    [
      ...[start, stop, step].map((a) => castTo(a, BIGINT, position)),
      literal(name === 'generate_series', BOOLEAN),
    ],
    listOf(BIGINT),
  );
}

/**
 * generate_series(a, b, INTERVAL …) and range(…) over dates or timestamps: TIMESTAMP lists
 * (WITH TIME ZONE when an end has one), stepping by the interval's months, days and µs.
 */
export function bindTimestampSeries(
  name: string,
  ends: readonly Expr[],
  step: Interval,
  position: SqlPosition | undefined,
): Expr {
  const [start, stop] = ends.map((e) => (isStringLiteral(e) ? castTo(e, TIMESTAMP, position) : e));
  for (const e of [start, stop])
    if (e.type.kind !== 'NULL' && !isTemporal(e.type))
      throw new BindError(
        'TYPE_MISMATCH',
        `function ${name}() with an INTERVAL step expects dates or timestamps, got ${typeToString(e.type)}`,
        {
          position,
        },
      );
  const type = isZoned(start.type) || isZoned(stop.type) ? TIMESTAMPTZ : TIMESTAMP;
  return call(
    'list_range_interval',
    [
      castTo(start, type, position),
      castTo(stop, type, position),
      literal(step.months, INTEGER),
      literal(step.days, INTEGER),
      literal(step.micros, BIGINT),
      literal(name === 'generate_series', BOOLEAN),
    ],
    listOf(type),
  );
}

/** `a || b`, list_concat(a, b): the elements of both in their common type; a NULL list adds none. */
export function bindListConcat(args: Expr[], position: SqlPosition | undefined): Expr {
  arity('list_concat', args, 2, 2, position);
  const lists = args.map((a) => asList('list_concat', a, position));
  const unified = unify(lists, 'list_concat() arguments', position);
  const type = unified.type.kind === 'LIST' ? unified.type : listOf(INTEGER);
  return call(
    'list_concat',
    lists.map((l) => castTo(l, type, position)),
    type,
  );
}

/** A constant text argument of a list function (list_sort's order), upper case; `fallback` when absent. */
function constantWord(
  name: string,
  arg: Expr | undefined,
  fallback: string,
  position: SqlPosition | undefined,
): string {
  if (arg === undefined) return fallback;
  if (!isStringLiteral(arg))
    throw new BindError('INVALID_ARGUMENT', `function ${name}() needs a constant text for its sort order`, {
      position,
    });
  return arg.value.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** list_sort(l[, 'ASC'|'DESC'[, 'NULLS FIRST'|'NULLS LAST']]) and list_reverse_sort(l[, nulls]): NULLs last by default. */
function sorted(reverse: boolean): Binder {
  return (args, position, name) => {
    arity(name, args, 1, reverse ? 2 : 3, position);
    const order = reverse ? 'DESC' : constantWord(name, args[1], 'ASC', position);
    const nulls = constantWord(name, args[reverse ? 1 : 2], 'NULLS LAST', position);
    if (!['ASC', 'DESC'].includes(order) || !['NULLS FIRST', 'NULLS LAST'].includes(nulls))
      throw new BindError(
        'INVALID_ARGUMENT',
        `function ${name}() sorts 'ASC' or 'DESC', 'NULLS FIRST' or 'NULLS LAST', not '${order}', '${nulls}'`,
        { position },
      );
    const list = asList(name, args[0], position);
    return call(
      'list_sort',
      [list, literal(order === 'DESC', BOOLEAN), literal(nulls === 'NULLS FIRST', BOOLEAN)],
      list.type,
    );
  };
}

const distinct: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  const list = asList(name, args[0], position);
  return call('list_distinct', [list], list.type);
};

/** flatten(l): a list of lists as one list of their elements. */
const flatten: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  const list = asList(name, args[0], position);
  const inner = elementOf(list);
  if (inner.kind === 'NULL') return list;
  if (inner.kind !== 'LIST')
    throw new BindError(
      'TYPE_MISMATCH',
      `function ${name}() expects a list of lists, got ${typeToString(list.type)}`,
      {
        position,
      },
    );
  return call('flatten', [list], inner);
};

/** The aggregates list_aggregate(l, name) takes, by the names DuckDB reads (aliases included). */
const LIST_AGGREGATES: Readonly<Record<string, AggregateFunctionName>> = {
  sum: 'sum',
  min: 'min',
  max: 'max',
  avg: 'avg',
  mean: 'avg',
  count: 'count',
  product: 'product',
  median: 'median',
  mode: 'mode',
  first: 'first',
  arbitrary: 'first',
  last: 'last',
  any_value: 'any_value',
  bool_and: 'bool_and',
  bool_or: 'bool_or',
  string_agg: 'string_agg',
  stddev: 'stddev_samp',
  stddev_samp: 'stddev_samp',
  stddev_pop: 'stddev_pop',
  var_samp: 'var_samp',
  variance: 'var_samp',
  var_pop: 'var_pop',
};

/** `list_sum(l)`, `list_aggregate(l, 'median')`: an aggregate over the elements, typed as the aggregate. */
function bindListAggregate(
  name: string,
  list: Expr,
  aggregate: string,
  position: SqlPosition | undefined,
): Expr {
  const fn = LIST_AGGREGATES[aggregate.toLowerCase()];
  if (!fn)
    throw new BindError('INVALID_ARGUMENT', `${name}() cannot apply aggregate "${aggregate}" to a list`, {
      position,
      suggestions: Object.keys(LIST_AGGREGATES).filter((k) =>
        k.startsWith(aggregate.slice(0, 2).toLowerCase()),
      ),
    });
  let l = asList(name, list, position);
  // The elements as the aggregate takes its argument (DOUBLE for product and the statistics).
  const element = elementOf(l);
  const argument = aggregateArgument(fn, literal(null, element), name, position).type;
  if (element.kind === 'NULL' || !sameType(argument, element)) l = castTo(l, listOf(argument), position);
  return call('list_aggregate', [l, literal(fn, VARCHAR)], aggregateType(fn, literal(null, argument)));
}

function listAggregateOf(aggregate: string): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 1, position);
    return bindListAggregate(name, args[0], aggregate, position);
  };
}

const listAggregateByName: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  if (!isStringLiteral(args[1]))
    throw new BindError(
      'INVALID_ARGUMENT',
      `function ${name}() needs the aggregate's name as a constant text`,
      {
        position,
      },
    );
  return bindListAggregate(name, args[0], args[1].value, position);
};

/** The list functions by name: DuckDB's and Postgres' spellings. */
export const LIST_FUNCTIONS: Record<string, Binder> = {
  generate_series: (args, position, name) => bindSeries(name, args, position),
  range: (args, position, name) => bindSeries(name, args, position),
  list_value: (args, position) => bindListValue(args, position),
  list_pack: (args, position) => bindListValue(args, position),
  list_extract: (args, position, name) => {
    arity(name, args, 2, 2, position);
    return bindSubscript(args[0], args[1], position);
  },
  list_element: (args, position, name) => {
    arity(name, args, 2, 2, position);
    return bindSubscript(args[0], args[1], position);
  },
  list_concat: (args, position) => bindListConcat(args, position),
  list_cat: (args, position) => bindListConcat(args, position),
  array_cat: (args, position) => bindListConcat(args, position),
  array_concat: (args, position) => bindListConcat(args, position),
  len: length,
  length_list: length,
  list_length: length,
  cardinality: length,
  array_length: arrayLength,
  array_upper: withDimension('array_upper', BIGINT),
  array_lower: withDimension('array_lower', BIGINT),
  array_to_string: toText,
  list_aggr_string_agg: toText,
  list_contains: membership('list_contains', BOOLEAN),
  list_has: membership('list_contains', BOOLEAN),
  array_contains: membership('list_contains', BOOLEAN),
  array_has: membership('list_contains', BOOLEAN),
  list_position: membership('list_position', INTEGER),
  list_indexof: membership('list_position', INTEGER),
  array_position: membership('list_position', INTEGER),
  array_indexof: membership('list_position', INTEGER),
  list_slice: slice,
  array_slice: slice,
  list_sort: sorted(false),
  array_sort: sorted(false),
  list_reverse_sort: sorted(true),
  array_reverse_sort: sorted(true),
  list_aggregate: listAggregateByName,
  array_aggregate: listAggregateByName,
  list_aggr: listAggregateByName,
  array_aggr: listAggregateByName,
  ...Object.fromEntries(
    [
      'sum',
      'min',
      'max',
      'avg',
      'count',
      'product',
      'median',
      'mode',
      'first',
      'last',
      'any_value',
      'bool_and',
      'bool_or',
      'stddev_samp',
      'stddev_pop',
      'var_samp',
      'var_pop',
    ].map((a) => [`list_${a}`, listAggregateOf(a)]),
  ),
  list_distinct: distinct,
  array_distinct: distinct,
  flatten,
};
