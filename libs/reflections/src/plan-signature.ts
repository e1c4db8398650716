import type { Expr, LogicalPlan, ProjectNode } from '@tributary/plan';
import { planInputs } from '@tributary/plan';

/**
 * A project that passes its input through unchanged (column i as column i, all of them):
 * what binding puts over a table read as `SELECT *` and around a view under its own column
 * names. It changes nothing but names, so matching looks through it.
 */
export function isIdentityProject(plan: LogicalPlan): plan is ProjectNode {
  return (
    plan.kind === 'project' &&
    plan.exprs.length === plan.input.schema.length &&
    plan.exprs.every((e, i) => e.kind === 'column' && e.index === i)
  );
}

/** The plan under any identity projects at its top. */
export function stripIdentityProjects(plan: LogicalPlan): LogicalPlan {
  let current = plan;
  while (isIdentityProject(current)) current = current.input;
  return current;
}

const signatures = new WeakMap<LogicalPlan, string>();

/** Display names and aliases say nothing of what a plan computes: dropped from signatures. */
function exprKey(expr: Expr): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === 'name' ? undefined : value));
}

/**
 * What a plan computes, as text: equal signatures mean equal results. Expressions are
 * index-based, so a view's bound subtree has the same signature wherever the view is
 * expanded; names, aliases and qualifiers are left out, and identity projects are looked
 * through at every level. A table is named by its source and table (case-insensitively, as
 * the catalog names them); its location is the same for both sides of one planning.
 */
export function planSignature(plan: LogicalPlan): string {
  const node = stripIdentityProjects(plan);
  const known = signatures.get(node);
  if (known !== undefined) return known;
  const inputs = planInputs(node).map(planSignature);
  const own = ((): unknown => {
    switch (node.kind) {
      case 'scan':
        return {
          table: [node.table.source.toLowerCase(), node.table.table.toLowerCase()],
          columns: node.columns,
          filters: node.filters.map(exprKey),
          limit: node.limit,
          pushed: node.pushed ?? null,
        };
      case 'filter':
        return exprKey(node.predicate);
      case 'project':
        return node.exprs.map(exprKey);
      case 'aggregate':
        return [node.groupBy.map(exprKey), exprKey(node.aggregates as unknown as Expr)];
      case 'join':
        return [node.joinType, node.condition ? exprKey(node.condition) : null];
      case 'sort':
        return exprKey(node.keys as unknown as Expr);
      case 'limit':
        return [node.limit, node.offset];
      case 'values':
        return [exprKey(node.rows as unknown as Expr), node.schema.map((f) => f.type)];
      case 'window':
        return exprKey([node.partitionBy, node.orderBy, node.calls] as unknown as Expr);
      case 'union':
        return node.schema.map((f) => f.type);
      case 'expand':
        return [exprKey(node.keys as unknown as Expr), node.sets];
      case 'replicate':
      case 'unnest':
        return null;
    }
  })();
  const signature = JSON.stringify([node.kind, own, inputs]);
  signatures.set(node, signature);
  return signature;
}
