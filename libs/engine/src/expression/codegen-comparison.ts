import { sameType, type SqlType } from '@tributary/common';
import type { Expr, InListExpr, LiteralValue } from '@tributary/plan';
import type { Codegen, ScalarEmitters } from './codegen.ts';
import { bigLiteral, NEEDS_EXACT, num, scaleOf, type Val } from './codegen-values.ts';
import { Utf8HashSet } from './utf8-hash-set.ts';

/** Up to this many distinct IN-list values are compared one by one; more go through a set. */
const SMALL_LIST = 8;

/** Comparison operators (= <> < <= > >=); operands already coerced to one type by the binder. */
export const comparisonEmitters: ScalarEmitters = {
  eq: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'eq', args[0], args[1], at[0], at[1], out),
  neq: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'neq', args[0], args[1], at[0], at[1], out),
  lt: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'lt', args[0], args[1], at[0], at[1], out),
  lte: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'lte', args[0], args[1], at[0], at[1], out),
  gt: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'gt', args[0], args[1], at[0], at[1], out),
  gte: (gen, _fn, args, at, _t, out) => emitComparison(gen, 'gte', args[0], args[1], at[0], at[1], out),
};

export function emitComparison(
  gen: Codegen,
  fn: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte',
  x: Val,
  y: Val,
  tx: SqlType,
  ty: SqlType,
  out: string[],
): Val {
  const op = { eq: '===', neq: '!==', lt: '<', lte: '<=', gt: '>', gte: '>=' }[fn];
  return gen.strict(out, [x, y], 'bool', (o, r) => {
    if (x.kind === 'list' || y.kind === 'list') {
      // Lists compare element by element (DuckDB's order: NULL elements last, shorter first).
      o.push(`${r.v} = H.compareLists(${x.v}, ${y.v}) ${op} 0;`);
    } else if (x.kind === 'bytes' && y.kind === 'bytes') {
      const range = `${x.b}, ${x.s}, ${x.e}, ${y.b}, ${y.s}, ${y.e}`;
      if (fn === 'eq') o.push(`${r.v} = H.eqBytes(${range});`);
      else if (fn === 'neq') o.push(`${r.v} = !H.eqBytes(${range});`);
      else o.push(`${r.v} = H.cmpBytes(${range}) ${op} 0;`);
    } else if (x.kind === 'bytes' || x.kind === 'str') {
      const a = gen.asStr(o, x);
      const b = gen.asStr(o, y);
      if (fn === 'eq' || fn === 'neq') o.push(`${r.v} = ${a} ${op} ${b};`);
      else o.push(`${r.v} = H.cmpStr(${a}, ${b}) ${op} 0;`);
    } else if (x.kind === 'bool') {
      o.push(`${r.v} = (${x.v} ? 1 : 0) ${op} (${y.v} ? 1 : 0);`);
    } else if (tx.kind === 'DOUBLE' || ty.kind === 'DOUBLE') {
      // Each operand once, into a local: the comparison reads it up to four times.
      const [a, b] = [gen.toDouble(x, tx), gen.toDouble(y, ty)].map((v) => {
        if (/^[\w.$]+$/.test(v)) return v;
        const local = gen.fresh('q', '0');
        o.push(`${local} = ${v};`);
        return local;
      });
      o.push(`${r.v} = ${nanAwareComparison(fn, a, b)};`);
    } else if (x.kind === 'big' || y.kind === 'big') {
      const scale = Math.max(scaleOf(tx), scaleOf(ty));
      o.push(`${r.v} = ${gen.toBig(x, tx, scale)} ${op} ${gen.toBig(y, ty, scale)};`);
    } else if (tx.kind === 'DATE' && ty.kind === 'TIMESTAMP') {
      o.push(`${r.v} = ${x.v} * 86400000000 ${op} ${y.v};`);
    } else if (tx.kind === 'TIMESTAMP' && ty.kind === 'DATE') {
      o.push(`${r.v} = ${x.v} ${op} ${y.v} * 86400000000;`);
    } else {
      const scale = Math.max(scaleOf(tx), scaleOf(ty));
      o.push(`${r.v} = ${gen.toScale(x, tx, scale)} ${op} ${gen.toScale(y, ty, scale)};`);
    }
  });
}

/**
 * A comparison of doubles `a` and `b` (expressions free of side effects) as DuckDB orders
 * them: NaN equals NaN and is greater than every other number, infinity included.
 */
function nanAwareComparison(fn: 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte', a: string, b: string): string {
  switch (fn) {
    case 'eq':
      return `(${a} === ${b} || (${a} !== ${a} && ${b} !== ${b}))`;
    case 'neq':
      return `!(${a} === ${b} || (${a} !== ${a} && ${b} !== ${b}))`;
    case 'lt':
      return `(${a} < ${b} || (${b} !== ${b} && ${a} === ${a}))`;
    case 'lte':
      return `(${a} <= ${b} || ${b} !== ${b})`;
    case 'gt':
      return `(${a} > ${b} || (${a} !== ${a} && ${b} === ${b}))`;
    case 'gte':
      return `(${a} >= ${b} || ${a} !== ${a})`;
  }
}

/**
 * x [NOT] IN (…). Literal items of x's type are tested at once: a few by comparisons, more
 * through a set built once per kernel (numbers in a Set, strings in a UTF-8 byte hash set
 * probed with the row's bytes), so a 100,000-item list costs one lookup per row. Other items
 * are compared one by one, each only while nothing has matched. As SQL has it, the result
 * is NULL when x is NULL, or when nothing matched and some item is NULL.
 */
export function emitInList(gen: Codegen, expr: InListExpr, out: string[]): Val {
  const x = gen.emit(expr.expr, out);
  if (x.n === 'true') return gen.nullVal(expr.type);
  const t = expr.expr.type;
  const keys: LiteralValue[] = [];
  const others: Expr[] = [];
  let nullItem = false;
  for (const item of expr.list) {
    if (item.kind === 'literal' && (item.value === null || item.type.kind === 'NULL')) nullItem = true;
    else if (item.kind === 'literal' && sameType(item.type, t)) keys.push(item.value);
    else others.push(item);
  }
  const match = gen.fresh('v', 'false');
  const sawNull = gen.fresh('v', 'false');
  out.push(`${match} = false; ${sawNull} = ${nullItem};`);
  if (x.n !== null) out.push(`if (!${x.n}) {`);
  if (keys.length > 0) out.push(`${match} = ${membership(gen, x, keys)};`);
  for (const item of others) {
    const code: string[] = [];
    const y = gen.emit(item, code);
    const eq = emitComparison(gen, 'eq', x, y, t, item.type, code);
    out.push(`if (!${match}) {`, ...code);
    if (eq.n === 'true') out.push(`${sawNull} = true;`);
    else if (eq.n !== null) out.push(`if (${eq.n}) ${sawNull} = true; else if (${eq.v}) ${match} = true;`);
    else out.push(`if (${eq.v}) ${match} = true;`);
    out.push('}');
  }
  if (x.n !== null) out.push('}');
  const r = gen.newVal('bool', true);
  out.push(
    `if (${x.n ?? 'false'}) { ${r.n} = true; } else if (${match}) { ${r.n} = false; ${r.v} = ${!expr.negated}; } else if (${sawNull}) { ${r.n} = true; } else { ${r.n} = false; ${r.v} = ${expr.negated}; }`,
  );
  return r;
}

/** An expression testing whether non-NULL `x` equals one of `keys` (literal values of its type). */
function membership(gen: Codegen, x: Val, keys: readonly LiteralValue[]): string {
  if (x.kind === 'bool') {
    const has = (b: boolean): string => String(keys.includes(b));
    return `(${x.v} ? ${has(true)} : ${has(false)})`;
  }
  if (x.kind === 'big') {
    const values = [...new Set(keys.map((k) => BigInt(k as number | string)))];
    if (values.length <= SMALL_LIST)
      return `(${values.map((k) => `${x.v} === ${bigLiteral(k)}`).join(' || ')})`;
    return `${gen.konst(new Set(values))}.has(${x.v})`;
  }
  // Keys beyond 2^53 (exact text) have no double: only an exact kernel can compare them.
  if (x.kind === 'num' && keys.some((k) => typeof k === 'string')) throw NEEDS_EXACT;
  if (x.kind === 'num') {
    // NaN equals NaN (as `=` has it); a Set finds it too.
    const values = new Set(keys.map(Number));
    if (values.size <= SMALL_LIST)
      return `(${[...values].map((k) => (Number.isNaN(k) ? `${x.v} !== ${x.v}` : `${x.v} === ${num(k)}`)).join(' || ')})`;
    return `${gen.konst(values)}.has(${x.v})`;
  }
  const texts = [...new Set(keys.map(String))];
  if (x.kind === 'str') {
    if (texts.length <= SMALL_LIST) return `(${texts.map((k) => `${x.v} === ${gen.konst(k)}`).join(' || ')})`;
    return `${gen.konst(new Set(texts))}.has(${x.v})`;
  }
  if (texts.length <= SMALL_LIST) {
    const tests = texts.map((k) => {
      const bytes = new TextEncoder().encode(k);
      return `H.eqBytes(${x.b}, ${x.s}, ${x.e}, ${gen.konst(bytes)}, 0, ${bytes.length})`;
    });
    return `(${tests.join(' || ')})`;
  }
  return `${gen.konst(new Utf8HashSet(texts))}.has(${x.b}, ${x.s}, ${x.e})`;
}
