import type { ScalarEmitter, ScalarEmitters } from './codegen.ts';
import { isZoned } from '@tributary/common';
import { valKind } from './codegen-values.ts';

const DAY_US = 86_400_000_000;

/** Microseconds in each unit date_diff counts by flooring (boundaries crossed). */
const UNIT_US: Record<string, number> = {
  date_diff_hours: 3_600_000_000,
  date_diff_minutes: 60_000_000,
  date_diff_seconds: 1_000_000,
  date_diff_milliseconds: 1000,
  date_diff_microseconds: 1,
};

const TRUNC_US: Record<string, number> = {
  date_trunc_hour: 3_600_000_000,
  date_trunc_minute: 60_000_000,
  date_trunc_second: 1_000_000,
};

/** A DATE, TIMESTAMP or TIME argument as microseconds (since the epoch, or midnight), and as days. */
function micros(v: string, kind: string): string {
  return kind === 'TIMESTAMP' || kind === 'TIME' ? v : `(${v} * ${DAY_US})`;
}
function days(v: string, kind: string): string {
  return kind === 'TIMESTAMP' ? `H.tsDays(${v})` : v;
}

/** The time of day of a DATE (midnight), TIMESTAMP or TIME argument, in microseconds. */
export function timeOfDay(v: string, kind: string): string {
  return kind === 'TIMESTAMP' ? `H.tsTimeOfDay(${v})` : kind === 'TIME' ? v : '0';
}

const part: ScalarEmitter = (gen, fn, args, at, t, out) =>
  gen.strict(out, args, valKind(t), (o, r) => {
    const x = args[0].v;
    const d = days(x, at[0].kind);
    const tod = timeOfDay(x, at[0].kind);
    switch (fn) {
      case 'extract_week':
        return void o.push(`${r.v} = H.isoWeek(${d});`);
      case 'extract_isoyear':
        return void o.push(`${r.v} = H.isoYear(${d});`);
      case 'extract_isodow':
        return void o.push(`${r.v} = H.isoDayOfWeek(${d});`);
      case 'extract_epoch':
        return void o.push(`${r.v} = ${micros(x, at[0].kind)} / 1000000;`);
      case 'extract_millisecond':
        return void o.push(`${r.v} = Math.floor((${tod} % 60000000) / 1000);`);
      default:
        return void o.push(`${r.v} = ${tod} % 60000000;`);
    }
  });

/** date_diff(unit, start, end) for units other than day: end - start in that unit. */
const diff: ScalarEmitter = (gen, fn, args, at, t, out) =>
  gen.strict(out, args, valKind(t), (o, r) => {
    const [a, b] = [args[0].v, args[1].v];
    const unit = UNIT_US[fn];
    if (unit !== undefined) {
      const start = micros(a, at[0].kind);
      const end = micros(b, at[1].kind);
      o.push(`${r.v} = Math.floor(${end} / ${unit}) - Math.floor(${start} / ${unit});`);
      return;
    }
    if (fn === 'date_diff_weeks') {
      // Whole weeks between the two instants, toward zero (not week boundaries), as DuckDB.
      o.push(`${r.v} = Math.trunc((${micros(b, at[1].kind)} - ${micros(a, at[0].kind)}) / ${7 * DAY_US});`);
      return;
    }
    const helper =
      fn === 'date_diff_years' ? 'diffYears' : fn === 'date_diff_quarters' ? 'diffQuarters' : 'diffMonths';
    o.push(`${r.v} = H.${helper}(${days(a, at[0].kind)}, ${days(b, at[1].kind)});`);
  });

const truncTime: ScalarEmitter = (gen, fn, args, at, t, out) =>
  gen.strict(out, args, valKind(t), (o, r) => {
    const unit = TRUNC_US[fn];
    o.push(`${r.v} = Math.floor(${micros(args[0].v, at[0].kind)} / ${unit}) * ${unit};`);
  });

/**
 * Date parts beyond the calendar fields (ISO week and year, epoch, sub-second parts),
 * date_diff by unit, truncation to a time unit, make_date and strftime.
 */
export const datePartEmitters: ScalarEmitters = {
  extract_week: part,
  extract_isoyear: part,
  extract_isodow: part,
  extract_epoch: part,
  extract_millisecond: part,
  extract_microsecond: part,
  date_diff_years: diff,
  date_diff_quarters: diff,
  date_diff_months: diff,
  date_diff_weeks: diff,
  date_diff_hours: diff,
  date_diff_minutes: diff,
  date_diff_seconds: diff,
  date_diff_milliseconds: diff,
  date_diff_microseconds: diff,
  date_trunc_hour: truncTime,
  date_trunc_minute: truncTime,
  date_trunc_second: truncTime,
  timestamp_add_micros: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => o.push(`${r.v} = ${args[0].v} + ${args[1].v};`)),
  time_add_micros: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => o.push(`${r.v} = H.addToTime(${args[0].v}, ${args[1].v});`)),
  make_time: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = H.makeTime(${args[0].v}, ${args[1].v}, ${args[2].v});`),
    ),
  make_date: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = H.makeDate(${args[0].v}, ${args[1].v}, ${args[2].v});`),
    ),
  strftime: (gen, _fn, args, at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) =>
      o.push(
        `${r.v} = H.strftime(${micros(args[0].v, at[0].kind)}, ${gen.asStr(o, args[1])}, ${isZoned(at[0])});`,
      ),
    ),
};
