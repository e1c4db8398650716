import type { AstNode } from './sql-ast.ts';

/** Whether the AST holds a subquery (a SELECT inside an expression). */
export function containsSubquery(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(containsSubquery);
  const n = node as AstNode;
  if (n.ast !== undefined || n.type === 'select') return true;
  return Object.entries(n).some(([k, v]) => k !== 'loc' && containsSubquery(v));
}
