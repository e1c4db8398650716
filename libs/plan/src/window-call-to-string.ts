import { exprToString } from './expr-visitors.ts';
import { frameToString, type WindowCall } from './window-call.ts';

/** Functions whose value depends on the frame; the others ignore it, so it is not printed. */
export const FRAMED_WINDOW_FUNCTIONS: ReadonlySet<string> = new Set([
  'first_value',
  'last_value',
  'nth_value',
  'count_star',
  'count',
  'sum',
  'avg',
  'min',
  'max',
]);

export function windowCallToString(c: WindowCall): string {
  const nulls = c.ignoreNulls ? ' IGNORE NULLS' : '';
  const name = c.fn === 'count_star' ? 'count(*)' : `${c.fn}(${c.args.map(exprToString).join(', ')}${nulls})`;
  return FRAMED_WINDOW_FUNCTIONS.has(c.fn) ? `${name} ${frameToString(c.frame)}` : name;
}
