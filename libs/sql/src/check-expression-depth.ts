import { BindError, type SqlPosition } from '@tributary/common';
import type { AstLocation } from './sql-ast.ts';

/**
 * How deeply expressions may nest (DuckDB's max_expression_depth is 1000). Binding,
 * optimizing and compiling walk expressions recursively; at this depth they need about half
 * of Node's default stack, leaving the rest to the caller. AND/OR chains and IN lists do not
 * count one level per operand: the parser balances them and the binder flattens them.
 */
export const MAX_EXPRESSION_DEPTH = 500;

/** Whether `error` is V8's stack overflow (a RangeError, as are unrelated errors). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message.includes('call stack');
}

/** The node types that nest expressions (literals, names and lists do not count). */
const COMPOUND = new Set([
  'binary_expr',
  'unary_expr',
  'function',
  'aggr_func',
  'window_func',
  'cast',
  'case',
  'extract',
  'interval',
]);

/** The typed error for a statement nested too deeply to handle; `cause` a stack overflow, if any. */
export function expressionTooDeep(
  position: SqlPosition | undefined,
  options: { limit?: number; message?: string; cause?: unknown } = {},
): BindError {
  const limit = options.limit ?? MAX_EXPRESSION_DEPTH;
  return new BindError(
    'EXPRESSION_TOO_DEEP',
    options.message ??
      `expression is nested more than ${limit} levels deep; simplify it (long AND/OR chains and IN lists are fine)`,
    { position, details: { limit }, cause: options.cause },
  );
}

/**
 * Fails with EXPRESSION_TOO_DEEP where the AST nests more than `limit` operators, calls, casts
 * or CASEs, pointing at the innermost located node on the way down. Iterative, so that it is
 * safe on any AST.
 */
export function checkExpressionDepth(ast: unknown, limit = MAX_EXPRESSION_DEPTH): void {
  // Parallel stacks rather than an object per entry: the AST of a long IN list has 100,000 nodes.
  const values: unknown[] = [ast];
  const depths: number[] = [0];
  const locs: (AstLocation | undefined)[] = [undefined];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    const loc = locs.pop();
    if (Array.isArray(value)) {
      for (const v of value) {
        if (typeof v !== 'object' || v === null) continue;
        values.push(v);
        depths.push(depth);
        locs.push(loc);
      }
      continue;
    }
    const node = value as { type?: unknown; loc?: AstLocation; [key: string]: unknown };
    const here = node.loc?.start ? node.loc : loc;
    const level = typeof node.type === 'string' && COMPOUND.has(node.type) ? depth + 1 : depth;
    if (level > limit) {
      throw expressionTooDeep(here ? { line: here.start.line, column: here.start.column } : undefined, {
        limit,
      });
    }
    for (const k in node) {
      const v = node[k];
      if (k === 'loc' || typeof v !== 'object' || v === null) continue;
      values.push(v);
      depths.push(level);
      locs.push(here);
    }
  }
}
