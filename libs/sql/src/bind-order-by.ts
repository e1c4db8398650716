import { BindError } from '@tributary/common';
import { column, exprToString, type Expr, type SortKey } from '@tributary/plan';
import type { TextRange } from './bind-context.ts';
import type { ExprBinder } from './bind-expr.ts';
import { expandOrderByAll } from './by-all.ts';
import { matchNames } from './name-match.ts';
import { bareName, ordinalOf, type AstOrderBy } from './sql-ast.ts';

export interface BoundOrderBy {
  /** Keys over the select list followed by `hidden`. */
  readonly keys: SortKey[];
  /** Sort expressions that are not selected: projected after the select list, dropped after the sort. */
  readonly hidden: Expr[];
}

/**
 * ORDER BY keys: an ordinal or an output name picks a select item (ALL picks each in turn);
 * any other expression is bound (against the FROM clause or the Aggregate output) and reuses
 * an equal select item, or becomes a hidden column.
 */
export function bindOrderBy(
  orderBy: readonly AstOrderBy[],
  binder: ExprBinder,
  selected: readonly Expr[],
  names: readonly string[],
  distinct: boolean,
  range: TextRange | undefined,
): BoundOrderBy {
  const hidden: Expr[] = [];
  const spelled = expandOrderByAll(orderBy, names.length, (node) => binder.position(node, range));
  const keys = spelled.map((o): SortKey => {
    const ascending = String(o.type ?? 'ASC').toUpperCase() !== 'DESC';
    const nulls = String(o.nulls ?? '')
      .toLowerCase()
      .replace(/\s+/g, '');
    // DuckDB's default: NULLS LAST in both directions (Postgres differs for DESC).
    const nullsFirst = nulls === 'nullsfirst';
    let index = -1;
    const k = ordinalOf(o.expr);
    const name = bareName(o.expr);
    if (k !== undefined) {
      if (k < 1 || k > selected.length)
        throw new BindError('INVALID_POSITION', `ORDER BY position ${k} is not in the select list`, {
          position: binder.position(o.expr, range),
        });
      index = k - 1;
    } else if (name) {
      const byName = matchNames(
        names.map((n, i) => ({ n, i })),
        (x) => x.n,
        name.text,
        name.quoted,
      );
      if (byName.length > 0) index = byName[0].i;
    }
    if (index < 0) {
      const bound = binder.bind(o.expr, range);
      const text = exprToString(bound);
      index = selected.findIndex((e) => exprToString(e) === text);
      if (index < 0) {
        let h = hidden.findIndex((e) => exprToString(e) === text);
        if (h < 0) {
          if (distinct) {
            throw new BindError(
              'INVALID_ORDER_BY',
              'for SELECT DISTINCT, ORDER BY expressions must appear in the select list',
              { position: binder.position(o.expr, range) },
            );
          }
          hidden.push(bound);
          h = hidden.length - 1;
        }
        index = selected.length + h;
      }
    }
    const type = index < selected.length ? selected[index].type : hidden[index - selected.length].type;
    return {
      expr: column(index, index < names.length ? names[index] : hiddenName(index - names.length), type),
      ascending,
      nullsFirst,
    };
  });
  return { keys, hidden };
}

export function hiddenName(i: number): string {
  return `__sort_${i}`;
}
