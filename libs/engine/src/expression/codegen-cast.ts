import {
  int32Range,
  InternalError,
  isFloat,
  isZoned,
  powerOfTen,
  sameType,
  typeToString,
  type SqlType,
} from '@tributary/common';
import type { CastExpr } from '@tributary/plan';
import type { Codegen } from './codegen.ts';
import { bigLiteral, isDecimal, num, type Val } from './codegen-values.ts';

/** The inclusive range of an integer type, as bigints. */
function bigRange(to: SqlType): [bigint, bigint] {
  if (to.kind === 'INTEGER') return int32Range(to).map(BigInt) as [bigint, bigint];
  const bits = to.kind === 'BIGINT' ? 63n : 127n;
  return [-(1n << bits), (1n << bits) - 1n];
}

/**
 * CAST between every pair of supported types, as DuckDB casts: text is parsed exactly,
 * doubles round half to even into integers and half away from zero into decimals, decimals
 * round half away from zero; a value outside the target's range raises NUMERIC_OVERFLOW and
 * text that is no value CAST_INVALID. TRY_CAST gives NULL for both.
 */
export function emitCast(gen: Codegen, expr: CastExpr, out: string[]): Val {
  const from = expr.expr.type;
  const to = expr.type;
  const x = gen.emit(expr.expr, out);
  if (sameType(from, to)) return x;
  if (from.kind === 'NULL') return gen.nullVal(to);
  if (from.kind === 'LIST' || to.kind === 'LIST')
    return emitListCast(gen, x, from, to, expr.try === true, out);
  const toKind = gen.kindOf(to);
  return gen.strict(
    out,
    [x],
    toKind === 'bytes' ? 'str' : toKind,
    (o, r) => {
      const body: string[] = [];
      castBody(gen, x, from, to, r, body);
      if (!expr.try) o.push(...body);
      else
        o.push(
          'try {',
          ...body,
          `} catch (error) { if (!H.isCastFailure(error)) throw error; ${r.n} = true; }`,
        );
    },
    expr.try === true,
  );
}

/** Casts to, from and between lists: elements cast as their types cast; text read as `[…]` or `{…}`. */
function emitListCast(
  gen: Codegen,
  x: Val,
  from: SqlType,
  to: SqlType,
  tryCast: boolean,
  out: string[],
): Val {
  const toKind = gen.kindOf(to);
  return gen.strict(
    out,
    [x],
    toKind === 'bytes' ? 'str' : toKind,
    (o, r) => {
      let value: string;
      if (to.kind === 'LIST' && from.kind === 'LIST')
        value = `H.castList(${x.v}, ${gen.konst(from.element)}, ${gen.konst(to.element)})`;
      else if (to.kind === 'LIST' && from.kind === 'VARCHAR')
        value = `H.parseList(${gen.asStr(o, x)}, ${gen.konst(to.element)})`;
      else if (to.kind === 'VARCHAR') value = `H.listText(${x.v}, ${gen.konst(from)})`;
      else throw new InternalError(`no cast from ${typeToString(from)} to ${typeToString(to)}`);
      const body = `${r.v} = ${value};`;
      o.push(
        tryCast
          ? `try { ${body} } catch (error) { if (!H.isCastFailure(error)) throw error; ${r.n} = true; }`
          : body,
      );
    },
    tryCast,
  );
}

function castBody(gen: Codegen, x: Val, from: SqlType, to: SqlType, r: Val, o: string[]): void {
  const target = JSON.stringify(typeToString(to));
  const set = (value: string): void => void o.push(`${r.v} = ${value};`);
  const text = (): string => gen.asStr(o, x);
  const overflow = `H.overflow('cast to ' + ${target})`;
  switch (to.kind) {
    case 'VARCHAR':
      switch (from.kind) {
        case 'BOOLEAN':
          return set(`${x.v} ? 'true' : 'false'`);
        case 'INTEGER':
        case 'BIGINT':
        case 'HUGEINT':
          return set(`String(${x.v})`);
        case 'DOUBLE':
          return set(isFloat(from) ? `H.formatFloat(${x.v})` : `H.formatDouble(${x.v})`);
        case 'DECIMAL':
          return set(
            x.kind === 'big'
              ? `H.formatExactDecimal(${x.v}, ${from.scale})`
              : `H.formatDecimal(${x.v}, ${from.scale})`,
          );
        case 'DATE':
          return set(`H.formatDate(${x.v})`);
        case 'TIMESTAMP':
          return set(isZoned(from) ? `H.formatTimestampTzSql(${x.v})` : `H.formatTimestampSql(${x.v})`);
        case 'TIME':
          return set(`H.formatTime(${x.v})`);
      }
      break;
    case 'BOOLEAN':
      if (from.kind === 'VARCHAR') return set(`H.parseBoolean(${text()})`);
      if (x.kind === 'big') return set(`${x.v} !== 0n`);
      if (x.kind === 'num') return set(`${x.v} !== 0`);
      break;
    case 'INTEGER':
    case 'BIGINT':
    case 'HUGEINT': {
      if (r.kind === 'big') {
        const [min, max] = bigRange(to);
        if (from.kind === 'VARCHAR')
          return set(`H.parseBigInteger(${text()}, ${bigLiteral(min)}, ${bigLiteral(max)}, ${target})`);
        if (from.kind === 'DOUBLE')
          return set(`H.doubleToBigInteger(${x.v}, ${bigLiteral(min)}, ${bigLiteral(max)}, ${target})`);
        if (from.kind === 'BOOLEAN') set(`${x.v} ? 1n : 0n`);
        else if (
          isDecimal(from) ||
          from.kind === 'INTEGER' ||
          from.kind === 'BIGINT' ||
          from.kind === 'HUGEINT'
        )
          set(gen.toBig(x, from, 0));
        else break;
        o.push(`if (${r.v} < ${bigLiteral(min)} || ${r.v} > ${bigLiteral(max)}) ${overflow};`);
        return;
      }
      // A double result: INTEGER always; BIGINT/HUGEINT in fast kernels, exact below 2^53.
      const [min, max] = to.kind === 'INTEGER' ? int32Range(to) : [-(2 ** 63), 2 ** 63 - 1024];
      const exactLimit = to.kind === 'INTEGER' ? '' : gen.guardExact(r.v);
      if (from.kind === 'VARCHAR') {
        set(`H.parseInteger(${text()}, ${num(min)}, ${num(max)}, ${target})`);
        o.push(exactLimit);
        return;
      }
      if (from.kind === 'BOOLEAN') return set(`${x.v} ? 1 : 0`);
      if (from.kind === 'DOUBLE') set(`H.roundHalfEven(${x.v})`);
      else if (isDecimal(from))
        set(
          x.kind === 'big'
            ? `Number(H.bigRescale(${x.v}, ${from.scale}, 0))`
            : `H.rescale(${x.v}, ${from.scale}, 0)`,
        );
      else if (from.kind === 'INTEGER' || from.kind === 'BIGINT' || from.kind === 'HUGEINT')
        set(x.kind === 'big' ? `Number(${x.v})` : x.v);
      else break;
      o.push(`if (!(${r.v} >= ${num(min)} && ${r.v} <= ${num(max)})) ${overflow};`, exactLimit);
      return;
    }
    case 'DOUBLE': {
      let value: string;
      if (from.kind === 'VARCHAR') value = `H.parseDouble(${text()}, ${target})`;
      else if (x.kind === 'num' || x.kind === 'bool' || x.kind === 'big') value = gen.toDouble(x, from);
      else break;
      if (!isFloat(to)) return set(value);
      // A FLOAT takes the nearest 32-bit value. A finite number beyond its range overflows;
      // text beyond it reads as ±inf (DuckDB's casts both).
      set(`Math.fround(${value})`);
      if (from.kind !== 'VARCHAR')
        o.push(`if (!Number.isFinite(${r.v}) && Number.isFinite(${value})) ${overflow};`);
      return;
    }
    case 'DECIMAL': {
      if (r.kind === 'big') {
        if (from.kind === 'VARCHAR') return set(`H.parseBigDecimal(${text()}, ${to.precision}, ${to.scale})`);
        if (from.kind === 'DOUBLE') return set(`H.doubleToBigDecimal(${x.v}, ${to.precision}, ${to.scale})`);
        if (
          from.kind === 'BOOLEAN' ||
          isDecimal(from) ||
          from.kind === 'INTEGER' ||
          from.kind === 'BIGINT' ||
          from.kind === 'HUGEINT'
        )
          set(gen.toBig(x, from, to.scale));
        else break;
        const limit = bigLiteral(10n ** BigInt(to.precision));
        o.push(`if (${r.v} >= ${limit} || ${r.v} <= -${limit}) ${overflow};`);
        return;
      }
      if (from.kind === 'VARCHAR') set(`H.parseDecimal(${text()}, ${to.precision}, ${to.scale})`);
      else if (from.kind === 'DOUBLE') set(`H.roundHalfAway(${x.v} * ${powerOfTen(to.scale)})`);
      else if (
        isDecimal(from) ||
        from.kind === 'INTEGER' ||
        from.kind === 'BIGINT' ||
        from.kind === 'HUGEINT'
      )
        set(gen.toScale(x, from, to.scale));
      else if (from.kind === 'BOOLEAN') set(`${x.v} ? ${powerOfTen(to.scale)} : 0`);
      else break;
      // Beyond 2^53 only the exact kernel can tell the digits (and whether they fit).
      o.push(
        gen.guardExact(r.v),
        `H.checkDecimal(${r.v}, ${to.precision}, ${to.scale}, 'cast to ' + ${target});`,
      );
      return;
    }
    case 'DATE':
      if (from.kind === 'VARCHAR') return set(`H.parseDate(${text()})`);
      if (from.kind === 'TIMESTAMP') return set(`H.tsDays(${x.v})`);
      break;
    case 'TIMESTAMP':
      if (from.kind === 'VARCHAR') return set(`H.parseTimestamp(${text()}, ${isZoned(to)})`);
      if (from.kind === 'DATE') return set(`${x.v} * 86400000000`);
      // With or without a time zone, the same instant: the session's zone is UTC.
      if (from.kind === 'TIMESTAMP') return set(x.v);
      break;
    case 'TIME':
      if (from.kind === 'VARCHAR') return set(`H.parseTime(${text()})`);
      // DuckDB has no cast of a zoned timestamp to TIME (it would depend on the zone).
      if (from.kind === 'TIMESTAMP' && !isZoned(from)) return set(`H.tsTimeOfDay(${x.v})`);
      break;
  }
  throw new InternalError(`cast from ${typeToString(from)} to ${typeToString(to)} is not supported`);
}
