import type { LikeExpr } from '@tributary/plan';
import type { Codegen, ScalarEmitter, ScalarEmitters } from './codegen.ts';
import type { Val } from './codegen-values.ts';
import { isPlainPiece, likePattern } from './like-pattern.ts';

const caseFold: ScalarEmitter = (gen, fn, args, _at, _t, out) =>
  gen.strict(out, args, 'str', (o, r) =>
    o.push(`${r.v} = ${gen.asStr(o, args[0])}.${fn === 'lower' ? 'toLowerCase' : 'toUpperCase'}();`),
  );

const search: ScalarEmitter = (gen, fn, args, _at, _t, out) =>
  gen.strict(out, args, fn === 'strpos' ? 'num' : 'bool', (o, r) => {
    const a = gen.asBytes(o, args[0]);
    const p = gen.asBytes(o, args[1]);
    const range = `${a.b}, ${a.s}, ${a.e}, ${p.b}, ${p.s}, ${p.e}`;
    if (fn === 'starts_with') o.push(`${r.v} = H.startsWithBytes(${range});`);
    else if (fn === 'contains') o.push(`${r.v} = H.indexOfBytes(${range}) >= 0;`);
    else {
      const i = gen.fresh('i', '0');
      o.push(`${i} = H.indexOfBytes(${range});`);
      o.push(`${r.v} = ${i} < 0 ? 0 : H.utf8Length(${a.b}, ${a.s}, ${i}) + 1;`);
    }
  });

/** String functions, working on UTF-8 byte ranges where they can; LIKE is its own expression kind. */
export const stringEmitters: ScalarEmitters = {
  concat: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) =>
      o.push(`${r.v} = ${args.map((a) => gen.asStr(o, a)).join(' + ')};`),
    ),
  lower: caseFold,
  upper: caseFold,
  length: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'num', (o, r) => {
      const a = args[0];
      o.push(
        a.kind === 'bytes'
          ? `${r.v} = H.utf8Length(${a.b}, ${a.s}, ${a.e});`
          : `${r.v} = H.strLength(${a.v});`,
      );
    }),
  substring: (gen, _fn, args, _at, _t, out) => emitSubstring(gen, args, out),
  trim: (gen, _fn, args, _at, _t, out) => emitTrim(gen, 'trim', args, out),
  ltrim: (gen, _fn, args, _at, _t, out) => emitTrim(gen, 'ltrim', args, out),
  rtrim: (gen, _fn, args, _at, _t, out) => emitTrim(gen, 'rtrim', args, out),
  replace: (gen, _fn, args, _at, _t, out) =>
    gen.strict(out, args, 'str', (o, r) =>
      o.push(
        `${r.v} = H.replaceAll(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, ${gen.asStr(o, args[2])});`,
      ),
    ),
  starts_with: search,
  contains: search,
  strpos: search,
};

export function emitLike(gen: Codegen, expr: LikeExpr, out: string[]): Val {
  const x = gen.emit(expr.expr, out);
  const neg = expr.negated ? '!' : '';
  if (expr.pattern.kind === 'literal') {
    if (expr.pattern.value === null) return gen.nullVal(expr.type);
    const pattern = likePattern(String(expr.pattern.value), expr.caseInsensitive);
    return gen.strict(out, [x], 'bool', (o, r) => {
      if (pattern.kind === 'segments') {
        const a = gen.asBytes(o, x);
        const pieces = gen.konst(pattern.pieces);
        const p = pattern.pieces;
        if (!p.every(isPlainPiece)) {
          o.push(`${r.v} = ${neg}H.matchSegments(${pieces}, ${a.b}, ${a.s}, ${a.e});`);
        } else if (p.length === 2 && p[1].length === 0) {
          o.push(
            `${r.v} = ${neg}H.startsWithBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[0], 0, ${p[0].length});`,
          );
        } else if (p.length === 2 && p[0].length === 0) {
          o.push(`${r.v} = ${neg}H.endsWithBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[1], 0, ${p[1].length});`);
        } else if (p.length === 3 && p[0].length === 0 && p[2].length === 0) {
          o.push(
            `${r.v} = ${neg}(H.indexOfBytes(${a.b}, ${a.s}, ${a.e}, ${pieces}[1], 0, ${p[1].length}) >= 0);`,
          );
        } else {
          o.push(`${r.v} = ${neg}H.matchSegments(${pieces}, ${a.b}, ${a.s}, ${a.e});`);
        }
      } else {
        o.push(`${r.v} = ${neg}${gen.konst(pattern.regex)}.test(${gen.asStr(o, x)});`);
      }
    });
  }
  const p = gen.emit(expr.pattern, out);
  return gen.strict(out, [x, p], 'bool', (o, r) => {
    o.push(`${r.v} = ${neg}H.likeDynamic(${gen.asStr(o, x)}, ${gen.asStr(o, p)}, ${expr.caseInsensitive});`);
  });
}

export function emitSubstring(gen: Codegen, args: Val[], out: string[]): Val {
  return gen.strict(out, args, 'bytes', (o, r) => {
    const a = gen.asBytes(o, args[0]);
    const total = gen.fresh('v', '0');
    const range = gen.fresh('v', '0');
    const from = gen.fresh('v', '0');
    o.push(`${total} = H.utf8Length(${a.b}, ${a.s}, ${a.e});`);
    o.push(
      `${range} = H.substringRange(${total}, ${args[1].v}, ${args.length > 2 ? args[2].v : '2147483647'});`,
    );
    o.push(`${from} = Math.floor(${range} / 67108864);`);
    o.push(`${r.b} = ${a.b}; ${r.s} = H.skipCodePoints(${a.b}, ${a.s}, ${a.e}, ${from});`);
    o.push(`${r.e} = H.skipCodePoints(${a.b}, ${r.s}, ${a.e}, ${range} - ${from} * 67108864);`);
  });
}

export function emitTrim(gen: Codegen, fn: 'trim' | 'ltrim' | 'rtrim', args: Val[], out: string[]): Val {
  if (args.length > 1) {
    // trim(s, characters): rare, done on JS strings.
    return gen.strict(out, args, 'str', (o, r) =>
      o.push(`${r.v} = H.trimChars(${gen.asStr(o, args[0])}, ${gen.asStr(o, args[1])}, '${fn}');`),
    );
  }
  return gen.strict(out, args, 'bytes', (o, r) => {
    const a = gen.asBytes(o, args[0]);
    o.push(`${r.b} = ${a.b}; ${r.s} = ${a.s}; ${r.e} = ${a.e};`);
    if (fn !== 'rtrim') o.push(`while (${r.s} < ${r.e} && ${r.b}[${r.s}] === 32) ${r.s}++;`);
    if (fn !== 'ltrim') o.push(`while (${r.e} > ${r.s} && ${r.b}[${r.e} - 1] === 32) ${r.e}--;`);
  });
}
