import { exprToString, type CallExpr, type Expr } from '@tributary/plan';
import type { Codegen, ScalarEmitters } from './codegen.ts';
import type { Val } from './codegen-values.ts';
import { LikeAnyMatcher } from './like-any-matcher.ts';

/** From this many OR-ed LIKEs of one value on, they are matched together (LikeAnyMatcher). */
const LIKE_GROUP = 4;

/** NOT; AND and OR are lazy and dispatched by the driver to emitLogic. */
export const logicEmitters: ScalarEmitters = {
  not: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'bool', (o, r) => o.push(`${r.v} = !${args[0].v};`)),
};

/**
 * AND/OR over any number of operands with three-valued logic, evaluating each operand only
 * while the result is undecided. The code is flat (one `if` per operand, not nested), so a
 * disjunction of thousands of terms neither nests blocks thousands deep nor needs recursion.
 */
export function emitLogic(gen: Codegen, expr: CallExpr, out: string[]): Val {
  const isAnd = expr.fn === 'and';
  const decided = gen.fresh('v', 'false');
  const sawNull = gen.fresh('v', 'false');
  out.push(`${decided} = false; ${sawNull} = false;`);
  let anyNull = false;
  const operands = isAnd
    ? expr.args.map((a) => (code: string[]) => gen.emit(a, code))
    : disjuncts(gen, expr.args);
  operands.forEach((operand, i) => {
    const code: string[] = [];
    const x = operand(code);
    // An operand decides alone when it is FALSE (AND) or TRUE (OR).
    const decides = x.n === 'true' ? 'false' : `${x.n ? `!${x.n} && ` : ''}${isAnd ? '!' : ''}${x.v}`;
    if (i > 0) out.push(`if (!${decided}) {`);
    out.push(...code);
    if (x.n === 'true') out.push(`${sawNull} = true;`);
    else {
      out.push(`if (${decides}) ${decided} = true;`);
      if (x.n !== null) out.push(`else if (${x.n}) ${sawNull} = true;`);
    }
    if (i > 0) out.push('}');
    anyNull ||= x.n !== null;
  });
  const r = gen.newVal('bool', anyNull);
  if (r.n !== null) out.push(`${r.n} = !${decided} && ${sawNull};`);
  out.push(`${r.v} = ${decided} ? ${isAnd ? 'false' : 'true'} : ${isAnd ? 'true' : 'false'};`);
  return r;
}

/**
 * The operands of an OR, where at least LIKE_GROUP case-sensitive LIKEs of one value with
 * literal patterns become one multi-pattern test (in the place of the first of them).
 */
function disjuncts(gen: Codegen, args: readonly Expr[]): ((code: string[]) => Val)[] {
  const groups = new Map<string, { value: Expr; patterns: string[]; first: number }>();
  const keyOf = (e: Expr): string | undefined =>
    e.kind === 'like' &&
    !e.negated &&
    !e.caseInsensitive &&
    e.pattern.kind === 'literal' &&
    typeof e.pattern.value === 'string'
      ? exprToString(e.expr)
      : undefined;
  args.forEach((arg, i) => {
    const key = keyOf(arg);
    if (key === undefined || arg.kind !== 'like') return;
    const group = groups.get(key) ?? { value: arg.expr, patterns: [], first: i };
    group.patterns.push(String((arg.pattern as { value: string }).value));
    groups.set(key, group);
  });
  const matchers = new Map<string, LikeAnyMatcher>();
  for (const [key, group] of groups) {
    const matcher = group.patterns.length >= LIKE_GROUP ? LikeAnyMatcher.create(group.patterns) : undefined;
    if (matcher) matchers.set(key, matcher);
  }
  const operands: ((code: string[]) => Val)[] = [];
  args.forEach((arg, i) => {
    const key = keyOf(arg);
    const matcher = key === undefined ? undefined : matchers.get(key);
    if (!matcher) {
      operands.push((code) => gen.emit(arg, code));
      return;
    }
    const group = groups.get(key as string)!;
    if (group.first !== i) return;
    operands.push((code) => {
      const x = gen.emit(group.value, code);
      return gen.strict(code, [x], 'bool', (o, r) => {
        const a = gen.asBytes(o, x);
        o.push(`${r.v} = ${gen.konst(matcher)}.test(${a.b}, ${a.s}, ${a.e});`);
      });
    });
  });
  return operands;
}
