import {
  BindError,
  commonSupertype,
  parseDate,
  bigPowerOfTen,
  INTEGER_BOUNDS,
  int32Range,
  INTEGER,
  isFloat,
  parseDoubleText,
  isNarrowInteger,
  parseExactDecimal,
  parseExactInteger,
  parseTimestamp,
  sameType,
  typeToString,
  VARCHAR,
  NULL_TYPE,
  type SqlPosition,
  type SqlType,
  isZoned,
  parseTime,
} from '@tributary/common';
import { literal, type Expr, type LiteralValue } from '@tributary/plan';
import { exactLiteralValue } from './sql-literal.ts';

export function isStringLiteral(e: Expr): e is Expr & { kind: 'literal'; value: string } {
  return e.kind === 'literal' && e.type.kind === 'VARCHAR' && typeof e.value === 'string';
}

/** The value of string `text` as `type`, or undefined when it does not convert. */
export function convertString(text: string, type: SqlType): LiteralValue | undefined {
  switch (type.kind) {
    case 'VARCHAR':
      return text;
    case 'DATE':
      return parseDate(text);
    case 'TIMESTAMP':
      return parseTimestamp(text, isZoned(type));
    case 'TIME':
      return parseTime(text);
    case 'INTEGER':
    case 'BIGINT':
    case 'HUGEINT': {
      const n = parseExactInteger(text);
      const [min, max] = type.kind === 'INTEGER' ? int32Range(type).map(BigInt) : INTEGER_BOUNDS[type.kind];
      return n === undefined || n < min || n > max ? undefined : exactLiteralValue(n);
    }
    case 'DOUBLE': {
      const n = parseDoubleText(text);
      return n !== undefined && isFloat(type) ? Math.fround(n) : n;
    }
    case 'DECIMAL': {
      const n = parseExactDecimal(text, type.scale);
      const limit = bigPowerOfTen(type.precision);
      return n === undefined || n >= limit || n <= -limit ? undefined : exactLiteralValue(n);
    }
    case 'BOOLEAN': {
      const t = text.trim().toLowerCase();
      if (['true', 't', 'yes', 'y', '1'].includes(t)) return true;
      if (['false', 'f', 'no', 'n', '0'].includes(t)) return false;
      return undefined;
    }
    case 'NULL':
      return undefined;
  }
}

/** `expr` as an integer literal's value (`7`, `-7`), or undefined. */
function integerLiteralValue(expr: Expr): number | undefined {
  if (expr.kind === 'call' && expr.fn === 'negate' && expr.args.length === 1) {
    const inner = integerLiteralValue(expr.args[0]);
    return inner === undefined ? undefined : -inner;
  }
  return expr.kind === 'literal' && sameType(expr.type, INTEGER) && typeof expr.value === 'number'
    ? expr.value
    : undefined;
}

/**
 * The type an integer literal takes beside a value of type `other`: a TINYINT's or SMALLINT's
 * when the literal fits it, as DuckDB's integer literals do (`tinyint_col + 1` is a TINYINT,
 * `tinyint_col + 1000` an INTEGER); its own otherwise.
 */
export function literalTypeBeside(expr: Expr, other: SqlType): SqlType {
  const value = integerLiteralValue(expr);
  if (value === undefined || !isNarrowInteger(other) || other.kind !== 'INTEGER') return expr.type;
  const [min, max] = int32Range(other);
  return value >= min && value <= max ? other : expr.type;
}

/**
 * `expr` as `type`: unchanged when it already is, NULL and string literals converted now
 * (so `l_shipdate <= '1998-09-02'` compares DATEs), anything else wrapped in a cast.
 */
export function castTo(expr: Expr, type: SqlType, position?: SqlPosition): Expr {
  if (sameType(expr.type, type)) return expr;
  if (expr.kind === 'literal' && expr.value === null) return literal(null, type);
  // An integer literal in a narrower integer's range is that integer now (and pushes down as one).
  if (expr.kind === 'literal' && sameType(literalTypeBeside(expr, type), type))
    return literal(expr.value, type);
  if (type.kind === 'LIST' || expr.type.kind === 'LIST') {
    // Lists cast from and to lists, from text (`'{1,2}'`, `'[1, 2]'`) and to text, at run time.
    const ok =
      (type.kind === 'LIST' && ['LIST', 'VARCHAR', 'NULL'].includes(expr.type.kind)) ||
      type.kind === 'VARCHAR';
    if (!ok)
      throw new BindError(
        'TYPE_MISMATCH',
        `cannot cast ${typeToString(expr.type)} to ${typeToString(type)}`,
        {
          position,
        },
      );
    return { kind: 'cast', expr, type };
  }
  if (isStringLiteral(expr)) {
    const value = convertString(expr.value, type);
    if (value === undefined) {
      throw new BindError('TYPE_MISMATCH', `cannot convert '${expr.value}' to ${typeToString(type)}`, {
        position,
        details: { literal: expr.value },
      });
    }
    return literal(value, type);
  }
  return { kind: 'cast', expr, type };
}

/**
 * The one type a set of values is compared or combined in. String literals adapt to the
 * others' type; undefined when there is none.
 */
export function unifiedType(exprs: readonly Expr[]): SqlType | undefined {
  const typed = exprs.filter((e) => !isStringLiteral(e) && e.type.kind !== 'NULL');
  if (typed.length === 0) return exprs.some(isStringLiteral) ? VARCHAR : NULL_TYPE;
  // Integer literals adapt to the others' type where they fit it (literalTypeBeside).
  const literals = new Set(typed.filter((e) => integerLiteralValue(e) !== undefined));
  const others = literals.size === typed.length ? typed : typed.filter((e) => !literals.has(e));
  let result: SqlType | undefined = others[0].type;
  for (const e of others.slice(1)) {
    if (result === undefined) return undefined;
    result = commonSupertype(result, e.type);
  }
  if (others === typed) return result;
  for (const e of literals) {
    if (result === undefined) return undefined;
    result = commonSupertype(result, literalTypeBeside(e, result));
  }
  return result;
}

/** Casts every expression to their unified type, or fails with TYPE_MISMATCH naming `what`. */
export function unify(
  exprs: readonly Expr[],
  what: string,
  position: SqlPosition | undefined,
): { exprs: Expr[]; type: SqlType } {
  const type = unifiedType(exprs);
  if (!type) {
    const names = [...new Set(exprs.map((e) => typeToString(e.type)))];
    throw new BindError('TYPE_MISMATCH', `${what}: no common type for ${names.join(', ')}`, { position });
  }
  return { exprs: exprs.map((e) => castTo(e, type, position)), type };
}

/** Both sides of a comparison in one type ("cannot compare VARCHAR with BIGINT" otherwise). */
/** `CAST(d AS TIMESTAMP)` of a DATE `d` (what date ± INTERVAL gives): `d`; else undefined. */
function widenedDate(e: Expr): Expr | undefined {
  return e.kind === 'cast' && e.type.kind === 'TIMESTAMP' && e.expr.type.kind === 'DATE' ? e.expr : undefined;
}

export function unifyComparison(
  leftIn: Expr,
  rightIn: Expr,
  position: SqlPosition | undefined,
): [Expr, Expr] {
  // A DATE compared with a date widened to TIMESTAMP compares as DATEs: the same answer, and
  // the DATE column keeps its pushdown and statistics (`l_shipdate <= DATE '…' - INTERVAL 90 DAY`).
  const [narrowLeft, narrowRight] = [widenedDate(leftIn) ?? leftIn, widenedDate(rightIn) ?? rightIn];
  const narrowed = narrowLeft.type.kind === 'DATE' && narrowRight.type.kind === 'DATE';
  const left = narrowed ? narrowLeft : leftIn;
  const right = narrowed ? narrowRight : rightIn;
  const type = unifiedType([left, right]);
  if (!type) {
    throw new BindError(
      'TYPE_MISMATCH',
      `cannot compare ${typeToString(left.type)} with ${typeToString(right.type)}`,
      { position },
    );
  }
  return [castTo(left, type, position), castTo(right, type, position)];
}
