import { AGGREGATE_FUNCTION_NAMES, type AggregateFunctionName } from '@tributary/plan';
import { functionName, type AstNode } from './sql-ast.ts';
import type { AstWindowCall } from './window-syntax.ts';

/** GROUPING(…) and GROUPING_ID(…): bound above an Aggregate like aggregate calls. */
export const GROUPING_FUNCTIONS = ['grouping', 'grouping_id'];

/** Other spellings of aggregates, as DuckDB reads them. */
export const AGGREGATE_ALIASES: Readonly<Record<string, AggregateFunctionName>> = {
  stddev: 'stddev_samp',
  variance: 'var_samp',
  max_by: 'arg_max',
  min_by: 'arg_min',
  argmax: 'arg_max',
  argmin: 'arg_min',
  arbitrary: 'first',
  array_agg: 'list',
  mean: 'avg',
  every: 'bool_and',
  // Counted exactly: an estimate's error of zero.
  approx_count_distinct: 'count',
};

/** The aliases that count each distinct value once, written with DISTINCT or not. */
export const DISTINCT_ALIASES: ReadonlySet<string> = new Set(['approx_count_distinct']);

/**
 * Aggregate functions, whichever node kind the parser gives their calls: the plan's
 * aggregates (count_star is COUNT(*)), their aliases, count_if (which the binder rewrites
 * into a sum) and GROUPING.
 */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  ...AGGREGATE_FUNCTION_NAMES.filter((name) => name !== 'count_star'),
  ...Object.keys(AGGREGATE_ALIASES),
  'count_if',
  ...GROUPING_FUNCTIONS,
]);

/** Whether the AST contains an aggregate call (outside nested subqueries). */
export function containsAggregate(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(containsAggregate);
  const n = node as AstNode;
  if (n.type === 'window_call') {
    // The windowed call itself is no aggregate; its arguments and keys may hold some.
    const w = node as unknown as AstWindowCall;
    const argsOf = w.call.args as AstNode['args'];
    return (
      containsAggregate(argsOf) ||
      w.window.partitionBy.some(containsAggregate) ||
      w.window.orderBy.some((o) => containsAggregate(o.expr))
    );
  }
  if (n.type === 'aggr_func') return true;
  if (n.type === 'function' && AGGREGATE_NAMES.has(functionName(n).toLowerCase())) return true;
  if (n.ast !== undefined) return false;
  return Object.entries(n).some(([k, v]) => k !== 'loc' && containsAggregate(v));
}

/** Whether the AST contains a window function call (outside nested subqueries). */
export function containsWindow(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(containsWindow);
  const n = node as AstNode;
  if (n.type === 'window_call') return true;
  if (n.ast !== undefined) return false;
  return Object.entries(n).some(([k, v]) => k !== 'loc' && containsWindow(v));
}
