import {
  BIGINT,
  BindError,
  BOOLEAN,
  DOUBLE,
  isNumeric,
  isTemporal,
  listOf,
  TIMESTAMP,
  typeToString,
  VARCHAR,
  type SqlPosition,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { bindArithmetic } from './bind-arithmetic.ts';
import { castTo, isStringLiteral, unify } from './coerce.ts';
import { arity, type FunctionBinder } from './function-binder.ts';

type Binder = FunctionBinder;
type Lookup = (name: string, args: Expr[], position: SqlPosition | undefined) => Expr;

function expectType(
  name: string,
  arg: Expr,
  ok: boolean,
  wanted: string,
  position: SqlPosition | undefined,
): void {
  if (!ok && arg.type.kind !== 'NULL')
    throw new BindError(
      'TYPE_MISMATCH',
      `function ${name}() expects ${wanted}, got ${typeToString(arg.type)}`,
      { position },
    );
}

const NAN = literal(Number.NaN, DOUBLE);
const INFINITY = literal(Number.POSITIVE_INFINITY, DOUBLE);

/** A number as a DOUBLE, for the functions that test doubles (an integer is never NaN). */
function asDouble(name: string, arg: Expr, position: SqlPosition | undefined): Expr {
  expectType(name, arg, isNumeric(arg.type), 'a number', position);
  return castTo(arg, DOUBLE, position);
}

/** A DATE or TIMESTAMP argument (a string literal read as a TIMESTAMP). */
function temporal(name: string, arg: Expr, position: SqlPosition | undefined): Expr {
  const value = isStringLiteral(arg) ? castTo(arg, TIMESTAMP, position) : arg;
  expectType(name, value, isTemporal(value.type), 'a DATE or TIMESTAMP', position);
  return value;
}

const isNan: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  // `=` has DuckDB's order, where NaN equals NaN.
  return call('eq', [asDouble(name, args[0], position), NAN], BOOLEAN);
};

const isInf: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  return call('eq', [call('abs', [asDouble(name, args[0], position)], DOUBLE), INFINITY], BOOLEAN);
};

const isFinite: Binder = (args, position, name) => {
  const not = (e: Expr): Expr => call('not', [e], BOOLEAN);
  return call('and', [not(isNan(args, position, name)), not(isInf(args, position, name))], BOOLEAN);
};

/** degrees(x) and radians(x): x times DuckDB's own factor, so the digits are its digits. */
function scaled(factor: number): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 1, position);
    return call('multiply', [asDouble(name, args[0], position), literal(factor, DOUBLE)], DOUBLE);
  };
}

/** if(c, a, b): CASE WHEN c THEN a ELSE b END. */
const ifThenElse: Binder = (args, position, name) => {
  arity(name, args, 3, 3, position);
  const when = castTo(args[0], BOOLEAN, position);
  const { exprs, type } = unify(args.slice(1), name, position);
  return { kind: 'case', whens: [{ when, then: exprs[0] }], otherwise: exprs[1], type };
};

/** dayname(d), monthname(d): the English names strftime's %A and %B print. */
function dateName(format: string): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 1, position);
    return call('strftime', [temporal(name, args[0], position), literal(format, VARCHAR)], VARCHAR);
  };
}

/** epoch_us(t): a timestamp's microseconds since 1970. */
const epochUs: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  const value = castTo(temporal(name, args[0], position), TIMESTAMP, position);
  return call('date_diff_microseconds', [literal(0, TIMESTAMP), value], BIGINT);
};

/** epoch_ms(t): its milliseconds, truncated toward zero as DuckDB's are (-0.5 ms is 0). */
const epochMs: Binder = (args, position, name) => {
  const us = epochUs(args, position, name);
  const thousand = literal(1000, BIGINT);
  const whole = bindArithmetic('-', us, bindArithmetic('%', us, thousand, position), position);
  return castTo(bindArithmetic('/', whole, thousand, position), BIGINT, position);
};

/**
 * Functions that are other functions composed: written once here rather than as kernels,
 * each binding to the expression DuckDB's own definition computes. `lookup` binds a call by
 * name, for the ones built on other named functions.
 */
export function composedFunctions(lookup: Lookup): Record<string, Binder> {
  return {
    isnan: isNan,
    isinf: isInf,
    isfinite: isFinite,
    degrees: scaled(180 / Math.PI),
    radians: scaled(Math.PI / 180),
    if: ifThenElse,
    dayname: dateName('%A'),
    monthname: dateName('%B'),
    epoch_ms: epochMs,
    epoch_us: epochUs,
    // concat_ws(sep, a, b, …): the arguments that are not NULL, as text, joined by sep.
    concat_ws: (args, position, name) => {
      arity(name, args, 2, 64, position);
      const parts = args.slice(1).map((a) => castTo(a, VARCHAR, position));
      const list = call('list_value', parts, listOf(VARCHAR));
      return call('list_to_string', [list, castTo(args[0], VARCHAR, position)], VARCHAR);
    },
    ucase: (args, position) => lookup('upper', args, position),
    lcase: (args, position) => lookup('lower', args, position),
    weekday: (args, position) => lookup('dayofweek', args, position),
    // yearweek(d): the ISO year and week, 2024-03-01 is 202409.
    yearweek: (args, position) =>
      bindArithmetic(
        '+',
        bindArithmetic('*', lookup('isoyear', args, position), literal(100, BIGINT), position),
        lookup('week', args, position),
        position,
      ),
    bit_length: (args, position) =>
      bindArithmetic('*', lookup('strlen', args, position), literal(8, BIGINT), position),
    // make_timestamp(y, m, d, h, min, s): the date at that time of day, as DATE + TIME is.
    make_timestamp: (args, position, name) => {
      arity(name, args, 6, 6, position);
      const date = lookup('make_date', args.slice(0, 3), position);
      const time = lookup('make_time', args.slice(3), position);
      return bindArithmetic('+', date, time, position);
    },
  };
}
