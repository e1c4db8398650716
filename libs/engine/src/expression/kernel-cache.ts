import type { ColumnBuffers } from '@tributary/common';
import { InternalError, PlanError, typeToString } from '@tributary/common';
import type { Expr, Field } from '@tributary/plan';
import { generateKernel, type KernelMode } from './expression-codegen.ts';
import { runtimeHelpers } from './runtime-helpers.ts';
import { NEEDS_EXACT } from './codegen-values.ts';

type KernelFn = (cols: ColumnBuffers[], sel: Uint32Array | undefined, count: number) => unknown;
type KernelFactory = (helpers: typeof runtimeHelpers, constants: unknown[]) => KernelFn;

/** A compiled kernel plus the order in which it wants the referenced columns. */
export interface Kernel {
  readonly source: string;
  run(columns: readonly ColumnBuffers[], selection: Uint32Array | undefined, count: number): unknown;
}

/**
 * Generated kernels by expression (its JSON), mode, the types of the columns it reads and which
 * of them hold NULLs: every task of a repeated query compiles the same expressions, and
 * generating the source cost more than running it over a small batch. null: only the exact
 * variant exists. Constants (sets, patterns) are only read by the kernels that share them.
 */
const generatedKernels = new Map<string, ReturnType<typeof generateKernel> | null>();

/** JSON of an expression that tells NaN, ±Infinity and -0 apart from null and 0 (JSON alone does not). */
function exactNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0)))
    return { $number: Object.is(value, -0) ? '-0' : String(value) };
  return value;
}

/** The key of a kernel in generatedKernels; undefined for an expression too deep to write as JSON. */
function kernelKey(
  expr: Expr,
  input: readonly Field[],
  referenced: readonly number[],
  nullMask: string,
  mode: KernelMode,
): string | undefined {
  let json: string;
  try {
    json = JSON.stringify(expr, exactNumbers);
  } catch {
    return undefined;
  }
  const types = referenced.map((c) => typeToString(input[c].type)).join(',');
  return `${mode}\u0000${nullMask}\u0000${types}\u0000${json}`;
}

/** Factories keyed by generated source: equal shapes over equal types share one JS function. */
const factories = new Map<string, KernelFactory>();
const MAX_FACTORIES = 2000;

/**
 * The function made of each generated kernel, fast and exact: generatedKernels hands every
 * task of a repeated query the same generated kernel, and with it the very function V8 has
 * already optimized. (Each call of a factory makes a new closure, whose optimized code V8 does
 * not reuse: the kernels of every task ran unoptimized again and were compiled again.)
 */
const instances = {
  fast: new WeakMap<ReturnType<typeof generateKernel>, KernelFn>(),
  exact: new WeakMap<ReturnType<typeof generateKernel>, KernelFn>(),
};

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
  const key = kernelKey(expr, input, referenced, nullMask, mode);
  const generate = (exact: boolean): ReturnType<typeof generateKernel> | undefined => {
    if (key === undefined) return generateUncached(exact);
    const cacheKey = `${exact ? 1 : 0}${key}`;
    const known = generatedKernels.get(cacheKey);
    if (known !== undefined) return known ?? undefined;
    const made = generateUncached(exact);
    if (generatedKernels.size >= MAX_FACTORIES) generatedKernels.clear();
    generatedKernels.set(cacheKey, made ?? null);
    return made;
  };
  const generateUncached = (exact: boolean): ReturnType<typeof generateKernel> | undefined => {
    try {
      return generateKernel(
        expr,
        input.map((f) => f.type),
        (index) => nullable.has(index),
        mode,
        exact,
      );
    } catch (error) {
      if (error === NEEDS_EXACT && !exact) return undefined;
      // Plans from the binder are depth-limited; anything else deeper than the stack fails typed.
      if (error instanceof RangeError && error.message.includes('call stack'))
        throw new PlanError('EXPRESSION_TOO_DEEP', 'the expression is nested too deeply to compile', {
          cause: error,
        });
      throw error;
    }
  };
  // The fast kernel holds BIGINT/DECIMAL values in doubles; the first batch with a value
  // beyond 2^53 (H.needExact()) switches this kernel to the exact one, which holds them in bigints.
  const fast = generate(false);
  let run = fast === undefined ? undefined : instantiate(fast, runtimeHelpers, referenced);
  let exactRun: KernelRun | undefined;
  const exact = (): KernelRun => (exactRun ??= instantiate(generate(true)!, exactHelpers, referenced));
  if (run === undefined) exact();
  return {
    source: fast?.source ?? exactSource(exactRun),
    run(columns, selection, count) {
      if (run !== undefined) {
        try {
          return run(columns, selection, count);
        } catch (error) {
          if (error !== NEEDS_EXACT) throw error;
          run = undefined;
        }
      }
      return exact()(columns, selection, count);
    },
  };
}

type KernelRun = ((
  columns: readonly ColumnBuffers[],
  selection: Uint32Array | undefined,
  count: number,
) => unknown) & {
  source: string;
};

function exactSource(run: KernelRun | undefined): string {
  return run?.source ?? '';
}

/** Helpers of exact kernels: the fast-path guards of functions run in fast mode are no-ops. */
const exactHelpers: typeof runtimeHelpers = { ...runtimeHelpers, needExact(): void {} };

/** The JS function of generated source (shared by equal sources), taking columns in ascending order. */
function instantiate(
  generated: ReturnType<typeof generateKernel>,
  helpers: typeof runtimeHelpers,
  referenced: readonly number[],
): KernelRun {
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
  const made = instances[helpers === runtimeHelpers ? 'fast' : 'exact'];
  let fn = made.get(generated);
  if (!fn) {
    fn = factory(helpers, generated.constants);
    made.set(generated, fn);
  }
  // The kernel takes columns in the order it first met them; map from ascending order.
  const positions = generated.columns.map((c) => referenced.indexOf(c));
  const identity = positions.every((p, i) => p === i) && positions.length === referenced.length;
  const run = (
    columns: readonly ColumnBuffers[],
    selection: Uint32Array | undefined,
    count: number,
  ): unknown => {
    const ordered = identity ? (columns as ColumnBuffers[]) : positions.map((p) => columns[p]);
    if (!warmed.has(fn)) {
      warmed.add(fn);
      warmUp(fn, ordered);
    }
    return fn(ordered, selection, count);
  };
  return Object.assign(run, { source: generated.source });
}

/** Kernels already warmed up (warmUp). */
const warmed = new WeakSet<KernelFn>();

/**
 * Calls of a new kernel over no rows before its first batch: enough for V8 to give it a
 * feedback vector (allocated lazily, once about 8 times its bytecode's size has run; a call
 * over no rows runs part of it) and record there how the code after its loop ran. A call
 * over no rows allocates nothing: setup only reads the columns, constants are built once.
 */
const WARM_UP_CALLS = 100;

/**
 * Runs a new kernel over no rows (WARM_UP_CALLS). Else V8 optimizes the kernel while its
 * first batch loops, before the code after the loop ever ran, and that code is compiled as a
 * deopt for want of feedback, which Node 20's V8 then keeps: a point lookup's filter over
 * 8,192 rows deoptimized in all 1,501 of 1,501 queries (`--trace-deopt`), in some starts of
 * an executor and not in others, each time finishing in the interpreter.
 */
function warmUp(fn: KernelFn, columns: ColumnBuffers[]): void {
  try {
    for (let i = 0; i < WARM_UP_CALLS; i++) fn(columns, undefined, 0);
  } catch {
    // Only feedback is wanted; the real call reports what is wrong.
  }
}
