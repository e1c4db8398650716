import type { SqlType } from '@tributary/common';
import type { CallExpr, CaseExpr } from '@tributary/plan';
import type { Codegen } from './codegen.ts';
import { emitComparison } from './codegen-comparison.ts';
import type { Val, ValKind } from './codegen-values.ts';

/** Conditional expressions: COALESCE, NULLIF and CASE, each branch evaluated only when reached. */
function resultKind(gen: Codegen, type: SqlType, vals: readonly Val[]): ValKind {
  const kind = gen.kindOf(type);
  if (kind === 'bytes' && vals.some((v) => v.kind === 'str')) return 'str';
  return kind;
}

export function emitCoalesce(gen: Codegen, expr: CallExpr, out: string[]): Val {
  // Each argument is evaluated only when all before it were NULL.
  const r0 = gen.newVal(gen.kindOf(expr.type), true);
  const branches: string[][] = [];
  const vals: Val[] = [];
  for (const arg of expr.args) {
    const o: string[] = [];
    vals.push(gen.emit(arg, o));
    branches.push(o);
  }
  const kind = resultKind(gen, expr.type, vals);
  const r = kind === r0.kind ? r0 : gen.newVal(kind, true);
  let closing = 0;
  for (let i = 0; i < vals.length; i++) {
    out.push(...branches[i]);
    const x = vals[i];
    if (i === vals.length - 1 || x.n === null) {
      gen.assign(out, r, x);
      break;
    }
    if (x.n === 'true') continue;
    out.push(`if (!${x.n}) {`);
    gen.assign(out, r, x);
    out.push('} else {');
    closing++;
  }
  out.push('}'.repeat(closing));
  return r;
}

export function emitNullif(gen: Codegen, expr: CallExpr, out: string[]): Val {
  const a = gen.emit(expr.args[0], out);
  const b = gen.emit(expr.args[1], out);
  const eq = emitComparison(gen, 'eq', a, b, expr.args[0].type, expr.args[1].type, out);
  const r = gen.newVal(resultKind(gen, expr.type, [a]), true);
  gen.assign(out, r, a);
  const isEqual = eq.n === 'true' ? 'false' : eq.n ? `!${eq.n} && ${eq.v}` : eq.v;
  out.push(`if (${isEqual}) ${r.n} = true;`);
  return r;
}

export function emitCase(gen: Codegen, expr: CaseExpr, out: string[]): Val {
  // Branches are evaluated lazily; build them first to learn the result kind.
  const whens = expr.whens.map((w) => {
    const condCode: string[] = [];
    const cond = gen.emit(w.when, condCode);
    const thenCode: string[] = [];
    const then = gen.emit(w.then, thenCode);
    return { condCode, cond, thenCode, then };
  });
  const elseCode: string[] = [];
  const otherwise = expr.otherwise ? gen.emit(expr.otherwise, elseCode) : gen.nullVal(expr.type);
  const kind = resultKind(gen, expr.type, [...whens.map((w) => w.then), otherwise]);
  const r = gen.newVal(kind, true);
  for (const w of whens) {
    out.push(...w.condCode);
    const holds = w.cond.n === 'true' ? 'false' : w.cond.n ? `!${w.cond.n} && ${w.cond.v}` : w.cond.v;
    out.push(`if (${holds}) {`, ...w.thenCode);
    assignCase(gen, out, r, w.then);
    out.push('} else {');
  }
  out.push(...elseCode);
  assignCase(gen, out, r, otherwise);
  out.push('}'.repeat(whens.length));
  return r;
}

function assignCase(gen: Codegen, out: string[], r: Val, x: Val): void {
  if (x.n === 'true') {
    out.push(`${r.n} = true;`);
    return;
  }
  gen.assign(out, r, x);
}
