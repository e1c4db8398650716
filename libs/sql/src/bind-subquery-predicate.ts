import type { Expr, LogicalPlan } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import type { ExprBinder } from './bind-expr.ts';
import { subqueryWidth } from './bound-subquery.ts';
import { containsSubquery } from './contains-subquery.ts';
import { Correlation } from './correlation.ts';
import { argList, functionName, type AstNode, type AstSelect } from './sql-ast.ts';
import { bindLocated, checkInWidth } from './subquery-joiner.ts';
import { semiJoinExists, semiJoinIn } from './subquery-joins.ts';

/** A top-level WHERE conjunct that filters by a subquery: [NOT] EXISTS (…) or x IN (SELECT …). */
export type SubqueryPredicate =
  | { readonly kind: 'exists'; readonly node: AstNode; readonly ast: AstSelect; readonly negated: boolean }
  | {
      readonly kind: 'in';
      readonly node: AstNode;
      readonly left: AstNode;
      readonly ast: AstSelect;
      readonly negated: boolean;
    };

function subqueryOf(node: AstNode | undefined): AstSelect | undefined {
  return node?.ast;
}

function classify(node: AstNode): SubqueryPredicate | undefined {
  const op = String(node.operator ?? '')
    .toUpperCase()
    .replace(/\s+/g, '');
  if (node.type === 'function' && functionName(node).toLowerCase() === 'exists') {
    const ast = subqueryOf(argList(node)[0]);
    return ast ? { kind: 'exists', node, ast, negated: false } : undefined;
  }
  if (node.type === 'unary_expr' && op === 'NOTEXISTS') {
    const ast = subqueryOf(node.expr);
    return ast ? { kind: 'exists', node, ast, negated: true } : undefined;
  }
  // NOT (…) parses as a unary NOT, or as a function NOT when its operand is parenthesised.
  const negatedOperand =
    node.type === 'unary_expr' && op === 'NOT'
      ? node.expr
      : node.type === 'function' && functionName(node).toLowerCase() === 'not' && argList(node).length === 1
        ? argList(node)[0]
        : undefined;
  if (negatedOperand) {
    const inner = classify(negatedOperand);
    return inner ? { ...inner, node, negated: !inner.negated } : undefined;
  }
  if (
    node.type === 'binary_expr' &&
    (op === 'IN' || op === 'NOTIN') &&
    node.right?.type === 'expr_list' &&
    !containsSubquery(node.left)
  ) {
    const list = node.right.value as AstNode[];
    const ast = list.length === 1 ? subqueryOf(list[0]) : undefined;
    return ast ? { kind: 'in', node, left: node.left as AstNode, ast, negated: op === 'NOTIN' } : undefined;
  }
  return undefined;
}

/** Splits a WHERE into its subquery predicates and the remaining conjuncts (in order). */
export function splitSubqueryPredicates(where: AstNode): {
  subqueries: SubqueryPredicate[];
  rest: AstNode[];
} {
  const subqueries: SubqueryPredicate[] = [];
  const rest: AstNode[] = [];
  const visit = (node: AstNode): void => {
    if (node.type === 'binary_expr' && String(node.operator).toUpperCase() === 'AND') {
      visit(node.left as AstNode);
      visit(node.right as AstNode);
      return;
    }
    const predicate = classify(node);
    if (predicate) subqueries.push(predicate);
    else rest.push(node);
  };
  visit(where);
  return { subqueries, rest };
}

/**
 * Turns a subquery predicate into a semi (for NOT, anti) join of `input` with the
 * decorrelated subquery; NOT IN adds SQL's NULL rule. Undefined when a join cannot decide
 * it (an aggregate without GROUP BY yields a row even for no input): the caller binds the
 * predicate as an expression instead.
 */
export function bindSubqueryPredicate(
  ctx: BindContext,
  predicate: SubqueryPredicate,
  input: LogicalPlan,
  binder: ExprBinder,
  range: TextRange | undefined,
): LogicalPlan | undefined {
  const correlation = new Correlation(binder.outerResolver());
  const at = binder.position(predicate.kind === 'exists' ? predicate.node : predicate.left, range);
  const bound = bindLocated(
    ctx,
    predicate.ast,
    correlation,
    at,
    predicate.kind === 'exists' ? 'exists' : 'values',
  );
  const same = (e: Expr): Expr => e;
  if (predicate.kind === 'exists')
    return semiJoinExists(input, bound, correlation.refs, same, predicate.negated);
  const position = binder.position(predicate.node, range);
  const left = predicate.left;
  const valueNodes = left.type === 'expr_list' ? (left.value as AstNode[]) : [left];
  checkInWidth(valueNodes.length, subqueryWidth(bound), position);
  const values = valueNodes.map((v) => binder.bind(v, range));
  return semiJoinIn(input, values, bound, correlation.refs, same, predicate.negated, position);
}
