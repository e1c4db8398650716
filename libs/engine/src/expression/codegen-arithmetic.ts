import { InternalError, powerOfTen, typeToString, type SqlType } from '@tributary/common';
import type { Codegen, ScalarEmitters } from './codegen.ts';
import { isDecimal, scaleOf, valKind, type Val } from './codegen-values.ts';

/** Arithmetic operators: + - * % / and unary minus, over numbers, decimals and dates. */
export const arithmeticEmitters: ScalarEmitters = {
  add: (gen, _fn, args, at, t, out) => emitArithmetic(gen, 'add', args, at, t, out),
  subtract: (gen, _fn, args, at, t, out) => emitArithmetic(gen, 'subtract', args, at, t, out),
  multiply: (gen, _fn, args, at, t, out) => emitArithmetic(gen, 'multiply', args, at, t, out),
  modulo: (gen, _fn, args, at, t, out) => emitArithmetic(gen, 'modulo', args, at, t, out),
  divide: (gen, _fn, args, at, t, out) => emitDivide(gen, args, at, t, out),
  negate: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, gen.kindOf(t), (o, r) => {
      o.push(`${r.v} = -${gen.coerce(args[0], at[0], t)};`);
      o.push(gen.checkResult(t, r.v, `${typeToString(t)} negation`, r.kind));
    }),
};

export function emitArithmetic(
  gen: Codegen,
  fn: 'add' | 'subtract' | 'multiply' | 'modulo',
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
): Val {
  const op = fn === 'add' ? '+' : fn === 'subtract' ? '-' : fn === 'multiply' ? '*' : '%';
  const kind = gen.kindOf(t);
  const what = `${typeToString(t)} ${fn === 'add' ? 'addition' : fn === 'subtract' ? 'subtraction' : fn === 'multiply' ? 'multiplication' : 'modulo'}`;
  if (kind === 'big') return bigArithmetic(gen, op, args, at, t, out, what);
  return gen.strict(
    out,
    args,
    kind,
    (o, r) => {
      let a: string;
      let b: string;
      if (t.kind === 'DOUBLE') {
        a = gen.toDouble(args[0], at[0]);
        b = gen.toDouble(args[1], at[1]);
      } else if (t.kind === 'DATE' || t.kind === 'TIMESTAMP') {
        // date ± days; timestamps shift by whole days.
        const unit = t.kind === 'TIMESTAMP' ? ' * 86400000000' : '';
        a = at[0].kind === t.kind ? args[0].v : `${args[0].v}${unit}`;
        b = at[1].kind === t.kind ? args[1].v : `${args[1].v}${unit}`;
      } else if (fn === 'multiply') {
        // Unscaled integers multiply to the sum of the scales; rescale only if the binder chose otherwise.
        const product = `${gen.asNum(args[0]).v} * ${gen.asNum(args[1]).v}`;
        const natural = scaleOf(at[0]) + scaleOf(at[1]);
        const target = scaleOf(t);
        o.push(
          natural === target
            ? `${r.v} = ${product};`
            : `${r.v} = H.rescale(${product}, ${natural}, ${target});`,
        );
        o.push(gen.checkResult(t, r.v, what, r.kind));
        return;
      } else if (at[0].kind === 'DATE' || at[0].kind === 'TIMESTAMP') {
        // date - date → days.
        a = args[0].v;
        b = args[1].v;
      } else {
        a = gen.toScale(gen.asNum(args[0]), at[0], scaleOf(t));
        b = gen.toScale(gen.asNum(args[1]), at[1], scaleOf(t));
      }
      if (fn === 'modulo' && t.kind === 'DOUBLE') {
        // DuckDB: x % 0.0 is NaN, as in JS.
        o.push(`${r.n} = false; ${r.v} = ${a} % ${b};`);
        return;
      }
      if (fn === 'modulo') {
        const bv = gen.fresh('v', '0');
        o.push(`${bv} = ${b};`);
        o.push(`if (${bv} === 0) { ${r.n} = true; } else { ${r.v} = ${a} % ${bv}; }`);
        return;
      }
      o.push(`${r.v} = ${a} ${op} ${b};`);
      o.push(gen.checkResult(t, r.v, what, r.kind));
    },
    fn === 'modulo',
  );
}

/** + - * % on exact bigints (INTEGER, BIGINT, HUGEINT and DECIMAL operands, a bigint result). */
function bigArithmetic(
  gen: Codegen,
  op: '+' | '-' | '*' | '%',
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
  what: string,
): Val {
  return gen.strict(
    out,
    args,
    'big',
    (o, r) => {
      if (op === '*') {
        const natural = scaleOf(at[0]) + scaleOf(at[1]);
        const product = `${gen.toBig(args[0], at[0], scaleOf(at[0]))} * ${gen.toBig(args[1], at[1], scaleOf(at[1]))}`;
        const target = scaleOf(t);
        o.push(
          natural === target
            ? `${r.v} = ${product};`
            : `${r.v} = H.bigRescale(${product}, ${natural}, ${target});`,
        );
      } else {
        const a = gen.toBig(args[0], at[0], scaleOf(t));
        const b = gen.toBig(args[1], at[1], scaleOf(t));
        if (op === '%') {
          const bv = gen.fresh('v', '0n');
          o.push(`${bv} = ${b};`);
          // x % 0 is NULL in DuckDB; bigint % truncates toward zero as DuckDB does.
          o.push(`if (${bv} === 0n) { ${r.n} = true; } else { ${r.v} = ${a} % ${bv}; }`);
          return;
        }
        o.push(`${r.v} = ${a} ${op} ${b};`);
      }
      o.push(gen.checkResult(t, r.v, what, 'big'));
    },
    op === '%',
  );
}

export function emitDivide(gen: Codegen, args: Val[], at: SqlType[], t: SqlType, out: string[]): Val {
  const integerResult = t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'HUGEINT';
  if (gen.kindOf(t) === 'big' && integerResult)
    return gen.strict(
      out,
      args,
      'big',
      (o, r) => {
        const a = gen.toBig(args[0], at[0], 0);
        const b = gen.fresh('v', '0n');
        o.push(`${b} = ${gen.toBig(args[1], at[1], 0)};`);
        // Integer division (DuckDB //) truncates toward zero; x // 0 is NULL.
        o.push(`if (${b} === 0n) { ${r.n} = true; } else { ${r.v} = ${a} / ${b};`);
        o.push(gen.checkResult(t, r.v, `${typeToString(t)} division`, 'big'), '}');
      },
      true,
    );
  return gen.strict(
    out,
    args,
    valKind(t),
    (o, r) => {
      const a = gen.toDouble(args[0], at[0]);
      const b = gen.toDouble(args[1], at[1]);
      if (t.kind === 'DOUBLE') o.push(`${r.v} = ${a} / ${b};`);
      else if (integerResult) {
        // Integer division (DuckDB //): x // 0 is NULL.
        o.push(`if (${b} === 0) { ${r.n} = true; } else { ${r.v} = Math.trunc(${a} / ${b}); }`);
        o.push(gen.checkResult(t, r.v, `${typeToString(t)} division`, r.kind));
      } else if (isDecimal(t)) {
        o.push(
          `if (${b} === 0) { ${r.n} = true; } else { ${r.v} = H.roundHalfAway(${a} / ${b} * ${powerOfTen(t.scale)}); }`,
        );
      } else
        // The binder types every division as DOUBLE, an integer or a DECIMAL.
        throw new InternalError(`a division typed ${typeToString(t)} cannot come from the binder`);
    },
    t.kind !== 'DOUBLE',
  );
}
