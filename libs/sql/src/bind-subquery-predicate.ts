import { BIGINT, BindError, BOOLEAN, typeToString } from '@tributary/common';
import { aggregate, call, column, join, literal, type Expr, type LogicalPlan } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindFrom, type SubqueryBinder } from './bind-from.ts';
import { unifyComparison } from './coerce.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { Scope } from './scope.ts';
import { argList, functionName, type AstNode, type AstSelect } from './sql-ast.ts';

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
  if (node.type === 'binary_expr' && (op === 'IN' || op === 'NOTIN') && node.right?.type === 'expr_list') {
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
 * Turns a subquery predicate into a semi (or, for NOT EXISTS, anti) join of `input` with the
 * subquery. EXISTS may be correlated: its WHERE becomes the join condition, seeing the outer
 * columns. IN (SELECT …) must be uncorrelated and joins on equality with its one column;
 * NOT IN adds SQL's NULL rule (see notInNulls).
 */
export function bindSubqueryPredicate(
  ctx: BindContext,
  predicate: SubqueryPredicate,
  input: LogicalPlan,
  scope: Scope,
  bindSubquery: SubqueryBinder,
  range: TextRange | undefined,
): LogicalPlan {
  const outer = new ExprBinder(ctx, scope, 'WHERE', range);
  const sub = predicate.ast;
  if (predicate.kind === 'in') {
    let plan: LogicalPlan;
    try {
      plan = bindSubquery(sub);
    } catch (error) {
      // A name of the outer query used inside IN (SELECT …): correlated, which needs decorrelation.
      const missing =
        error instanceof BindError && error.code === 'COLUMN_NOT_FOUND'
          ? String(error.details?.column ?? '')
          : '';
      if (missing && scope.columns.some((c) => c.name.toLowerCase() === missing.toLowerCase())) {
        throw new BindError('UNSUPPORTED_FEATURE', 'correlated IN subqueries are not supported yet', {
          position:
            error instanceof BindError && error.line !== undefined
              ? { line: error.line, column: error.column ?? 1 }
              : undefined,
          details: { feature: 'correlated IN subqueries' },
          cause: error,
        });
      }
      throw error;
    }
    const position = outer.position(predicate.node, range);
    if (plan.schema.length !== 1) {
      throw new BindError(
        'TYPE_MISMATCH',
        `subquery in IN must return one column, not ${plan.schema.length}`,
        { position },
      );
    }
    const value = outer.bind(predicate.left, range);
    const field = plan.schema[0];
    const right = column(input.schema.length, field.name, field.type);
    const [l, r] = unifyComparison(value, right, position);
    if (l.type.kind === 'NULL')
      throw new BindError('TYPE_MISMATCH', `cannot compare NULL with ${typeToString(field.type)}`, {
        position,
      });
    if (!predicate.negated) return join('semi', input, plan, call('eq', [l, r], BOOLEAN));
    return notInNulls(join('anti', input, plan, call('eq', [l, r], BOOLEAN)), plan, l);
  }
  const simple =
    !sub.groupby &&
    !sub.having &&
    !sub.limit?.value?.length &&
    !sub.with &&
    !sub._next &&
    !sub.set_operation &&
    typeof sub.columns !== 'string' &&
    !sub.columns.some((c) => containsAggregate(c.expr));
  if (!simple || !sub.from || sub.from.length === 0) {
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      'EXISTS subqueries with GROUP BY, HAVING, LIMIT, aggregates or without FROM are not supported yet',
      {
        position: outer.position(predicate.node, range),
        details: { feature: 'complex EXISTS subqueries' },
      },
    );
  }
  const inner = bindFrom(ctx, sub.from, bindSubquery, undefined);
  const combined = new Scope(inner.scope.shifted(input.schema.length), scope);
  const condition = sub.where
    ? new ExprBinder(ctx, combined, 'WHERE', undefined).bindCondition(sub.where)
    : literal(true, BOOLEAN);
  return join(predicate.negated ? 'anti' : 'semi', input, inner.plan, condition);
}

/**
 * `x NOT IN (S)` is NULL, so filters the row out, when S is not empty and either x is NULL or S
 * holds a NULL; the equality anti join alone would keep such rows. One row of counts over S,
 * (rows, non-NULL values), lets a second anti join drop them without comparing row by row.
 */
function notInNulls(kept: LogicalPlan, sub: LogicalPlan, value: Expr): LogicalPlan {
  const field = sub.schema[0];
  const counts = aggregate(
    sub,
    [],
    [
      { fn: 'count_star', arg: null, distinct: false, type: BIGINT },
      { fn: 'count', arg: column(0, field.name, field.type), distinct: false, type: BIGINT },
    ],
    ['n', 'n_values'],
  );
  const width = kept.schema.length;
  const rows = column(width, 'n', BIGINT);
  const values = column(width + 1, 'n_values', BIGINT);
  const condition = call(
    'and',
    [
      call('gt', [rows, literal(0, BIGINT)], BOOLEAN),
      call(
        'or',
        [
          call('lt', [values, rows], BOOLEAN),
          { kind: 'is-null', expr: value, negated: false, type: BOOLEAN },
        ],
        BOOLEAN,
      ),
    ],
    BOOLEAN,
  );
  return join('anti', kept, counts, condition);
}
