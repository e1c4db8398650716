import { InternalError, powerOfTen, typeToString } from '@tributary/common';
import type { CastExpr } from '@tributary/plan';
import type { Codegen } from './codegen.ts';
import {
  INT32_MAX,
  INT32_MIN,
  INT64_LIMIT,
  isDecimal,
  num,
  scaleOf,
  valKind,
  type Val,
} from './codegen-values.ts';

/** CAST between every pair of supported types; out-of-range values raise NUMERIC_OVERFLOW. */
export function emitCast(gen: Codegen, expr: CastExpr, out: string[]): Val {
  const from = expr.expr.type;
  const to = expr.type;
  const x = gen.emit(expr.expr, out);
  if (from.kind === to.kind && (!isDecimal(from) || !isDecimal(to) || from.scale === to.scale)) {
    if (!isDecimal(to)) return x;
    return gen.strict(out, [x], 'num', (o, r) => {
      o.push(`${r.v} = ${x.v};`);
      o.push(`H.checkDecimal(${r.v}, ${to.precision}, ${to.scale}, 'value');`);
    });
  }
  if (from.kind === 'NULL') return gen.nullVal(to);
  const target = JSON.stringify(typeToString(to));
  return gen.strict(out, [x], valKind(to) === 'bytes' ? 'str' : valKind(to), (o, r) => {
    const set = (value: string): void => void o.push(`${r.v} = ${value};`);
    const d = gen.toDouble(x, from);
    switch (to.kind) {
      case 'VARCHAR':
        switch (from.kind) {
          case 'BOOLEAN':
            return set(`${x.v} ? 'true' : 'false'`);
          case 'INTEGER':
          case 'BIGINT':
            return set(`String(${x.v})`);
          case 'DOUBLE':
            return set(`H.formatDouble(${x.v})`);
          case 'DECIMAL':
            return set(`H.formatDecimal(${x.v}, ${scaleOf(from)})`);
          case 'DATE':
            return set(`H.formatDate(${x.v})`);
          case 'TIMESTAMP':
            return set(`H.formatTimestampSql(${x.v})`);
        }
        break;
      case 'BOOLEAN':
        if (from.kind === 'VARCHAR') return set(`H.parseBoolean(${gen.asStr(o, x)})`);
        if (x.kind === 'num') return set(`${x.v} !== 0`);
        break;
      case 'INTEGER':
      case 'BIGINT': {
        const [min, max] =
          to.kind === 'INTEGER' ? [INT32_MIN, INT32_MAX] : [-INT64_LIMIT, INT64_LIMIT - 1024];
        if (from.kind === 'VARCHAR')
          return set(`H.parseInteger(${gen.asStr(o, x)}, ${num(min)}, ${num(max)}, ${target})`);
        if (from.kind === 'BOOLEAN') return set(`${x.v} ? 1 : 0`);
        if (from.kind === 'DOUBLE') set(`H.roundHalfEven(${x.v})`);
        else if (isDecimal(from)) set(`H.rescale(${x.v}, ${from.scale}, 0)`);
        else if (from.kind === 'INTEGER' || from.kind === 'BIGINT') set(x.v);
        else break;
        o.push(`if (!(${r.v} >= ${num(min)} && ${r.v} <= ${num(max)})) H.overflow('cast to ' + ${target});`);
        return;
      }
      case 'DOUBLE':
        if (from.kind === 'VARCHAR') return set(`H.parseDouble(${gen.asStr(o, x)})`);
        if (x.kind === 'num' || x.kind === 'bool') return set(d);
        break;
      case 'DECIMAL': {
        if (from.kind === 'VARCHAR')
          return set(`H.parseDecimal(${gen.asStr(o, x)}, ${to.precision}, ${to.scale})`);
        if (from.kind === 'DOUBLE') set(`H.roundHalfAway(${x.v} * ${powerOfTen(to.scale)})`);
        else if (isDecimal(from) || from.kind === 'INTEGER' || from.kind === 'BIGINT')
          set(gen.toScale(x, from, to.scale));
        else if (from.kind === 'BOOLEAN') set(`${x.v} ? ${powerOfTen(to.scale)} : 0`);
        else break;
        o.push(`H.checkDecimal(${r.v}, ${to.precision}, ${to.scale}, 'value');`);
        return;
      }
      case 'DATE':
        if (from.kind === 'VARCHAR') return set(`H.parseDate(${gen.asStr(o, x)})`);
        if (from.kind === 'TIMESTAMP') return set(`H.tsDays(${x.v})`);
        break;
      case 'TIMESTAMP':
        if (from.kind === 'VARCHAR') return set(`H.parseTimestamp(${gen.asStr(o, x)})`);
        if (from.kind === 'DATE') return set(`${x.v} * 86400000000`);
        break;
    }
    throw new InternalError(`cast from ${typeToString(from)} to ${typeToString(to)} is not supported`);
  });
}
