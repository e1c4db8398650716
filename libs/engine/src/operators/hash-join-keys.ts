import { sameType } from '@tributary/common';
import { conjunction, referencedColumns, remapColumns, splitConjunction, type Expr } from '@tributary/plan';

export interface EquiJoinKeys {
  /** Key expressions over the left input's columns. */
  readonly leftKeys: Expr[];
  /** Key expressions over the right input's columns (indices rebased to 0). */
  readonly rightKeys: Expr[];
  /** What remains of the condition, over left ++ right columns; null when nothing. */
  readonly residual: Expr | null;
}

function side(expr: Expr, leftCount: number): 'left' | 'right' | 'both' | 'none' {
  let left = false;
  let right = false;
  for (const i of referencedColumns(expr)) {
    if (i < leftCount) left = true;
    else right = true;
  }
  if (left && right) return 'both';
  return left ? 'left' : right ? 'right' : 'none';
}

/**
 * Splits a join condition into equi-key pairs (conjuncts `a = b` with a over the left input
 * and b over the right, or the reverse) and a residual predicate.
 */
export function extractEquiKeys(condition: Expr | null, leftCount: number): EquiJoinKeys {
  const leftKeys: Expr[] = [];
  const rightKeys: Expr[] = [];
  const residual: Expr[] = [];
  for (const conjunct of condition ? splitConjunction(condition) : []) {
    if (
      conjunct.kind === 'call' &&
      conjunct.fn === 'eq' &&
      conjunct.args.length === 2 &&
      sameType(conjunct.args[0].type, conjunct.args[1].type)
    ) {
      const [a, b] = conjunct.args;
      const sa = side(a, leftCount);
      const sb = side(b, leftCount);
      const pair =
        sa === 'left' && sb === 'right' ? [a, b] : sa === 'right' && sb === 'left' ? [b, a] : undefined;
      if (pair) {
        leftKeys.push(pair[0]);
        rightKeys.push(remapColumns(pair[1], (i) => i - leftCount));
        continue;
      }
    }
    residual.push(conjunct);
  }
  return { leftKeys, rightKeys, residual: conjunction(residual) ?? null };
}
