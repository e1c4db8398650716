import { matchNames } from './name-match.ts';
import type { Scope } from './scope.ts';
import type { SelectItem } from './select-items.ts';
import { bareName, type AstNode } from './sql-ast.ts';

/**
 * HAVING may name a select alias (`HAVING n > 5` for `COUNT(*) AS n`), as in DuckDB: each bare
 * column name that no input column has but an alias does becomes that select expression.
 * Subqueries are left alone; they have their own scopes.
 */
export function substituteAliases(node: AstNode, items: readonly SelectItem[], scope: Scope): AstNode {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const n = value as AstNode;
    if (n.type === 'select' || 'ast' in n) return n;
    const name = bareName(n);
    if (name) {
      if (matchNames(scope.columns, (c) => c.name, name.text, name.quoted).length > 0) return n;
      const wanted = name.quoted ? name.text : name.text.toLowerCase();
      const item = items.find(
        (i) =>
          i.kind === 'expr' && i.alias !== null && (name.quoted ? i.alias : i.alias.toLowerCase()) === wanted,
      );
      return item && item.kind === 'expr' ? item.node : n;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(n)) out[k] = k === 'loc' ? v : walk(v);
    return out;
  };
  return walk(node) as AstNode;
}
