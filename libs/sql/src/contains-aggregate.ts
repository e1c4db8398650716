import { functionName, type AstNode } from './sql-ast.ts';

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
]);

/** Whether the AST contains an aggregate call (outside nested subqueries). */
export function containsAggregate(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(containsAggregate);
  const n = node as AstNode;
  if (n.type === 'aggr_func') return true;
  if (n.type === 'function' && AGGREGATE_NAMES.has(functionName(n).toLowerCase())) return true;
  if (n.ast !== undefined) return false;
  return Object.entries(n).some(([k, v]) => k !== 'loc' && containsAggregate(v));
}
