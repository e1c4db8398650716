import {
  BIGINT,
  BindError,
  commonSupertype,
  decimal,
  DOUBLE,
  INTEGER,
  integerAsDecimal,
  isFloat,
  isInteger,
  isNumeric,
  isTemporal,
  MAX_DECIMAL_PRECISION,
  TIMESTAMP,
  typeToString,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { castTo, isStringLiteral, literalTypeBeside } from './coerce.ts';

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

const FN = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' } as const;

/** DuckDB keeps a product of two DECIMAL(≤18) in 64 bits when it can: DECIMAL(18, s). */
const MAX_INT64_DECIMAL = 18;

function mismatch(op: string, left: Expr, right: Expr, position: SqlPosition | undefined): BindError {
  return new BindError(
    'TYPE_MISMATCH',
    `operator ${op} does not apply to ${typeToString(left.type)} and ${typeToString(right.type)}`,
    { position },
  );
}

/** A string literal next to a number or date takes the other side's type, as in DuckDB. */
function adaptLiteral(side: Expr, other: Expr, position: SqlPosition | undefined): Expr {
  if (isStringLiteral(side) && isNumeric(other.type)) return castTo(side, other.type, position);
  return side;
}

function dateArithmetic(
  op: ArithmeticOperator,
  left: Expr,
  right: Expr,
  position: SqlPosition | undefined,
): Expr | undefined {
  const lt = left.type;
  const rt = right.type;
  // A date at a time of day: DATE + TIME (either way round) is the TIMESTAMP, as in DuckDB.
  if (
    op === '+' &&
    ((lt.kind === 'DATE' && rt.kind === 'TIME') || (lt.kind === 'TIME' && rt.kind === 'DATE'))
  ) {
    const [date, time] = lt.kind === 'DATE' ? [left, right] : [right, left];
    return call('timestamp_add_micros', [castTo(date, TIMESTAMP), time], TIMESTAMP);
  }
  if (lt.kind === 'DATE' && rt.kind === 'DATE' && op === '-')
    return call('date_diff_days', [right, left], BIGINT);
  // Whole days move a DATE; DuckDB has no TIMESTAMP ± integer (only ± INTERVAL).
  if (lt.kind === 'DATE' && isInteger(rt) && (op === '+' || op === '-')) {
    const days =
      op !== '-'
        ? right
        : right.kind === 'literal' && typeof right.value === 'number'
          ? literal(-right.value, right.type)
          : call('negate', [right], right.type);
    return call('date_add_days', [left, days], lt);
  }
  if (isInteger(lt) && rt.kind === 'DATE' && op === '+') return call('date_add_days', [right, left], rt);
  if (isTemporal(lt) || isTemporal(rt) || lt.kind === 'TIME' || rt.kind === 'TIME')
    throw mismatch(op, left, right, position);
  return undefined;
}

/**
 * Binds `left op right` with DuckDB's result types: integers stay integers, DECIMAL sums gain
 * a digit, DECIMAL products add precisions and scales without casting, `/` is DOUBLE division.
 */
export function bindArithmetic(
  op: ArithmeticOperator,
  leftIn: Expr,
  rightIn: Expr,
  position: SqlPosition | undefined,
): Expr {
  let left = adaptLiteral(leftIn, rightIn, position);
  let right = adaptLiteral(rightIn, leftIn, position);
  if (left.type.kind === 'NULL') left = castTo(left, right.type.kind === 'NULL' ? BIGINT : right.type);
  if (right.type.kind === 'NULL') right = castTo(right, left.type);
  const dated = dateArithmetic(op, left, right, position);
  if (dated) return dated;
  if (!isNumeric(left.type) || !isNumeric(right.type)) throw mismatch(op, left, right, position);
  const fn = FN[op];
  const common = commonSupertype(
    literalTypeBeside(left, right.type),
    literalTypeBeside(right, left.type),
  ) as SqlType;
  // `/` divides doubles, or FLOATs when both sides fit one (DuckDB's typing).
  if (op === '/') {
    const quotient = isFloat(common) ? common : DOUBLE;
    return call(fn, [castTo(left, quotient), castTo(right, quotient)], quotient);
  }
  if (common.kind === 'DECIMAL' && op === '*') {
    const a = integerAsDecimal(left.type);
    const b = integerAsDecimal(right.type);
    let precision = a.precision + b.precision;
    const scale = a.scale + b.scale;
    if (precision > MAX_INT64_DECIMAL && a.precision <= MAX_INT64_DECIMAL && b.precision <= MAX_INT64_DECIMAL)
      precision = MAX_INT64_DECIMAL;
    return call(fn, [left, right], decimal(Math.min(precision, MAX_DECIMAL_PRECISION), scale));
  }
  const args = [castTo(left, common), castTo(right, common)];
  if (common.kind === 'DECIMAL' && (op === '+' || op === '-')) {
    // A sum gains a digit, except that DuckDB does not grow two 64-bit decimals past 18 digits.
    const fits64 =
      integerAsDecimal(left.type).precision <= MAX_INT64_DECIMAL &&
      integerAsDecimal(right.type).precision <= MAX_INT64_DECIMAL;
    const precision =
      common.precision + 1 === MAX_INT64_DECIMAL + 1 && fits64 ? MAX_INT64_DECIMAL : common.precision + 1;
    return call(fn, args, decimal(precision, common.scale));
  }
  return call(fn, args, common);
}

/**
 * DuckDB's `a // b`: integers divide into their common integer type, truncated toward zero
 * (NULL for a zero divisor, as `/` gives); any other numbers divide as `/` does.
 */
export function bindIntegerDivision(leftIn: Expr, rightIn: Expr, position: SqlPosition | undefined): Expr {
  const left = adaptLiteral(leftIn, rightIn, position);
  const right = adaptLiteral(rightIn, leftIn, position);
  const common = commonSupertype(literalTypeBeside(left, right.type), literalTypeBeside(right, left.type));
  if (!common || !isInteger(common)) return bindArithmetic('/', leftIn, rightIn, position);
  return call('divide', [castTo(left, common), castTo(right, common)], common);
}

export type BitwiseFunction = 'bitwise_and' | 'bitwise_or' | 'bitwise_xor' | 'shift_left' | 'shift_right';

/** The SQL spelling of each bitwise function, for errors. */
const BITWISE_SPELLING: Record<BitwiseFunction, string> = {
  bitwise_and: 'operator &',
  bitwise_or: 'operator |',
  bitwise_xor: 'xor()',
  shift_left: 'operator <<',
  shift_right: 'operator >>',
};

/**
 * DuckDB's `&`, `|`, `<<`, `>>` and xor(): integers of any width in their common integer
 * type (TINYINT … HUGEINT), anything else a TYPE_MISMATCH, as DuckDB has no implicit cast
 * of a DECIMAL or DOUBLE to one.
 */
export function bindBitwise(
  fn: BitwiseFunction,
  leftIn: Expr,
  rightIn: Expr,
  position: SqlPosition | undefined,
): Expr {
  const left = adaptLiteral(leftIn, rightIn, position);
  const right = adaptLiteral(rightIn, leftIn, position);
  const common = commonSupertype(literalTypeBeside(left, right.type), literalTypeBeside(right, left.type));
  if (!common || !(isInteger(common) || common.kind === 'NULL'))
    throw mismatch(BITWISE_SPELLING[fn].replace(/^operator /, ''), left, right, position);
  const type = common.kind === 'NULL' ? INTEGER : common;
  return call(fn, [castTo(left, type), castTo(right, type)], type);
}

/** `~x`: the bits of an integer inverted, in its type. */
export function bindBitwiseNot(operand: Expr, position: SqlPosition | undefined): Expr {
  const type = operand.type.kind === 'NULL' ? INTEGER : operand.type;
  if (!isInteger(type))
    throw new BindError('TYPE_MISMATCH', `operator ~ does not apply to ${typeToString(operand.type)}`, {
      position,
    });
  return call('bitwise_not', [castTo(operand, type)], type);
}

/** DuckDB's `a ^ b` and `a ** b`: power() of numbers, in DOUBLE. */
export function bindPower(op: string, leftIn: Expr, rightIn: Expr, position: SqlPosition | undefined): Expr {
  const left = adaptLiteral(leftIn, rightIn, position);
  const right = adaptLiteral(rightIn, leftIn, position);
  const numeric = (e: Expr) => isNumeric(e.type) || e.type.kind === 'NULL';
  if (!numeric(left) || !numeric(right)) throw mismatch(op, left, right, position);
  return call('power', [castTo(left, DOUBLE), castTo(right, DOUBLE)], DOUBLE);
}

/** Unary minus keeps the operand's type. */
export function bindNegate(operand: Expr, position: SqlPosition | undefined): Expr {
  if (!isNumeric(operand.type)) {
    throw new BindError('TYPE_MISMATCH', `operator - does not apply to ${typeToString(operand.type)}`, {
      position,
    });
  }
  return call('negate', [operand], operand.type);
}
