import type { SqlType } from '@tributary/common';
import type { Codegen, ScalarEmitter, ScalarEmitters } from './codegen.ts';
import { isDecimal, scaleOf, valKind, type Val } from './codegen-values.ts';

const floorOrCeil: ScalarEmitter = (gen, fn, args, at, t, out) =>
  gen.strict(out, args, valKind(t), (o, r) => {
    const a = args[0];
    if (isDecimal(at[0])) o.push(`${r.v} = H.${fn}Decimal(${a.v}, ${at[0].scale}, ${scaleOf(t)});`);
    else if (t.kind === 'DOUBLE') o.push(`${r.v} = Math.${fn}(${gen.toDouble(a, at[0])});`);
    else
      o.push(
        `${r.v} = ${gen.toScale({ ...a, v: `Math.${fn}(${gen.toDouble(a, at[0])})` }, { kind: 'BIGINT' }, scaleOf(t))};`,
      );
  });

/** Numeric functions: abs, sign, rounding, roots, logarithms and powers. */
export const mathEmitters: ScalarEmitters = {
  // Its argument only tells calls apart (see the binder).
  random: (gen, _fn, _args, _at, _t, out) =>
    gen.strict(out, [], 'num', (o, r) => o.push(`${r.v} = Math.random();`)),
  abs: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, gen.kindOf(t), (o, r) => {
      if (r.kind === 'big') {
        const x = gen.fresh('v', '0n');
        o.push(`${x} = ${gen.coerce(args[0], at[0], t)}; ${r.v} = ${x} < 0n ? -${x} : ${x};`);
        o.push(gen.checkResult(t, r.v, 'abs', 'big'));
        return;
      }
      o.push(`${r.v} = Math.abs(${gen.coerce(args[0], at[0], t)});`);
      o.push(gen.checkResult(t, r.v, 'abs', r.kind));
    }),
  sign: (gen, _fn, args, _at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = ${args[0].v} > 0 ? 1 : ${args[0].v} < 0 ? -1 : 0;`),
    ),
  round: (gen, _fn, args, at, t, out) => emitRound(gen, args, at, t, out),
  floor: floorOrCeil,
  ceil: floorOrCeil,
  sqrt: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      const x = gen.toDouble(args[0], at[0]);
      o.push(`if (${x} < 0) H.domainError('cannot take square root of a negative number');`);
      o.push(`${r.v} = Math.sqrt(${x});`);
    }),
  ln: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      const x = gen.toDouble(args[0], at[0]);
      o.push(`if (${x} === 0) H.domainError('cannot take logarithm of zero');`);
      o.push(`if (${x} < 0) H.domainError('cannot take logarithm of a negative number');`);
      o.push(`${r.v} = Math.log(${x});`);
    }),
  log10: (gen, _fn, args, at, t, out) => emitLogarithm(gen, 'Math.log10', args, at, t, out),
  log2: (gen, _fn, args, at, t, out) => emitLogarithm(gen, 'Math.log2', args, at, t, out),
  cbrt: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = Math.cbrt(${gen.toDouble(args[0], at[0])});`),
    ),
  to_timestamp: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = H.toTimestamp(${gen.toDouble(args[0], at[0])});`),
    ),
  exp: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = Math.exp(${gen.toDouble(args[0], at[0])});`),
    ),
  sin: (gen, _fn, args, at, t, out) => emitTrigonometric(gen, 'Math.sin', args, at, t, out),
  cos: (gen, _fn, args, at, t, out) => emitTrigonometric(gen, 'Math.cos', args, at, t, out),
  tan: (gen, _fn, args, at, t, out) => emitTrigonometric(gen, 'Math.tan', args, at, t, out),
  cot: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) => {
      const x = gen.fresh('x', '0');
      o.push(`${x} = ${gen.toDouble(args[0], at[0])};`);
      o.push(`if (${x} === 0) H.domainError('input value 0 is out of range for numeric function cot');`);
      o.push(finiteInput(x, 'cot'));
      o.push(`${r.v} = 1 / Math.tan(${x});`);
    }),
  asin: (gen, _fn, args, at, t, out) => emitInverseSine(gen, 'asin', args, at, t, out),
  acos: (gen, _fn, args, at, t, out) => emitInverseSine(gen, 'acos', args, at, t, out),
  atan: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = Math.atan(${gen.toDouble(args[0], at[0])});`),
    ),
  atan2: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = Math.atan2(${gen.toDouble(args[0], at[0])}, ${gen.toDouble(args[1], at[1])});`),
    ),
  power: (gen, _fn, args, at, t, out) =>
    gen.strict(out, args, valKind(t), (o, r) =>
      o.push(`${r.v} = Math.pow(${gen.toDouble(args[0], at[0])}, ${gen.toDouble(args[1], at[1])});`),
    ),
};

export function emitRound(gen: Codegen, args: Val[], at: SqlType[], t: SqlType, out: string[]): Val {
  return gen.strict(out, args, valKind(t), (o, r) => {
    const digits = args.length > 1 ? args[1].v : '0';
    if (isDecimal(at[0]))
      o.push(`${r.v} = H.roundDecimal(${args[0].v}, ${at[0].scale}, ${digits}, ${scaleOf(t)});`);
    else if (at[0].kind === 'DOUBLE') {
      const rounded = `H.roundDouble(${args[0].v}, ${digits})`;
      o.push(
        t.kind === 'DOUBLE'
          ? `${r.v} = ${rounded};`
          : `${r.v} = ${gen.toScale({ ...args[0], v: rounded }, at[0], scaleOf(t))};`,
      );
    } else
      o.push(
        `${r.v} = ${gen.toScale({ ...args[0], v: `H.roundInteger(${args[0].v}, ${digits})` }, { kind: 'BIGINT' }, scaleOf(t))};`,
      );
  });
}

/** A logarithm, with DuckDB's errors for zero and negative numbers. */
function emitLogarithm(
  gen: Codegen,
  log: string,
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
): Val {
  return gen.strict(out, args, valKind(t), (o, r) => {
    const x = gen.toDouble(args[0], at[0]);
    o.push(`if (${x} === 0) H.domainError('cannot take logarithm of zero');`);
    o.push(`if (${x} < 0) H.domainError('cannot take logarithm of a negative number');`);
    o.push(`${r.v} = ${log}(${x});`);
  });
}

/** DuckDB's error for an infinite argument of sin, cos, tan and cot (NaN gives NaN). */
function finiteInput(x: string, fn: string): string {
  return (
    `if (${x} === Infinity || ${x} === -Infinity) ` +
    `H.domainError('input value ' + (${x} > 0 ? 'inf' : '-inf') + ' is out of range for numeric function ${fn}');`
  );
}

/** sin, cos or tan of a finite number. */
function emitTrigonometric(
  gen: Codegen,
  fn: string,
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
): Val {
  return gen.strict(out, args, valKind(t), (o, r) => {
    const x = gen.fresh('x', '0');
    o.push(`${x} = ${gen.toDouble(args[0], at[0])};`);
    o.push(finiteInput(x, fn.slice('Math.'.length)));
    o.push(`${r.v} = ${fn}(${x});`);
  });
}

/** asin or acos, undefined outside [-1, 1] as in DuckDB (NaN gives NaN). */
function emitInverseSine(
  gen: Codegen,
  fn: 'asin' | 'acos',
  args: Val[],
  at: SqlType[],
  t: SqlType,
  out: string[],
): Val {
  return gen.strict(out, args, valKind(t), (o, r) => {
    const x = gen.fresh('x', '0');
    o.push(`${x} = ${gen.toDouble(args[0], at[0])};`);
    o.push(`if (${x} < -1 || ${x} > 1) H.domainError('${fn.toUpperCase()} is undefined outside [-1,1]');`);
    o.push(`${r.v} = Math.${fn}(${x});`);
  });
}
