import { column, transformExpr, type Expr, type LogicalPlan, type ScanNode } from '@tributary/plan';

/**
 * A sqlite scan reached through projections and filters, with each output column of the
 * node it was reached from as an expression over the scan's input row, and the filters met
 * on the way (over that row too): what a rule needs to move the work above into the scan.
 */
export interface SqliteScanUnder {
  readonly scan: ScanNode;
  readonly outputs: readonly Expr[];
  readonly filters: readonly Expr[];
}

/** `expr` over a node's output, rewritten over the scan's input row. */
export function overScanInput(expr: Expr, outputs: readonly Expr[]): Expr {
  return transformExpr(expr, (e) => (e.kind === 'column' ? outputs[e.index] : e));
}

/**
 * The sqlite scan under `plan` that still yields plain rows (no pushed aggregate, order or
 * limit), through projections and (when `throughFilters`) filters, or undefined.
 */
export function sqliteScanUnder(plan: LogicalPlan, throughFilters: boolean): SqliteScanUnder | undefined {
  switch (plan.kind) {
    case 'scan': {
      if (plan.table.sourceType !== 'sqlite' || plan.limit !== null) return undefined;
      if (plan.pushed && (plan.pushed.aggregate || plan.pushed.orderBy.length > 0)) return undefined;
      const input = [plan.table, ...(plan.pushed?.joins ?? []).map((j) => j.table)].flatMap((t) => t.columns);
      return {
        scan: plan,
        outputs: plan.columns.map((c) => column(c, input[c].name, input[c].type)),
        filters: [],
      };
    }
    case 'project': {
      const under = sqliteScanUnder(plan.input, throughFilters);
      return under && { ...under, outputs: plan.exprs.map((e) => overScanInput(e, under.outputs)) };
    }
    case 'filter': {
      if (!throughFilters) return undefined;
      const under = sqliteScanUnder(plan.input, throughFilters);
      return under && { ...under, filters: [...under.filters, overScanInput(plan.predicate, under.outputs)] };
    }
    default:
      return undefined;
  }
}
