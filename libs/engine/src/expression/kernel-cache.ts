import type { ColumnBuffers } from '@tributary/common';
import { InternalError, PlanError } from '@tributary/common';
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

/** Factories keyed by generated source: equal shapes over equal types share one JS function. */
const factories = new Map<string, KernelFactory>();
const MAX_FACTORIES = 2000;

/**
 * Kernels keyed by source, helpers and constants: every task of a query, and every run of a
 * query, that compiles the same expression gets the very function V8 already optimized. (Each
 * call of a factory makes a new closure, whose optimized code V8 does not reuse: per task, the
 * kernels ran unoptimized again and were compiled again.)
 */
const instances = new Map<string, KernelFn>();

/** Constants larger than this are not keyed (a long IN list's Set): their kernels are not shared. */
const MAX_KEYED_CONSTANT_CHARS = 4096;

/**
 * The key of a kernel, or undefined when one of its constants cannot be keyed exactly (an
 * object of a class, a function): plain values, arrays, plain objects, byte arrays and sets
 * of plain values are written out, -0 and NaN kept apart from 0.
 */
function instanceKey(generated: ReturnType<typeof generateKernel>, helpers: string): string | undefined {
  let chars = 0;
  const write = (value: unknown): string | undefined => {
    let out: string | undefined;
    if (value === null || value === undefined || typeof value === 'boolean') out = String(value);
    else if (typeof value === 'number') out = Object.is(value, -0) ? '-0' : String(value);
    else if (typeof value === 'bigint') out = `${value}n`;
    else if (typeof value === 'string') out = JSON.stringify(value);
    else if (value instanceof Uint8Array) out = `u8[${value.join(',')}]`;
    else if (Array.isArray(value) || value instanceof Set) {
      const items: string[] = [];
      for (const item of value) {
        const written = write(item);
        if (written === undefined) return undefined;
        items.push(written);
      }
      out = `${Array.isArray(value) ? '' : 'set'}[${items.join(',')}]`;
    } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const fields: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const written = write(v);
        if (written === undefined) return undefined;
        fields.push(`${JSON.stringify(k)}:${written}`);
      }
      out = `{${fields.join(',')}}`;
    }
    if (out === undefined || (chars += out.length) > MAX_KEYED_CONSTANT_CHARS) return undefined;
    return out;
  };
  const constants = write(generated.constants);
  return constants === undefined ? undefined : `${helpers}\u0000${generated.source}\u0000${constants}`;
}

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
  const generate = (exact: boolean): ReturnType<typeof generateKernel> | undefined => {
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
  const key = instanceKey(generated, helpers === runtimeHelpers ? 'fast' : 'exact');
  let fn = key === undefined ? undefined : instances.get(key);
  if (!fn) {
    fn = factory(helpers, generated.constants);
    if (key !== undefined) {
      if (instances.size >= MAX_FACTORIES) instances.clear();
      instances.set(key, fn);
    }
  }
  // The kernel takes columns in the order it first met them; map from ascending order.
  const positions = generated.columns.map((c) => referenced.indexOf(c));
  const identity = positions.every((p, i) => p === i) && positions.length === referenced.length;
  const run = (
    columns: readonly ColumnBuffers[],
    selection: Uint32Array | undefined,
    count: number,
  ): unknown =>
    fn(identity ? (columns as ColumnBuffers[]) : positions.map((p) => columns[p]), selection, count);
  return Object.assign(run, { source: generated.source });
}
