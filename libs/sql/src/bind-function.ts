import {
  listOf,
  BIGINT,
  BindError,
  BOOLEAN,
  closestNames,
  DATE,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIME,
  decimal,
  DOUBLE,
  INTEGER,
  TINYINT,
  isInteger,
  isNumeric,
  isTemporal,
  isZoned,
  typeToString,
  VARCHAR,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import { call, literal, type Expr, type ScalarFunctionName } from '@tributary/plan';
import { bindArithmetic, bindBitwise } from './bind-arithmetic.ts';
import { castTo, isStringLiteral, unify } from './coerce.ts';
import { PG_FUNCTIONS } from './pg-functions.ts';
import { bindListConcat, LIST_FUNCTIONS } from './bind-list-function.ts';
import { composedFunctions } from './composed-functions.ts';
import { arity, type FunctionBinder } from './function-binder.ts';

type Binder = FunctionBinder;

function expect(
  name: string,
  arg: Expr,
  ok: (t: SqlType) => boolean,
  what: string,
  position: SqlPosition | undefined,
): void {
  if (!ok(arg.type) && arg.type.kind !== 'NULL') {
    throw new BindError(
      'TYPE_MISMATCH',
      `function ${name}() expects ${what}, got ${typeToString(arg.type)}`,
      { position },
    );
  }
}

const isText = (t: SqlType): boolean => t.kind === 'VARCHAR';

function strings(fn: ScalarFunctionName, min: number, max: number, result: SqlType): Binder {
  return (args, position, name) => {
    arity(name, args, min, max, position);
    const cast = args.map((a) => (isStringLiteral(a) || a.type.kind === 'NULL' ? castTo(a, VARCHAR) : a));
    cast.forEach((a) => expect(name, a, isText, 'VARCHAR', position));
    return call(fn, cast, result);
  };
}

function doubles(fn: ScalarFunctionName, count: number): Binder {
  return (args, position, name) => {
    arity(name, args, count, count, position);
    // A string literal is read as the DOUBLE the function takes, as DuckDB does (sqrt('4')); a
    // VARCHAR column is not.
    args.forEach((a) => {
      if (!(a.kind === 'literal' && a.type.kind === 'VARCHAR'))
        expect(name, a, isNumeric, 'a number', position);
    });
    return call(
      fn,
      args.map((a) => castTo(a, DOUBLE, position)),
      DOUBLE,
    );
  };
}

function sameNumeric(
  fn: ScalarFunctionName,
  decimalResult: (t: SqlType & { kind: 'DECIMAL' }) => SqlType,
): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 1, position);
    expect(name, args[0], isNumeric, 'a number', position);
    const t = args[0].type;
    return call(fn, args, t.kind === 'DECIMAL' ? decimalResult(t) : t);
  };
}

function integerLiteral(arg: Expr | undefined): number | undefined {
  if (!arg) return 0;
  if (arg.kind === 'literal' && isInteger(arg.type) && typeof arg.value === 'number') return arg.value;
  if (arg.kind === 'call' && arg.fn === 'negate') {
    const inner = integerLiteral(arg.args[0]);
    return inner === undefined ? undefined : -inner;
  }
  return undefined;
}

const round: Binder = (args, position, name) => {
  arity(name, args, 1, 2, position);
  expect(name, args[0], isNumeric, 'a number', position);
  const digits = integerLiteral(args[1]);
  if (digits === undefined)
    throw new BindError('TYPE_MISMATCH', `${name}() expects a constant integer number of digits`, {
      position,
    });
  const t = args[0].type;
  const type = t.kind === 'DECIMAL' ? decimal(t.precision, Math.max(0, Math.min(digits, t.scale))) : t;
  return call(
    'round',
    [args[0], castTo(args[1] ?? { kind: 'literal', value: 0, type: INTEGER }, INTEGER)],
    type,
  );
};

const substring: Binder = (args, position, name) => {
  arity(name, args, 2, 3, position);
  const text = castTo(args[0], VARCHAR, position);
  expect(name, text, isText, 'VARCHAR', position);
  args.slice(1).forEach((a) => expect(name, a, isInteger, 'an integer', position));
  return call('substring', [text, ...args.slice(1).map((a) => castTo(a, BIGINT))], VARCHAR);
};

/** `a || b`: NULL when either side is. */
export function bindConcatOperator(left: Expr, right: Expr): Expr {
  if (left.type.kind === 'LIST' || right.type.kind === 'LIST')
    return bindListConcat([left, right], undefined);
  return call('concat', [castTo(left, VARCHAR), castTo(right, VARCHAR)], VARCHAR);
}

/** concat(…) skips NULL arguments, as in DuckDB and PostgreSQL, so never yields NULL. */
const concat: Binder = (args, position, name) => {
  arity(name, args, 1, 64, position);
  return call(
    'concat',
    args.map((a) => call('coalesce', [castTo(a, VARCHAR), literal('', VARCHAR)], VARCHAR)),
    VARCHAR,
  );
};

const coalesce: Binder = (args, position, name) => {
  arity(name, args, 1, 64, position);
  const unified = unify(args, name, position);
  return call('coalesce', unified.exprs, unified.type);
};

const nullif: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  const unified = unify(args, name, position);
  return call('nullif', unified.exprs, unified.type);
};

const sign: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  expect(name, args[0], isNumeric, 'a number', position);
  return call('sign', args, TINYINT);
};

/** typeof(x): the name of x's type as DuckDB spells it (a bare NULL's is `"NULL"`), known when bound. */
const typeOf: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  const type = args[0].type;
  return literal(type.kind === 'NULL' ? '"NULL"' : typeToString(type), VARCHAR);
};

const DATE_PARTS: Record<string, ScalarFunctionName> = {
  year: 'extract_year',
  years: 'extract_year',
  month: 'extract_month',
  months: 'extract_month',
  day: 'extract_day',
  days: 'extract_day',
  quarter: 'extract_quarter',
  quarters: 'extract_quarter',
  dow: 'extract_dow',
  dayofweek: 'extract_dow',
  isodow: 'extract_isodow',
  doy: 'extract_doy',
  dayofyear: 'extract_doy',
  week: 'extract_week',
  weeks: 'extract_week',
  weekofyear: 'extract_week',
  isoyear: 'extract_isoyear',
  hour: 'extract_hour',
  hours: 'extract_hour',
  minute: 'extract_minute',
  minutes: 'extract_minute',
  second: 'extract_second',
  seconds: 'extract_second',
  millisecond: 'extract_millisecond',
  milliseconds: 'extract_millisecond',
  microsecond: 'extract_microsecond',
  microseconds: 'extract_microsecond',
  epoch: 'extract_epoch',
};

const TRUNC_PARTS: Record<string, ScalarFunctionName> = {
  year: 'date_trunc_year',
  quarter: 'date_trunc_quarter',
  month: 'date_trunc_month',
  day: 'date_trunc_day',
  hour: 'date_trunc_hour',
  minute: 'date_trunc_minute',
  second: 'date_trunc_second',
};

/** date_diff's units; day counts day boundaries, the others as DuckDB does (see codegen-date-parts.ts). */
const DIFF_UNITS: Record<string, ScalarFunctionName> = {
  year: 'date_diff_years',
  quarter: 'date_diff_quarters',
  month: 'date_diff_months',
  week: 'date_diff_weeks',
  day: 'date_diff_days',
  hour: 'date_diff_hours',
  minute: 'date_diff_minutes',
  second: 'date_diff_seconds',
  millisecond: 'date_diff_milliseconds',
  microsecond: 'date_diff_microseconds',
};

/** The parts a TIME has: those of a time of day, and its seconds since midnight (epoch). */
const TIME_PARTS: ReadonlySet<ScalarFunctionName> = new Set([
  'extract_hour',
  'extract_minute',
  'extract_second',
  'extract_millisecond',
  'extract_microsecond',
  'extract_epoch',
]);

/** `EXTRACT(field FROM d)` and `date_part('field', d)`; BIGINT like DuckDB. */
export function bindExtract(field: string, source: Expr, position: SqlPosition | undefined): Expr {
  const fn = DATE_PARTS[field.toLowerCase()];
  if (!fn) {
    throw new BindError('UNSUPPORTED_FEATURE', `EXTRACT(${field}) is not supported`, {
      position,
      suggestions: closestNames(field, Object.keys(DATE_PARTS)),
    });
  }
  const arg = isStringLiteral(source)
    ? castTo(source, source.value.includes(':') ? { kind: 'TIMESTAMP' } : { kind: 'DATE' }, position)
    : source;
  if (arg.type.kind !== 'TIME')
    expect(`extract(${field})`, arg, isTemporal, 'a DATE, TIMESTAMP or TIME', position);
  else if (!TIME_PARTS.has(fn))
    throw new BindError('TYPE_MISMATCH', `extract(${field}) of a TIME: a time of day has no ${field}`, {
      position,
    });
  return call(fn, [arg], fn === 'extract_epoch' ? DOUBLE : BIGINT);
}

function partOf(name: string, arg: Expr, position: SqlPosition | undefined): string {
  if (!isStringLiteral(arg))
    throw new BindError('TYPE_MISMATCH', `${name}() expects a constant part name such as 'year'`, {
      position,
    });
  return arg.value;
}

const datePart: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  return bindExtract(partOf(name, args[0], position), args[1], position);
};

function partFunction(field: string): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 1, position);
    return bindExtract(field, args[0], position);
  };
}

/** date_trunc('week', d): back to the Monday on or before d, as DuckDB (ISO weeks). */
function truncWeek(arg: Expr, position: SqlPosition | undefined, name: string): Expr {
  expect(name, arg, isTemporal, 'a DATE or TIMESTAMP', position);
  const day = call('date_trunc_day', [arg], arg.type);
  // extract_dow counts from Sunday = 0, so Monday is (dow + 6) % 7 days back.
  const back = call(
    'modulo',
    [call('add', [call('extract_dow', [arg], BIGINT), literal(6, BIGINT)], BIGINT), literal(7, BIGINT)],
    BIGINT,
  );
  return call('date_add_days', [day, call('negate', [back], BIGINT)], arg.type);
}

/** date_trunc(part, d): a TIMESTAMP whatever the argument (WITH TIME ZONE if d is), as in DuckDB. */
const dateTrunc: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  const part = partOf(name, args[0], position).toLowerCase().replace(/s$/, '');
  const value = isStringLiteral(args[1]) ? castTo(args[1], TIMESTAMP, position) : args[1];
  const type = isZoned(value.type) ? TIMESTAMPTZ : TIMESTAMP;
  if (part === 'week') return castTo(truncWeek(value, position, name), type);
  const fn = TRUNC_PARTS[part];
  if (!fn)
    throw new BindError('UNSUPPORTED_FEATURE', `date_trunc('${part}') is not supported`, {
      position,
      suggestions: closestNames(part, Object.keys(TRUNC_PARTS)),
    });
  expect(name, value, isTemporal, 'a DATE or TIMESTAMP', position);
  return call(fn, [value], type);
};

const strpos = strings('strpos', 2, 2, BIGINT);
/** ifnull(a, b) and nvl(a, b): coalesce of two. */
const ifnull: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  return coalesce(args, position, name);
};

/**
 * greatest/least as a fold of CASEs over the unified arguments; NULLs are skipped, as in
 * DuckDB, so the result is NULL only when every argument is.
 */
function extreme(comparison: 'gte' | 'lte'): Binder {
  return (args, position, name) => {
    arity(name, args, 1, 64, position);
    const { exprs, type } = unify(args, name, position);
    return exprs.reduce((a, b) => ({
      kind: 'case',
      whens: [
        { when: { kind: 'is-null', expr: a, negated: false, type: BOOLEAN }, then: b },
        { when: { kind: 'is-null', expr: b, negated: false, type: BOOLEAN }, then: a },
        { when: call(comparison, [a, b], BOOLEAN), then: a },
      ],
      otherwise: b,
      type,
    }));
  };
}

/** trunc(x): toward zero, i.e. floor for positives and ceil for negatives. */
const trunc: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  expect(name, args[0], isNumeric, 'a number', position);
  if (isInteger(args[0].type)) return args[0];
  const floor = FUNCTIONS.floor(args, position, 'floor');
  const ceil = FUNCTIONS.ceil(args, position, 'ceil');
  const negative = call('lt', [castTo(args[0], DOUBLE), literal(0, DOUBLE)], BOOLEAN);
  return { kind: 'case', whens: [{ when: negative, then: ceil }], otherwise: floor, type: floor.type };
};

/** last_day(d): the first of the next month, minus one day. */
const lastDay: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  const d = isStringLiteral(args[0]) ? castTo(args[0], { kind: 'DATE' }, position) : args[0];
  expect(name, d, isTemporal, 'a DATE or TIMESTAMP', position);
  const first = call('date_trunc_month', [d], { kind: 'DATE' });
  const next = call('date_add_months', [first, literal(1, INTEGER)], { kind: 'DATE' });
  return call('date_add_days', [next, literal(-1, INTEGER)], { kind: 'DATE' });
};

/** mod(a, b) is the % operator. */
const mod: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  return bindArithmetic('%', args[0], args[1], position);
};

/**
 * A function of strings and integers: `shape` gives each argument's kind ('s' VARCHAR,
 * 'i' BIGINT), the arguments past `min` being optional.
 */
function textFunction(fn: ScalarFunctionName, shape: string, min: number, result: SqlType): Binder {
  return (args, position, name) => {
    arity(name, args, min, shape.length, position);
    const cast = args.map((a, i) => {
      if (shape[i] === 'i') {
        expect(name, a, isInteger, 'an integer', position);
        return castTo(a, BIGINT);
      }
      const text = isStringLiteral(a) || a.type.kind === 'NULL' ? castTo(a, VARCHAR) : a;
      expect(name, text, isText, 'VARCHAR', position);
      return text;
    });
    return call(fn, cast, result);
  };
}

/** log(x) is base 10; log(b, x) base b. */
const log: Binder = (args, position, name) => {
  arity(name, args, 1, 2, position);
  if (args.length === 1) return doubles('log10', 1)(args, position, name);
  const [base, x] = args.map((a) => doubles('ln', 1)([a], position, name));
  return call('divide', [x, base], DOUBLE);
};

/** date_diff('unit', start, end) and datediff: end - start in that unit. */
const dateDiff: Binder = (args, position, name) => {
  arity(name, args, 3, 3, position);
  const part = partOf(name, args[0], position).toLowerCase().replace(/s$/, '');
  const fn = DIFF_UNITS[part];
  if (!fn)
    throw new BindError('UNSUPPORTED_FEATURE', `${name}('${part}') is not supported`, {
      position,
      suggestions: closestNames(part, Object.keys(DIFF_UNITS)),
    });
  const ends = args.slice(1).map((a) => (isStringLiteral(a) ? castTo(a, { kind: 'DATE' }, position) : a));
  ends.forEach((a) => expect(name, a, isTemporal, 'a DATE or TIMESTAMP', position));
  return call(fn, ends, BIGINT);
};

/** strftime(d, format): d a DATE or TIMESTAMP (a string literal read as a TIMESTAMP). */
const strftime: Binder = (args, position, name) => {
  arity(name, args, 2, 2, position);
  const value = isStringLiteral(args[0]) ? castTo(args[0], TIMESTAMP, position) : args[0];
  expect(name, value, isTemporal, 'a DATE or TIMESTAMP', position);
  const format = castTo(args[1], VARCHAR, position);
  expect(name, format, isText, 'a VARCHAR format', position);
  return call('strftime', [value, format], VARCHAR);
};

/** make_time(hour, minute, seconds): a TIME, the seconds with their fraction. */
const makeTime: Binder = (args, position, name) => {
  arity(name, args, 3, 3, position);
  args.slice(0, 2).forEach((a) => expect(name, a, isInteger, 'an integer', position));
  expect(name, args[2], isNumeric, 'a number', position);
  return call('make_time', [castTo(args[0], BIGINT), castTo(args[1], BIGINT), castTo(args[2], DOUBLE)], TIME);
};

/** pi(): a constant. */
const pi: Binder = (args, position, name) => {
  arity(name, args, 0, 0, position);
  return literal(Math.PI, DOUBLE);
};

/** to_timestamp(seconds since the epoch): a TIMESTAMP WITH TIME ZONE, as in DuckDB. */
const toTimestamp: Binder = (args, position, name) => {
  arity(name, args, 1, 1, position);
  expect(name, args[0], isNumeric, 'a number', position);
  return call('to_timestamp', [castTo(args[0], DOUBLE)], TIMESTAMPTZ);
};

const FUNCTIONS: Record<string, Binder> = {
  ascii: textFunction('ascii', 's', 1, INTEGER),
  chr: textFunction('chr', 'i', 1, VARCHAR),
  strlen: textFunction('strlen', 's', 1, BIGINT),
  regexp_extract: textFunction('regexp_extract', 'ssi', 2, VARCHAR),
  regexp_full_match: textFunction('regexp_full_match', 'ss', 2, BOOLEAN),
  string_split: textFunction('string_split', 'ss', 2, listOf(VARCHAR)),
  str_split: textFunction('string_split', 'ss', 2, listOf(VARCHAR)),
  string_to_array: textFunction('string_split', 'ss', 2, listOf(VARCHAR)),
  split: textFunction('string_split', 'ss', 2, listOf(VARCHAR)),
  regexp_split_to_array: textFunction('regexp_split', 'sss', 2, listOf(VARCHAR)),
  string_split_regex: textFunction('regexp_split', 'sss', 2, listOf(VARCHAR)),
  str_split_regex: textFunction('regexp_split', 'sss', 2, listOf(VARCHAR)),
  regexp_extract_all: textFunction('regexp_extract_all', 'ssi', 2, listOf(VARCHAR)),
  levenshtein: textFunction('levenshtein', 'ss', 2, BIGINT),
  editdist3: textFunction('levenshtein', 'ss', 2, BIGINT),
  hamming: textFunction('hamming', 'ss', 2, BIGINT),
  mismatches: textFunction('hamming', 'ss', 2, BIGINT),
  strip_accents: textFunction('strip_accents', 's', 1, VARCHAR),
  unicode: textFunction('unicode', 's', 1, INTEGER),
  ord: textFunction('unicode', 's', 1, INTEGER),
  md5: textFunction('md5', 's', 1, VARCHAR),
  sha256: textFunction('sha256', 's', 1, VARCHAR),
  strptime: textFunction('strptime', 'ss', 2, TIMESTAMP),
  to_timestamp: toTimestamp,
  cbrt: doubles('cbrt', 1),
  pi,
  lower: strings('lower', 1, 1, VARCHAR),
  upper: strings('upper', 1, 1, VARCHAR),
  length: strings('length', 1, 1, BIGINT),
  char_length: strings('length', 1, 1, BIGINT),
  substring,
  substr: substring,
  trim: strings('trim', 1, 2, VARCHAR),
  ltrim: strings('ltrim', 1, 2, VARCHAR),
  rtrim: strings('rtrim', 1, 2, VARCHAR),
  replace: strings('replace', 3, 3, VARCHAR),
  concat,
  starts_with: strings('starts_with', 2, 2, BOOLEAN),
  contains: strings('contains', 2, 2, BOOLEAN),
  strpos,
  instr: strpos,
  abs: sameNumeric('abs', (t) => t),
  xor: (args, position, name) => {
    arity(name, args, 2, 2, position);
    return bindBitwise('bitwise_xor', args[0], args[1], position);
  },
  bit_count: (args, position, name) => {
    arity(name, args, 1, 1, position);
    expect(name, args[0], isInteger, 'an integer', position);
    return call('bit_count', [args[0].type.kind === 'NULL' ? castTo(args[0], INTEGER) : args[0]], TINYINT);
  },
  round,
  floor: sameNumeric('floor', (t) => decimal(t.precision, 0)),
  ceil: sameNumeric('ceil', (t) => decimal(t.precision, 0)),
  ceiling: sameNumeric('ceil', (t) => decimal(t.precision, 0)),
  sqrt: doubles('sqrt', 1),
  power: doubles('power', 2),
  pow: doubles('power', 2),
  ln: doubles('ln', 1),
  log10: doubles('log10', 1),
  log,
  mod,
  left: textFunction('left', 'si', 2, VARCHAR),
  right: textFunction('right', 'si', 2, VARCHAR),
  split_part: textFunction('split_part', 'ssi', 3, VARCHAR),
  regexp_matches: textFunction('regexp_matches', 'sss', 2, BOOLEAN),
  regexp_replace: textFunction('regexp_replace', 'ssss', 3, VARCHAR),
  reverse: textFunction('reverse', 's', 1, VARCHAR),
  translate: textFunction('translate', 'sss', 3, VARCHAR),
  lpad: textFunction('lpad', 'sis', 3, VARCHAR),
  rpad: textFunction('rpad', 'sis', 3, VARCHAR),
  repeat: textFunction('repeat', 'si', 2, VARCHAR),
  ends_with: textFunction('ends_with', 'ss', 2, BOOLEAN),
  suffix: textFunction('ends_with', 'ss', 2, BOOLEAN),
  prefix: strings('starts_with', 2, 2, BOOLEAN),
  log2: doubles('log2', 1),
  strftime,
  make_date: textFunction('make_date', 'iii', 3, DATE),
  make_time: makeTime,
  week: partFunction('week'),
  weekofyear: partFunction('week'),
  isodow: partFunction('isodow'),
  isoyear: partFunction('isoyear'),
  epoch: partFunction('epoch'),
  hour: partFunction('hour'),
  minute: partFunction('minute'),
  second: partFunction('second'),
  millisecond: partFunction('millisecond'),
  microsecond: partFunction('microsecond'),
  exp: doubles('exp', 1),
  sin: doubles('sin', 1),
  cos: doubles('cos', 1),
  tan: doubles('tan', 1),
  cot: doubles('cot', 1),
  asin: doubles('asin', 1),
  acos: doubles('acos', 1),
  atan: doubles('atan', 1),
  atan2: doubles('atan2', 2),
  sign,
  typeof: typeOf,
  coalesce,
  nullif,
  ifnull,
  nvl: ifnull,
  greatest: extreme('gte'),
  least: extreme('lte'),
  trunc,
  last_day: lastDay,
  date_part: datePart,
  datepart: datePart,
  year: partFunction('year'),
  month: partFunction('month'),
  day: partFunction('day'),
  quarter: partFunction('quarter'),
  dayofmonth: partFunction('day'),
  dayofweek: partFunction('dow'),
  dayofyear: partFunction('doy'),
  date_diff: dateDiff,
  datediff: dateDiff,
  date_trunc: dateTrunc,
  ...PG_FUNCTIONS,
  ...LIST_FUNCTIONS,
  ...composedFunctions(bindFunction),
};

/** Binds a scalar function call by name (case-insensitive). */
export function bindFunction(name: string, args: Expr[], position: SqlPosition | undefined): Expr {
  // pg_catalog.format_type(…): Postgres clients qualify the built-in functions they call.
  const key = name.toLowerCase().replace(/^"?pg_catalog"?\./, '');
  const binder = Object.hasOwn(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
  if (!binder) {
    const suggestions = closestNames(key, [...Object.keys(FUNCTIONS), 'count', 'sum', 'avg', 'min', 'max']);
    const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
    throw new BindError('FUNCTION_NOT_FOUND', `function "${name}" not found${hint}`, {
      position,
      suggestions,
    });
  }
  return binder(args, position, key);
}

/** The scalar functions the binder knows, by name (the console's autocompletion lists them). */
export function scalarFunctionNames(): string[] {
  return Object.keys(FUNCTIONS);
}
