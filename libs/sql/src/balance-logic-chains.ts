import type { AstLocation, AstNode } from './sql-ast.ts';

/** Chains with more operands than this are rebalanced; shorter ones keep the grammar's shape. */
export const MAX_CHAIN_OPERANDS = 64;

type MutableNode = { -readonly [K in keyof AstNode]: AstNode[K] };

function logicOperator(node: unknown): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const n = node as AstNode;
  if (n.type !== 'binary_expr') return undefined;
  const op = String(n.operator).toUpperCase();
  return op === 'AND' || op === 'OR' ? op : undefined;
}

/** The operands of the chain of `op` (AND or OR) rooted at `root`, left to right (iteratively). */
export function logicChainOperands(root: AstNode, op: string): AstNode[] {
  const operands: AstNode[] = [];
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AstNode;
    if (logicOperator(node) === op) {
      stack.push(node.right as AstNode, node.left as AstNode);
    } else operands.push(node);
  }
  return operands;
}

function span(a: AstNode, b: AstNode): AstLocation | undefined {
  return a.loc && b.loc ? { start: a.loc.start, end: b.loc.end } : undefined;
}

/** A balanced tree of `op` over operands[lo, hi), depth log2 of their number. */
function balanced(operands: readonly AstNode[], lo: number, hi: number, op: string): AstNode {
  if (hi - lo === 1) return operands[lo];
  const mid = (lo + hi) >>> 1;
  const left = balanced(operands, lo, mid, op);
  const right = balanced(operands, mid, hi, op);
  const loc = span(left, right);
  return { type: 'binary_expr', operator: op, left, right, ...(loc ? { loc } : {}) };
}

/**
 * node-sql-parser gives `a OR b OR c …` as a left-deep tree, one level per operand: 10,000
 * OR-ed terms would overflow every recursive walk over the AST. AND and OR are associative,
 * so long chains are rebuilt balanced in place (the binder flattens them into one n-ary call
 * anyway). Works iteratively, since it runs before the depth of the AST is known to be safe.
 */
export function balanceLogicChains(ast: unknown): void {
  const stack: unknown[] = [ast];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const v of value) if (typeof v === 'object' && v !== null) stack.push(v);
      continue;
    }
    const op = logicOperator(value);
    if (op) {
      const node = value as MutableNode;
      const operands = logicChainOperands(node, op);
      if (operands.length > MAX_CHAIN_OPERANDS) {
        const mid = operands.length >>> 1;
        node.left = balanced(operands, 0, mid, op);
        node.right = balanced(operands, mid, operands.length, op);
      }
      // Operands may hold chains of the other operator (or subqueries) in turn.
      for (const operand of operands) stack.push(operand);
      continue;
    }
    const node = value as Record<string, unknown>;
    for (const k in node) {
      const v = node[k];
      if (k !== 'loc' && typeof v === 'object' && v !== null) stack.push(v);
    }
  }
}
