import type { AstNode } from './sql-ast.ts';
import { walkAst, type MutableAstNode } from './walk-ast.ts';

type MutableNode = MutableAstNode;

function isNotCall(node: unknown): node is MutableNode {
  if (typeof node !== 'object' || node === null) return false;
  const n = node as { type?: unknown; name?: { name?: { value?: unknown }[] }; args?: { value?: unknown[] } };
  const parts = n.name?.name;
  return (
    n.type === 'function' &&
    !(n as { parentheses?: unknown }).parentheses &&
    Array.isArray(parts) &&
    parts.length === 1 &&
    String(parts[0].value).toUpperCase() === 'NOT' &&
    Array.isArray(n.args?.value) &&
    n.args.value.length === 1
  );
}

function isNonLogicBinary(node: unknown): node is MutableNode {
  if (typeof node !== 'object' || node === null) return false;
  const n = node as AstNode;
  if (n.type !== 'binary_expr') return false;
  const op = String(n.operator).toUpperCase();
  return op !== 'AND' && op !== 'OR';
}

/**
 * node-sql-parser reads `NOT (x) op y` as `(NOT(x)) op y`: a parenthesised operand after NOT
 * becomes a call of a function named NOT, which then binds tighter than the operator. In SQL
 * NOT binds looser than every comparison and arithmetic operator (DuckDB, PostgreSQL), so
 * `NOT (- a) != 3` is `NOT ((- a) != 3)`. Such a NOT, found as the leftmost operand of a
 * chain of non-logical binary operators, moves up to the top of the chain, in place.
 */
export function hoistNotOverOperators(ast: unknown): void {
  walkAst(ast, (node) => {
    if (!isNonLogicBinary(node)) return;
    // A parenthesised operand is a chain of its own, handled when the walk reaches it.
    let parent = node;
    while (isNonLogicBinary(parent.left) && !parent.left.parentheses) parent = parent.left;
    if (isNotCall(parent.left)) {
      const operand = (parent.left as { args: { value: MutableNode[] } }).args.value[0];
      // It was written in parentheses: `NOT (NOT (a)) = b` hoists the outer NOT only.
      parent.left =
        typeof operand === 'object' && operand !== null ? { ...operand, parentheses: true } : operand;
      const inner: MutableNode = { ...node, parentheses: undefined };
      for (const key of Object.keys(node)) if (key !== 'loc' && key !== 'parentheses') delete node[key];
      Object.assign(node, { type: 'unary_expr', operator: 'NOT', expr: inner });
    }
  });
}
