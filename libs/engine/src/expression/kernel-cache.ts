import type { ColumnBuffers } from '@tributary/common';
import { InternalError, PlanError } from '@tributary/common';
import type { Expr, Field } from '@tributary/plan';
import { generateKernel, type KernelMode } from './expression-codegen.ts';
import { runtimeHelpers } from './runtime-helpers.ts';

type KernelFn = (cols: ColumnBuffers[], sel: Uint32Array | undefined, count: number) => unknown;
type KernelFactory = (helpers: typeof runtimeHelpers, constants: unknown[]) => KernelFn;

/** A compiled kernel plus the order in which it wants the referenced columns. */
export interface Kernel {
  readonly source: string;
  run(columns: readonly ColumnBuffers[], selection: Uint32Array | undefined, count: number): unknown;
}

/** Factories keyed by generated source: equal shapes over equal types share one JS function. */
const factories = new Map<string, KernelFactory>();
const MAX_FACTORIES = 2000;

/**
 * The kernel of `expr` over `input` for one pattern of nullable columns (`nullMask` has one
 * '0'/'1' per entry of `referenced`, ascending column order).
 */
export function kernelFor(
  expr: Expr,
  input: readonly Field[],
  referenced: readonly number[],
  nullMask: string,
  mode: KernelMode,
): Kernel {
  const nullable = new Set(referenced.filter((_, i) => nullMask[i] === '1'));
  let generated: ReturnType<typeof generateKernel>;
  try {
    generated = generateKernel(
      expr,
      input.map((f) => f.type),
      (index) => nullable.has(index),
      mode,
    );
  } catch (error) {
    // Plans from the binder are depth-limited; anything else deeper than the stack fails typed.
    if (error instanceof RangeError && error.message.includes('call stack'))
      throw new PlanError('EXPRESSION_TOO_DEEP', 'the expression is nested too deeply to compile', {
        cause: error,
      });
    throw error;
  }
  let factory = factories.get(generated.source);
  if (!factory) {
    try {
      factory = new Function('H', 'C', generated.source) as KernelFactory;
    } catch (error) {
      throw new InternalError(
        `generated expression code does not compile: ${(error as Error).message}\n${generated.source}`,
        { cause: error },
      );
    }
    if (factories.size >= MAX_FACTORIES) factories.clear();
    factories.set(generated.source, factory);
  }
  const fn = factory(runtimeHelpers, generated.constants);
  // The kernel takes columns in the order it first met them; map from ascending order.
  const positions = generated.columns.map((c) => referenced.indexOf(c));
  const identity = positions.every((p, i) => p === i) && positions.length === referenced.length;
  return {
    source: generated.source,
    run(columns, selection, count) {
      const cols = identity ? (columns as ColumnBuffers[]) : positions.map((p) => columns[p]);
      return fn(cols, selection, count);
    },
  };
}
