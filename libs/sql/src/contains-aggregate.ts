import { functionName, type AstNode } from './sql-ast.ts';
import type { AstWindowCall } from './window-syntax.ts';

/** GROUPING(…) and GROUPING_ID(…): bound above an Aggregate like aggregate calls. */
export const GROUPING_FUNCTIONS = ['grouping', 'grouping_id'];

/** Aggregate functions, whichever node kind the parser gives their calls. */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'variance',
  'var_samp',
  'var_pop',
  'bool_and',
  'bool_or',
  'string_agg',
  'median',
  'quantile_cont',
  'quantile_disc',
  'any_value',
  'first',
  'arbitrary',
  'last',
  'arg_max',
  'arg_min',
  'argmax',
  'argmin',
  'max_by',
  'min_by',
  'count_if',
  'mode',
  'product',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
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
