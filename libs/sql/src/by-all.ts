import { BindError, type SqlPosition } from '@tributary/common';
import { visitAstPostOrder, type AstNode, type AstOrderBy } from './sql-ast.ts';
import { isWord, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/** The node `GROUP BY ALL` leaves as its only key; bindGroupBy expands it. */
export const GROUP_BY_ALL = 'group_by_all';

/** The expression `ORDER BY ALL` leaves as its only key; bindOrderBy expands it. */
export const ORDER_BY_ALL = 'order_by_all';

/**
 * The grammar lacks DuckDB's `GROUP BY ALL` and `ORDER BY ALL`: their ALL becomes a name of
 * the same length that no other part of the statement uses, and `attach` turns that name
 * among GROUP BY keys into the node GROUP_BY_ALL, and among ORDER BY keys into the expression
 * ORDER_BY_ALL (keeping the key's direction and NULLS placement). The binders refuse either
 * beside other keys.
 */
export function markByAll(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; attach(ast: unknown): void } {
  const lower = text.toLowerCase();
  const marker = ['_g_', '_a_', '_b_', '_c_', '_d_', '_e_'].find((m) => !lower.includes(m));
  if (!marker) return { text, attach: () => undefined };
  let out = text;
  let found = false;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [clause, by, all] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (clause.kind !== 'word' || !['group', 'order'].includes(clause.text.toLowerCase())) continue;
    if (by.kind !== 'word' || by.text.toLowerCase() !== 'by') continue;
    if (all.kind !== 'word' || all.text.toLowerCase() !== 'all' || all.end - all.offset !== marker.length)
      continue;
    const next = tokens[i + 3];
    if (next?.kind === 'symbol' && (next.text === '(' || next.text === '.')) continue;
    out = overwrite(out, all.offset, all.end, marker);
    found = true;
  }
  if (!found) return { text, attach: () => undefined };
  const isMarker = (node: unknown): boolean => {
    const ref = node as
      { type?: unknown; table?: unknown; column?: { expr?: { value?: unknown } } } | undefined;
    return ref?.type === 'column_ref' && !ref.table && ref.column?.expr?.value === marker;
  };
  return {
    text: out,
    attach(ast) {
      const visit = (node: Record<string, unknown>): void => {
        if (node.type !== 'select') return;
        const groupby = node.groupby as { columns?: AstNode[] | null } | null | undefined;
        if (groupby?.columns)
          groupby.columns = groupby.columns.map((g) => (isMarker(g) ? { type: GROUP_BY_ALL } : g));
        const orderby = node.orderby as AstOrderBy[] | null | undefined;
        if (orderby)
          node.orderby = orderby.map((o) => (isMarker(o.expr) ? { ...o, expr: { type: ORDER_BY_ALL } } : o));
      };
      visitAstPostOrder(ast, visit);
    },
  };
}

/**
 * ORDER BY keys with ORDER BY ALL spelled out: one key per result column, left to right, each
 * in ALL's direction and NULLS placement (DuckDB's meaning). `position` places the error of an
 * ALL beside other keys.
 */
export function expandOrderByAll(
  orderBy: readonly AstOrderBy[],
  width: number,
  position: (node: AstNode) => SqlPosition | undefined,
): readonly AstOrderBy[] {
  const all = orderBy.find((o) => o.expr.type === ORDER_BY_ALL);
  if (!all) return orderBy;
  if (orderBy.length > 1)
    throw new BindError('INVALID_ORDER_BY', 'ORDER BY ALL cannot be combined with other keys', {
      position: position(all.expr),
    });
  return Array.from({ length: width }, (_, i) => ({ ...all, expr: { type: 'number', value: i + 1 } }));
}

/**
 * Where the ALL of the statement's last `ORDER BY ALL` is: a set operation's ORDER BY, which
 * comes last, has no location of its own in the grammar's tree to point an error at.
 */
export function lastOrderByAll(tokens: readonly SqlToken[]): SqlPosition | undefined {
  for (let i = tokens.length - 1; i >= 2; i--) {
    const [order, by, all] = [tokens[i - 2], tokens[i - 1], tokens[i]];
    if (isWord(order, 'order') && isWord(by, 'by') && isWord(all, 'all'))
      return { line: all.line, column: all.column };
  }
  return undefined;
}
