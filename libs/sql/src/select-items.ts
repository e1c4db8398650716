import { BindError } from '@tributary/common';
import { positionAtOffset, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { exprName } from './expr-name.ts';
import type { Scope, ScopeColumn } from './scope.ts';
import type { AstColumn, AstNode, AstSelect } from './sql-ast.ts';

export type SelectItem =
  { kind: 'star'; columns: ScopeColumn[] } | { kind: 'expr'; node: AstNode; alias: string | null };

/** The select list with `*` and `t.*` expanded to the columns they stand for. */
export function selectItems(
  ctx: BindContext,
  ast: AstSelect,
  scope: Scope,
  range: TextRange | undefined,
): SelectItem[] {
  const columns =
    typeof ast.columns === 'string'
      ? [{ expr: { type: 'column_ref', table: null, column: '*' } } as AstColumn]
      : ast.columns;
  return columns.map((c): SelectItem => {
    const e = c.expr;
    if (e.type !== 'column_ref' || e.column !== '*') return { kind: 'expr', node: e, alias: c.as ?? null };
    const t = e.table;
    const qualifier =
      typeof t === 'string' ? t : t && typeof t === 'object' ? String((t as AstNode).value) : undefined;
    if (qualifier === undefined) {
      if (scope.columns.length === 0)
        throw new BindError('INVALID_STAR', 'SELECT * needs a FROM clause', {
          position: positionAtOffset(ctx, range?.start ?? 0),
        });
      return { kind: 'star', columns: scope.star(undefined, undefined) };
    }
    const { parts, position } = new ExprBinder(ctx, scope, 'SELECT', range).columnParts(e, range);
    return {
      kind: 'star',
      columns: scope.star(parts[parts.length - 2] ?? { text: qualifier, quoted: false }, position),
    };
  });
}

/** Output names: an alias, a column's own name, else the expression as DuckDB prints it. */
export function selectNames(items: readonly SelectItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'star' ? item.columns.map((c) => c.name) : [item.alias ?? exprName(item.node)],
  );
}
