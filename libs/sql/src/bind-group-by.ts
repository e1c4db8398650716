import { BindError } from '@tributary/common';
import type { AggregateState } from './aggregate-state.ts';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { exprName } from './expr-name.ts';
import { matchNames } from './name-match.ts';
import type { Scope } from './scope.ts';
import type { SelectItem } from './select-items.ts';
import { bareName, functionName, ordinalOf, type AstNode } from './sql-ast.ts';

const GROUPING_FUNCTIONS = new Set(['rollup', 'cube', 'grouping sets', 'grouping_sets']);

/**
 * Adds the GROUP BY keys to `state`, bound against the FROM clause. A key may be an
 * expression, a select-list ordinal, or a select alias (when no input column has that name).
 */
export function bindGroupBy(
  ctx: BindContext,
  nodes: readonly AstNode[],
  items: readonly SelectItem[],
  scope: Scope,
  range: TextRange | undefined,
  state: AggregateState,
): void {
  const binder = new ExprBinder(ctx, scope, 'GROUP BY', range);
  for (const g of nodes) {
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
    if (node.type === 'function' && GROUPING_FUNCTIONS.has(functionName(node).toLowerCase())) {
      throw new BindError('UNSUPPORTED_FEATURE', 'ROLLUP, CUBE and GROUPING SETS are not supported yet', {
        position: binder.position(node, range),
        details: { feature: functionName(node).toUpperCase() },
      });
    }
    state.addKey(binder.bind(node), exprName(node));
  }
}
