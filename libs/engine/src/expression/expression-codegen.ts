import type { SqlType } from '@tributary/common';
import type { Expr } from '@tributary/plan';
import { Codegen } from './codegen.ts';

export interface GeneratedKernel {
  /** Body of `function (H, C) { return function kernel_<mode>_<type>(cols, sel, count) {...} }`. */
  readonly source: string;
  readonly constants: unknown[];
  /** Input column indices, in the order the kernel expects them in `cols`. */
  readonly columns: readonly number[];
}

export type KernelMode = 'value' | 'predicate';

/** Generates the kernel source of `expr` over `input`, for one pattern of nullable input columns. */
export function generateKernel(
  expr: Expr,
  input: readonly SqlType[],
  nullable: (index: number) => boolean,
  mode: KernelMode,
  exact = false,
): GeneratedKernel {
  const gen = new Codegen(input, nullable, exact);
  const body: string[] = [];
  let val = gen.emit(expr, body);
  if (mode === 'value' && gen.kindOf(expr.type) === 'big' && val.kind !== 'big') {
    const big = gen.newVal('big', val.n !== null);
    gen.assign(body, big, val);
    val = big;
  }
  const lines: string[] = [];
  const t = expr.type;
  const loopHead = 'for (let k = 0; k < count; k++) { const r = sel === undefined ? k : sel[k];';
  if (mode === 'value' && t.kind === 'LIST') {
    // Lists are built row by row into a ColumnBuilder (offsets and the elements' column).
    lines.push('const ob = H.newListBuilder(T, count);');
    const write =
      val.n === 'true'
        ? 'ob.appendNull();'
        : val.n === null
          ? `ob.appendList(${val.v});`
          : `if (${val.n}) ob.appendNull(); else ob.appendList(${val.v});`;
    lines.push(loopHead, ...gen.reads, ...body, write, '}');
    lines.push('return ob.finish(count);');
  } else if (mode === 'predicate') {
    const holds = val.n === 'true' ? 'false' : val.n ? `!${val.n} && ${val.v}` : val.v;
    lines.push('const out = new Uint32Array(count); let c = 0;');
    lines.push(loopHead, ...gen.reads, ...body, `if (${holds}) out[c++] = r;`, '}');
    lines.push('return { selection: out, count: c };');
  } else {
    const write: string[] = [];
    const alloc: string[] = [];
    let result = '';
    switch (t.kind) {
      case 'NULL':
        result = 'values: new Uint8Array(0)';
        break;
      case 'BOOLEAN':
        alloc.push('const ob = new Uint8Array((count + 7) >> 3);');
        write.push(`if (${val.v}) ob[k >> 3] |= 1 << (k & 7);`);
        result = 'values: ob';
        break;
      case 'INTEGER':
      case 'DATE':
        alloc.push('const ob = new Int32Array(count);');
        write.push(`ob[k] = ${val.v};`);
        result = 'values: ob';
        break;
      case 'DOUBLE':
        alloc.push('const ob = new Float64Array(count);');
        write.push(`ob[k] = ${val.v};`);
        result = 'values: ob';
        break;
      case 'BIGINT':
      case 'HUGEINT':
      case 'DECIMAL':
        if (val.kind !== 'big') break;
        if (t.kind === 'BIGINT') {
          alloc.push('const ores = new BigInt64Array(count);');
          write.push(`ores[k] = ${val.v};`);
          result = 'values: ores';
        } else {
          // 128 bits as two 64-bit halves: the low one unsigned, the high one signed.
          alloc.push('const oh = new BigInt64Array(count * 2);');
          write.push(`oh[2 * k] = BigInt.asIntN(64, ${val.v}); oh[2 * k + 1] = ${val.v} >> 64n;`);
          result = 'values: new Uint32Array(oh.buffer)';
        }
        break;
    }
    if (result === '')
      switch (t.kind) {
        case 'BIGINT':
        case 'TIME':
        case 'TIMESTAMP':
          alloc.push(
            'const ores = new BigInt64Array(count); const ob = new Int32Array(ores.buffer); let hi = 0;',
          );
          write.push(
            `hi = Math.floor(${val.v} / 4294967296); ob[2 * k] = (${val.v} - hi * 4294967296) | 0; ob[2 * k + 1] = hi | 0;`,
          );
          result = 'values: ores';
          break;
        case 'HUGEINT':
        case 'DECIMAL':
          alloc.push('const ob = new Uint32Array(count * 4); let hi = 0;');
          write.push(
            `hi = Math.floor(${val.v} / 4294967296); ob[4 * k] = ${val.v} - hi * 4294967296; ob[4 * k + 1] = hi; if (${val.v} < 0) { ob[4 * k + 2] = 0xffffffff; ob[4 * k + 3] = 0xffffffff; }`,
          );
          result = 'values: ob';
          break;
        case 'VARCHAR':
          alloc.push(
            'let ob = new Uint8Array(count * 8 + 64); const oo = new Int32Array(count + 1); let op = 0;',
          );
          if (val.kind === 'str') {
            write.push(
              `if (op + ${val.v}.length * 3 > ob.length) ob = H.growBytes(ob, op, op + ${val.v}.length * 3); op += H.encodeInto(${val.v}, ob, op);`,
            );
          } else {
            write.push(
              `if (op + ${val.e} - ${val.s} > ob.length) ob = H.growBytes(ob, op, op + ${val.e} - ${val.s}); for (let j = ${val.s}; j < ${val.e}; j++) ob[op++] = ${val.b}[j];`,
            );
          }
          result = 'values: ob.slice(0, op), offsets: oo';
          break;
      }
    const after = t.kind === 'VARCHAR' ? 'oo[k + 1] = op;' : '';
    if (val.n === 'true' || t.kind === 'NULL') {
      lines.push(...alloc, 'const ov = new Uint8Array((count + 7) >> 3);');
      lines.push(`return { type: T, length: count, ${result}, validity: ov };`);
    } else if (val.n === null) {
      lines.push(...alloc, loopHead, ...gen.reads, ...body, ...write, after, '}');
      lines.push(`return { type: T, length: count, ${result}, validity: undefined };`);
    } else {
      lines.push(...alloc, 'const ov = new Uint8Array((count + 7) >> 3); let nulls = 0;');
      lines.push(
        loopHead,
        ...gen.reads,
        ...body,
        `if (${val.n}) { nulls++; } else { ov[k >> 3] |= 1 << (k & 7); ${write.join(' ')} }`,
        after,
        '}',
      );
      lines.push(`return { type: T, length: count, ${result}, validity: nulls === 0 ? undefined : ov };`);
    }
  }
  const typeConst = gen.konst(t);
  // Named by mode and result type, so that profiles and V8's traces tell kernels apart.
  const source = [
    `const T = ${typeConst};`,
    `return function kernel_${mode}_${t.kind}(cols, sel, count) {`,
    ...gen.setup,
    gen.declarations(),
    ...lines,
    '};',
  ]
    .filter((l) => l !== '')
    .join('\n');
  return { source, constants: gen.constants, columns: gen.columns };
}
