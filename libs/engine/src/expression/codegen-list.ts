import { InternalError, type SqlType } from '@tributary/common';
import type { Codegen, ScalarEmitters } from './codegen.ts';
import { isExactNumeric, type Val } from './codegen-values.ts';

/** A value as the ListItem a list holds: wide integers as bigints, text as a JS string. */
export function toItem(gen: Codegen, out: string[], x: Val, type: SqlType): string {
  let v: string;
  switch (x.kind) {
    case 'bytes':
    case 'str':
      v = gen.asStr(out, x);
      break;
    case 'num':
      v = isExactNumeric(type) || type.kind === 'TIMESTAMP' || type.kind === 'TIME' ? `BigInt(${x.v})` : x.v;
      break;
    default:
      v = x.v;
  }
  if (x.n === 'true') return 'null';
  return x.n === null ? v : `(${x.n} ? null : ${v})`;
}

/** A ListItem (code `item`, evaluated once) as a value of `type` in this kernel; null items are NULL. */
export function fromItem(gen: Codegen, out: string[], item: string, type: SqlType): Val {
  const q = gen.fresh('q', 'null');
  out.push(`${q} = ${item};`);
  const kind = gen.kindOf(type);
  const r = gen.newVal(kind === 'bytes' ? 'str' : kind, true);
  out.push(`${r.n} = ${q} === null;`);
  switch (r.kind) {
    case 'num':
      out.push(`if (!${r.n}) { ${r.v} = Number(${q}); ${isExactNumeric(type) ? gen.guardExact(r.v) : ''} }`);
      break;
    case 'big':
      out.push(`if (!${r.n}) ${r.v} = BigInt(${q});`);
      break;
    default:
      out.push(`if (!${r.n}) ${r.v} = ${q};`);
  }
  return r;
}

function elementOf(type: SqlType): SqlType {
  if (type.kind !== 'LIST') throw new InternalError(`expected a list, got ${type.kind}`);
  return type.element;
}

/** A number result of an integer type in this kernel's representation of it. */
function integer(gen: Codegen, t: SqlType, v: string): string {
  return gen.kindOf(t) === 'big' ? `BigInt(${v})` : v;
}

/**
 * Lists (DuckDB's LIST, Postgres' arrays): `[a, b]`/`ARRAY[…]`, subscripts (1-based, NULL out
 * of range), length, Postgres' array_upper/array_lower, array_to_string, membership and
 * position, `x = ANY(list)`. Lists are JS arrays of their elements in the kernel.
 */
export const listEmitters: ScalarEmitters = {
  list_value: (gen, _fn, args, at, t, out) => {
    const element = elementOf(t);
    const items = args.map((a, i) => toItem(gen, out, a, at[i].kind === 'NULL' ? element : at[i]));
    const r = gen.newVal('list', false);
    out.push(`${r.v} = [${items.join(', ')}];`);
    return r;
  },
  list_extract: (gen, _fn, args, at, t, out) => {
    const r = gen.newVal(gen.kindOf(t) === 'bytes' ? 'str' : gen.kindOf(t), true);
    const nulls = [args[0].n, args[1].n].filter((n) => n !== null);
    const index = args[1].kind === 'big' ? `Number(${args[1].v})` : args[1].v;
    out.push(`${r.n} = true;`);
    out.push(nulls.length === 0 ? '{' : `if (!(${nulls.join(' || ')})) {`);
    const x = fromItem(gen, out, `H.listGet(${args[0].v}, ${index})`, t);
    gen.assign(out, r, x);
    out.push('}');
    void at;
    return r;
  },
  // list_sum(l), list_aggregate(l, 'avg'): the aggregate over the elements (list-aggregate.ts).
  list_aggregate: (gen, _fn, args, at, t, out) => {
    const r = gen.newVal(gen.kindOf(t) === 'bytes' ? 'str' : gen.kindOf(t), true);
    out.push(`${r.n} = true;`);
    out.push(args[0].n === null ? '{' : `if (!${args[0].n}) {`);
    const item = `H.listAggregate(${args[0].v}, ${gen.asStr(out, args[1])}, ${gen.konst(elementOf(at[0]))}, ${gen.konst(t)})`;
    gen.assign(out, r, fromItem(gen, out, item, t));
    out.push('}');
    return r;
  },
  list_length: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, [args[0]], gen.kindOf(t), (o, r) =>
      o.push(`${r.v} = ${integer(gen, t, `${args[0].v}.length`)};`),
    ),
  array_upper: (gen, _fn, args, _at, t, out) =>
    gen.strict(
      out,
      args,
      gen.kindOf(t),
      (o, r) => {
        o.push(`${r.n} = ${args[0].v}.length === 0 || ${args[1].v} != 1;`);
        o.push(`if (!${r.n}) ${r.v} = ${integer(gen, t, `${args[0].v}.length`)};`);
      },
      true,
    ),
  array_lower: (gen, _fn, args, _at, t, out) =>
    gen.strict(
      out,
      args,
      gen.kindOf(t),
      (o, r) => {
        o.push(`${r.n} = ${args[0].v}.length === 0 || ${args[1].v} != 1;`);
        o.push(`if (!${r.n}) ${r.v} = ${integer(gen, t, '1')};`);
      },
      true,
    ),
  list_to_string: (gen, _fn, args, at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) =>
      o.push(`${r.v} = H.listJoin(${args[0].v}, ${gen.konst(elementOf(at[0]))}, ${gen.asStr(o, args[1])});`),
    ),
  list_contains: (gen, _fn, args, at, _t, out) =>
    gen.strict(out, args, 'bool', (o, r) =>
      o.push(`${r.v} = H.listPosition(${args[0].v}, ${toItem(gen, o, args[1], at[1])}) > 0;`),
    ),
  list_position: (gen, _fn, args, at, t, out) =>
    gen.strict(
      out,
      args,
      gen.kindOf(t),
      (o, r) => {
        const p = gen.fresh('q', '0');
        o.push(`${p} = H.listPosition(${args[0].v}, ${toItem(gen, o, args[1], at[1])});`);
        o.push(`${r.n} = ${p} === 0; ${r.v} = ${integer(gen, t, p)};`);
      },
      true,
    ),
  // NULL only when both are: a NULL list adds no elements (Postgres' array ||).
  list_concat: (gen, _fn, args, _at, _t, out) => {
    const [a, b] = args;
    const r = gen.newVal('list', a.n !== null && b.n !== null);
    const part = (x: Val) => (x.n === null ? x.v : `(${x.n} ? H.EMPTY_LIST : ${x.v})`);
    if (r.n !== null) out.push(`${r.n} = ${a.n} && ${b.n};`);
    out.push(`${r.v} = ${part(a)}.concat(${part(b)});`);
    return r;
  },
  // `list[a:b]`, `text[a:b]`: a list's elements or a string's characters (list-helpers.ts).
  list_slice: (gen, _fn, args, at, _t, out) =>
    gen.strict(out, args, at[0].kind === 'LIST' ? 'list' : 'str', (o, r) => {
      const bound = (x: Val) => (x.kind === 'big' ? `Number(${x.v})` : x.v);
      const value = at[0].kind === 'LIST' ? args[0].v : gen.asStr(o, args[0]);
      o.push(`${r.v} = H.listSlice(${value}, ${bound(args[1])}, ${bound(args[2])});`);
    }),
  // list_sort(l, descending, nulls first): the two flags are constants the binder settled.
  list_sort: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, [args[0]], 'list', (o, r) =>
      o.push(`${r.v} = H.listSort(${args[0].v}, ${args[1].v}, ${args[2].v});`),
    ),
  list_distinct: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'list', (o, r) => o.push(`${r.v} = H.listDistinct(${args[0].v});`)),
  flatten: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'list', (o, r) => o.push(`${r.v} = H.listFlatten(${args[0].v});`)),
  // generate_series / range: start, stop, step and whether stop is included.
  list_range: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args.slice(0, 3), 'list', (o, r) =>
      o.push(
        `${r.v} = H.listRange(${args
          .slice(0, 3)
          .map((a) => (a.kind === 'big' ? `Number(${a.v})` : a.v))
          .join(', ')}, ${args[3].v});`,
      ),
    ),
  // generate_series / range over timestamps: start, stop, the step's months, days and µs, whether stop is included.
  list_range_interval: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args.slice(0, 2), 'list', (o, r) => {
      const number = (a: Val) => (a.kind === 'big' ? `Number(${a.v})` : a.v);
      o.push(`${r.v} = H.timestampRange(${args.slice(0, 5).map(number).join(', ')}, ${args[5].v});`);
    }),
  // `x = ANY(list)`: true on a match; NULL when there is none but a NULL element (SQL's IN).
  list_any_eq: (gen, _fn, args, at, _t, out) =>
    gen.strict(
      out,
      args,
      'bool',
      (o, r) => {
        const p = gen.fresh('q', '0');
        o.push(`${p} = H.listAnyEq(${args[1].v}, ${toItem(gen, o, args[0], at[0])});`);
        o.push(`${r.n} = ${p} === -1; ${r.v} = ${p} === 1;`);
      },
      true,
    ),
};
