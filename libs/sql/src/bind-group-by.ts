import { BindError } from '@tributary/common';
import type { AggregateState } from './aggregate-state.ts';
import type { BindContext, TextRange } from './bind-context.ts';
import { GROUP_BY_ALL } from './by-all.ts';
import { column } from '@tributary/plan';
import { ExprBinder } from './bind-expr.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { exprName } from './expr-name.ts';
import { matchNames } from './name-match.ts';
import { EMPTY_GROUPING_SET } from './normalize-grouping-sets.ts';
import type { Scope } from './scope.ts';
import type { SelectItem } from './select-items.ts';
import { argList, bareName, functionName, ordinalOf, type AstNode } from './sql-ast.ts';

/** More sets than this (a CUBE of 13 keys) is refused rather than multiplying the input. */
export const MAX_GROUPING_SETS = 4096;

/** Sets of group keys, each as indices into the state's keys. */
type GroupingSets = number[][];

function groupingKind(node: AstNode): 'rollup' | 'cube' | 'sets' | undefined {
  if (node.type !== 'function') return undefined;
  const name = functionName(node).toLowerCase();
  if (name === 'rollup' || name === 'cube') return name;
  // normalizeGroupingSets made `GROUPING SETS (` a call of grouping_sets (one _ per blank).
  return /^grouping_+sets$/.test(name) ? 'sets' : undefined;
}

function isEmptySet(node: AstNode): boolean {
  return node.type === 'single_quote_string' && node.value === EMPTY_GROUPING_SET;
}

/**
 * Adds the GROUP BY keys to `state`, bound against the FROM clause. A key may be an
 * expression, a select-list ordinal, or a select alias (when no input column has that name).
 * With ROLLUP, CUBE or GROUPING SETS among the items, returns the grouping sets: the cross
 * product of each item's sets (a plain key is one set of one key), as SQL defines it;
 * otherwise undefined (one plain grouping).
 */
export function bindGroupBy(
  ctx: BindContext,
  nodes: readonly AstNode[],
  items: readonly SelectItem[],
  scope: Scope,
  range: TextRange | undefined,
  state: AggregateState,
): GroupingSets | undefined {
  const binder = new ExprBinder(ctx, scope, 'GROUP BY', range);
  for (const i of items)
    if (i.kind === 'expr' && i.alias) state.selectAliases.set(i.alias.toLowerCase(), i.node);
  const key = (g: AstNode): number => {
    if (g.type === GROUP_BY_ALL)
      throw new BindError('INVALID_GROUP_BY', 'GROUP BY ALL cannot be combined with other keys', {
        position: binder.position(g, range),
      });
    let node = g;
    const k = ordinalOf(g);
    if (k !== undefined) {
      const item = items[k - 1];
      if (!item || item.kind !== 'expr')
        throw new BindError('INVALID_POSITION', `GROUP BY position ${k} is not in the select list`, {
          position: binder.position(g, range),
        });
      node = item.node;
    } else {
      const name = bareName(g);
      const alias =
        name &&
        items.find(
          (i) => i.kind === 'expr' && i.alias !== null && i.alias.toLowerCase() === name.text.toLowerCase(),
        );
      if (
        name &&
        alias &&
        alias.kind === 'expr' &&
        matchNames(scope.columns, (c) => c.name, name.text, name.quoted).length === 0
      )
        node = alias.node;
    }
    if (containsAggregate(node)) {
      throw new BindError('INVALID_AGGREGATE', 'aggregate functions are not allowed in GROUP BY', {
        position: binder.position(node, range),
      });
    }
    const bound = binder.bind(node);
    state.addKey(bound, exprName(node));
    return state.keyIndex(bound);
  };
  // One element of ROLLUP or CUBE: a key, or a parenthesized list of keys taken together.
  const element = (node: AstNode): number[] =>
    node.type === 'expr_list' ? (node.value as AstNode[]).map(key) : isEmptySet(node) ? [] : [key(node)];
  const setsOf = (node: AstNode): GroupingSets => {
    const kind = groupingKind(node);
    // The grammar reads ROLLUP ((a, b)) as ROLLUP (a, b) marked parenthesized: one element.
    const grouped = (node.args as { parentheses?: boolean } | undefined)?.parentheses === true;
    const args: AstNode[] = grouped ? [{ type: 'expr_list', value: argList(node) }] : argList(node);
    if (kind === 'rollup') {
      const elements = args.map(element);
      return elements.map((_, i) => elements.slice(0, elements.length - i).flat()).concat([[]]);
    }
    if (kind === 'cube') {
      const elements = args.map(element);
      if (elements.length > Math.log2(MAX_GROUPING_SETS)) throw tooMany(node);
      const sets: GroupingSets = [];
      for (let mask = (1 << elements.length) - 1; mask >= 0; mask--)
        sets.push(elements.filter((_, i) => mask & (1 << (elements.length - 1 - i))).flat());
      return sets;
    }
    if (kind === 'sets') return args.flatMap((a) => (groupingKind(a) ? setsOf(a) : [element(a)]));
    // GROUP BY (): the empty set alone, which is a global aggregate.
    return isEmptySet(node) ? [[]] : [[key(node)]];
  };
  const tooMany = (node: AstNode) =>
    new BindError('TOO_MANY_GROUPING_SETS', `GROUP BY makes more than ${MAX_GROUPING_SETS} grouping sets`, {
      position: binder.position(node, range),
    });
  if (nodes.length === 1 && nodes[0].type === GROUP_BY_ALL) {
    // DuckDB: every select item without an aggregate (a star's columns each) is a key.
    for (const item of items) {
      if (item.kind === 'star') {
        for (const c of item.columns) state.addKey(column(c.index, c.name, c.type), c.name);
      } else if (!containsAggregate(item.node) && !containsWindowCall(item.node)) key(item.node);
    }
    return undefined;
  }
  let sets: GroupingSets = [[]];
  let grouping = false;
  for (const g of nodes) {
    grouping ||= groupingKind(g) !== undefined;
    const itemSets = setsOf(g);
    if (sets.length * itemSets.length > MAX_GROUPING_SETS) throw tooMany(g);
    sets = sets.flatMap((a) => itemSets.map((b) => [...new Set([...a, ...b])].sort((x, y) => x - y)));
  }
  return grouping ? sets : undefined;
}

/** Whether a select item computes a window function (such an item is no GROUP BY ALL key). */
function containsWindowCall(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsWindowCall);
  if (typeof value !== 'object' || value === null) return false;
  const node = value as AstNode;
  if (node.type === 'window_call') return true;
  if (node.type === 'select' || 'ast' in node) return false;
  return Object.entries(node).some(([k, v]) => k !== 'loc' && containsWindowCall(v));
}
