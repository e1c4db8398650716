import { BindError, closestNames, type SqlPosition } from '@tributary/common';
import { positionAtOffset, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { expandColumns, type ColumnsScope } from './columns-expression.ts';
import { exprName } from './expr-name.ts';
import type { Scope, ScopeColumn } from './scope.ts';
import type { AstColumn, AstNode, AstSelect } from './sql-ast.ts';
import type { ExcludedName, StarModifiers } from './star-modifiers.ts';

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
  const columnsScope = selectColumnsScope(ctx, scope, range);
  return columns.flatMap((c): SelectItem[] => {
    const e = c.expr;
    if (e.type !== 'column_ref' || e.column !== '*') {
      // COLUMNS(…): one item per column selected, each named after its column (as DuckDB does).
      const expanded = expandColumns(e, columnsScope);
      if (expanded)
        return expanded.map((x): SelectItem => ({
          kind: 'expr',
          node: x.node,
          alias: c.as ?? x.column.name,
        }));
      return [{ kind: 'expr', node: e, alias: c.as ?? null }];
    }
    const star = starItem(ctx, e, scope, range);
    return c.starModifiers ? applyStarModifiers(star.columns, c.starModifiers) : [star];
  });
}

/** What COLUMNS(…) selects from in a select list or WHERE clause over `scope`. */
export function selectColumnsScope(
  ctx: BindContext,
  scope: Scope,
  range: TextRange | undefined,
): ColumnsScope {
  return {
    star: (node) => starItem(ctx, node, scope, range).columns,
    get visible() {
      return scope.columns.length === 0 ? [] : scope.star(undefined, undefined);
    },
    position: positionAtOffset(ctx, range?.start ?? 0),
  };
}

function starItem(
  ctx: BindContext,
  e: AstNode,
  scope: Scope,
  range: TextRange | undefined,
): { kind: 'star'; columns: ScopeColumn[] } {
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
}

/** The name `wanted` (quoted: exactly, else ignoring case) among `columns`, with a qualifier if given. */
function matchingColumns(columns: readonly ScopeColumn[], name: ExcludedName): ScopeColumn[] {
  const wanted = name.parts[name.parts.length - 1];
  const qualifier = name.parts.length > 1 ? name.parts[name.parts.length - 2] : undefined;
  const same = (a: string, b: { text: string; quoted: boolean }): boolean =>
    b.quoted ? a === b.text : a.toLowerCase() === b.text.toLowerCase();
  return columns.filter((c) => same(c.name, wanted) && (!qualifier || same(c.qualifier, qualifier)));
}

function missingColumn(
  clause: string,
  display: string,
  columns: readonly ScopeColumn[],
  position: SqlPosition | undefined,
): BindError {
  const suggestions = closestNames(
    display.split('.').pop() ?? display,
    columns.map((c) => c.name),
  );
  const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
  return new BindError('COLUMN_NOT_FOUND', `column "${display}" in ${clause} list not found${hint}`, {
    position,
    suggestions,
    details: { column: display },
  });
}

/**
 * DuckDB's `* EXCLUDE (…) REPLACE (e AS c)`: the star's columns without the excluded ones,
 * and each replaced column computed by its expression under the column's own name and place.
 */
function applyStarModifiers(columns: readonly ScopeColumn[], modifiers: StarModifiers): SelectItem[] {
  const excluded = new Set<ScopeColumn>();
  for (const name of modifiers.exclude) {
    const found = matchingColumns(columns, name);
    if (found.length === 0)
      throw missingColumn('EXCLUDE', name.parts.map((p) => p.text).join('.'), columns, name.position);
    for (const c of found) excluded.add(c);
  }
  const replaced = new Map<ScopeColumn, AstNode>();
  for (const r of modifiers.replace) {
    const found = matchingColumns(columns, {
      parts: [{ text: r.name, quoted: false }],
      position: r.position ?? { line: 1, column: 1 },
    });
    const kept = found.filter((c) => !excluded.has(c));
    if (kept.length === 0) throw missingColumn('REPLACE', r.name, columns, r.position);
    for (const c of kept) replaced.set(c, r.expr);
  }
  return columns
    .filter((c) => !excluded.has(c))
    .map((c): SelectItem => {
      const expr = replaced.get(c);
      return expr ? { kind: 'expr', node: expr, alias: c.name } : { kind: 'star', columns: [c] };
    });
}

/** Output names: an alias, a column's own name, else the expression as DuckDB prints it. */
export function selectNames(items: readonly SelectItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'star' ? item.columns.map((c) => c.name) : [item.alias ?? exprName(item.node)],
  );
}
