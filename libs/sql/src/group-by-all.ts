import { visitAstPostOrder } from './sql-ast.ts';
import type { SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/** The node `GROUP BY ALL` leaves as its only key; bindGroupBy expands it. */
export const GROUP_BY_ALL = 'group_by_all';

/**
 * The grammar lacks DuckDB's `GROUP BY ALL`: its ALL becomes a name of the same length that
 * no other part of the statement uses, and `attach` turns a GROUP BY of just that name into
 * the node GROUP_BY_ALL.
 */
export function markGroupByAll(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; attach(ast: unknown): void } {
  const lower = text.toLowerCase();
  const marker = ['_g_', '_a_', '_b_', '_c_', '_d_', '_e_'].find((m) => !lower.includes(m));
  if (!marker) return { text, attach: () => undefined };
  let out = text;
  let found = false;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [group, by, all] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (group.kind !== 'word' || group.text.toLowerCase() !== 'group') continue;
    if (by.kind !== 'word' || by.text.toLowerCase() !== 'by') continue;
    if (all.kind !== 'word' || all.text.toLowerCase() !== 'all' || all.end - all.offset !== marker.length)
      continue;
    const next = tokens[i + 3];
    if (next?.kind === 'symbol' && (next.text === '(' || next.text === '.')) continue;
    out = overwrite(out, all.offset, all.end, marker);
    found = true;
  }
  if (!found) return { text, attach: () => undefined };
  return {
    text: out,
    attach(ast) {
      const visit = (node: Record<string, unknown>): void => {
        if (node.type !== 'select') return;
        const groupby = node.groupby as { columns?: unknown[] | null } | null | undefined;
        const only =
          groupby?.columns?.length === 1 ? (groupby.columns[0] as Record<string, unknown>) : undefined;
        const column =
          only?.type === 'column_ref' && !only.table
            ? (only.column as { expr?: { value?: unknown } })
            : undefined;
        if (column?.expr?.value === marker) node.groupby = { columns: [{ type: GROUP_BY_ALL }] };
      };
      visitAstPostOrder(ast, visit);
    },
  };
}
