import type { SqlType } from '@tributary/common';
import type { Codegen, ScalarEmitter, ScalarEmitters } from './codegen.ts';
import { isDecimal, valKind, type Val } from './codegen-values.ts';
import { timeOfDay } from './codegen-date-parts.ts';

const extract: ScalarEmitter = (gen, fn, args, at, t, out) => emitExtract(gen, fn, args[0], at[0], t, out);

const dateTrunc: ScalarEmitter = (gen, fn, args, at, t, out) =>
  gen.strict(out, args, valKind(t), (o, r) => {
    const days = at[0].kind === 'TIMESTAMP' ? `H.tsDays(${args[0].v})` : args[0].v;
    const unit = fn.slice('date_trunc_'.length);
    const truncated = unit === 'day' ? days : `H.trunc${unit[0].toUpperCase()}${unit.slice(1)}(${days})`;
    o.push(`${r.v} = ${t.kind === 'TIMESTAMP' ? `${truncated} * 86400000000` : truncated};`);
  });

/** Date and time functions over DATE (days since epoch) and TIMESTAMP (microseconds). */
export const datetimeEmitters: ScalarEmitters = {
  extract_year: extract,
  extract_month: extract,
  extract_day: extract,
  extract_quarter: extract,
  extract_dow: extract,
  extract_doy: extract,
  extract_hour: extract,
  extract_minute: extract,
  extract_second: extract,
  date_add_days: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      o.push(
        at[0].kind === 'TIMESTAMP'
          ? `${r.v} = ${args[0].v} + ${args[1].v} * 86400000000;`
          : `${r.v} = ${args[0].v} + ${args[1].v};`,
      );
    }),
  date_add_months: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      if (at[0].kind === 'TIMESTAMP') {
        o.push(
          `${r.v} = H.addMonths(H.tsDays(${args[0].v}), ${args[1].v}) * 86400000000 + H.tsTimeOfDay(${args[0].v});`,
        );
      } else {
        o.push(`${r.v} = H.addMonths(${args[0].v}, ${args[1].v});`);
        if (t.kind === 'TIMESTAMP') o.push(`${r.v} = ${r.v} * 86400000000;`);
      }
    }),
  // date_diff_days(start, end) = end - start, in day boundaries crossed (DuckDB date_diff('day', start, end)).
  date_diff_days: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      const day = (i: number): string => (at[i].kind === 'TIMESTAMP' ? `H.tsDays(${args[i].v})` : args[i].v);
      o.push(`${r.v} = ${day(1)} - ${day(0)};`);
    }),
  date_trunc_year: dateTrunc,
  date_trunc_quarter: dateTrunc,
  date_trunc_month: dateTrunc,
  date_trunc_day: dateTrunc,
};

export function emitExtract(gen: Codegen, fn: string, x: Val, type: SqlType, t: SqlType, out: string[]): Val {
  return gen.strict(out, [x], valKind(t), (o, r) => {
    const ts = type.kind === 'TIMESTAMP';
    const days = ts ? `H.tsDays(${x.v})` : x.v;
    const tod = timeOfDay(x.v, type.kind);
    let value: string;
    switch (fn) {
      case 'extract_year':
        value = `H.year(${days})`;
        break;
      case 'extract_month':
        value = `H.month(${days})`;
        break;
      case 'extract_day':
        value = `H.day(${days})`;
        break;
      case 'extract_quarter':
        value = `(((H.month(${days}) - 1) / 3) | 0) + 1`;
        break;
      case 'extract_dow':
        value = `H.dayOfWeek(${days})`;
        break;
      case 'extract_doy':
        value = `H.dayOfYear(${days})`;
        break;
      case 'extract_hour':
        value = `Math.floor(${tod} / 3600000000)`;
        break;
      case 'extract_minute':
        value = `Math.floor(${tod} / 60000000) % 60`;
        break;
      default:
        // DuckDB's extract(second) is whole seconds; a DOUBLE/DECIMAL result keeps the fraction.
        value =
          t.kind === 'DOUBLE'
            ? `(${tod} % 60000000) / 1000000`
            : isDecimal(t)
              ? `H.rescale(${tod} % 60000000, 6, ${t.scale})`
              : `Math.floor((${tod} % 60000000) / 1000000)`;
    }
    o.push(`${r.v} = ${value};`);
  });
}
