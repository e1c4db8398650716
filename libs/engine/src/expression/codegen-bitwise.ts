import { InternalError, type SqlType } from '@tributary/common';
import type { ScalarFunctionName } from '@tributary/plan';
import type { Codegen, ScalarEmitter, ScalarEmitters } from './codegen.ts';
import { NEEDS_EXACT, type Val } from './codegen-values.ts';

/** The width of an integer type in bits. */
function bitsOf(t: SqlType): number {
  if (t.kind === 'INTEGER') return t.bits ?? 32;
  if (t.kind === 'BIGINT') return 64;
  if (t.kind === 'HUGEINT') return 128;
  throw new InternalError(`a bitwise operation on ${t.kind} cannot come from the binder`);
}

/**
 * Integers of at most 32 bits compute as JS int32s; BIGINT and HUGEINT only in exact kernels,
 * on bigints (a double holds 53 bits: a fast kernel hands them over before it runs).
 */
function operands(gen: Codegen, args: Val[], at: SqlType[]): { wide: boolean; x: string[] } {
  const wide = at[0].kind === 'BIGINT' || at[0].kind === 'HUGEINT';
  if (wide && !gen.exact) throw NEEDS_EXACT;
  return { wide, x: args.map((a, i) => (wide ? gen.toBig(a, at[i], 0) : a.v)) };
}

const INFIX: Partial<Record<ScalarFunctionName, string>> = {
  bitwise_and: '&',
  bitwise_or: '|',
  bitwise_xor: '^',
};

const logical: ScalarEmitter = (gen, fn, args, at, _t, out) => {
  const { wide, x } = operands(gen, args, at);
  return gen.strict(out, args, wide ? 'big' : 'num', (o, r) => {
    // Two's complement of in-range operands stays in range: nothing to check.
    o.push(`${r.v} = ${fn === 'bitwise_not' ? `~${x[0]}` : `${x[0]} ${INFIX[fn]} ${x[1]}`};`);
  });
};

const helper =
  (name: 'shiftLeft' | 'shiftRight'): ScalarEmitter =>
  (gen, _fn, args, at, t, out) => {
    const { wide, x } = operands(gen, args, at);
    return gen.strict(out, args, wide ? 'big' : 'num', (o, r) => {
      o.push(`${r.v} = H.${name}${wide ? 'Big' : ''}(${x[0]}, ${x[1]}, ${bitsOf(t)});`);
    });
  };

/** DuckDB's bitwise operators and functions on integers: & | xor ~ << >> bit_count. */
export const bitwiseEmitters: ScalarEmitters = {
  bitwise_and: logical,
  bitwise_or: logical,
  bitwise_xor: logical,
  bitwise_not: logical,
  shift_left: helper('shiftLeft'),
  shift_right: helper('shiftRight'),
  bit_count: (gen, _fn, args, at, _t, out) => {
    const { wide, x } = operands(gen, args, at);
    return gen.strict(out, args, 'num', (o, r) => {
      o.push(`${r.v} = H.bitCount${wide ? 'Big' : ''}(${x[0]}, ${bitsOf(at[0])});`);
    });
  },
};
