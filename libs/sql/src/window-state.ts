import {
  exprToString,
  frameToString,
  remapColumns,
  window,
  type Expr,
  type LogicalPlan,
  type SortKey,
  type WindowCall,
} from '@tributary/plan';

/**
 * Window calls are bound before the plan under them is complete (an Aggregate learns its
 * last aggregate only when every clause is bound), so a call is first referred to by a
 * placeholder column index at or above this, and `resolve` maps placeholders to the
 * Window nodes' real output columns at the end.
 */
export const WINDOW_PLACEHOLDER_BASE = 1 << 30;

/** One bound window call with the partitioning and order it is computed under. */
export interface BoundWindowCall {
  readonly call: WindowCall;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly name: string;
}

function specKey(partitionBy: readonly Expr[], orderBy: readonly SortKey[]): string {
  const keys = orderBy.map((k) => `${exprToString(k.expr)} ${k.ascending} ${k.nullsFirst}`);
  return `${partitionBy.map(exprToString).join(',')}|${keys.join(',')}`;
}

/** The window calls of one SELECT, collected while its SELECT list and ORDER BY are bound. */
export class WindowState {
  readonly calls: BoundWindowCall[] = [];
  private readonly callStrings: string[] = [];

  /** The placeholder column of a call, reusing an identical one. */
  add(bound: BoundWindowCall): number {
    const c = bound.call;
    const text = `${specKey(bound.partitionBy, bound.orderBy)}|${c.fn}(${c.args.map(exprToString).join(',')}) ${frameToString(c.frame)}`;
    let i = this.callStrings.indexOf(text);
    if (i < 0) {
      i = this.calls.length;
      this.calls.push(bound);
      this.callStrings.push(text);
    }
    return WINDOW_PLACEHOLDER_BASE + i;
  }

  /**
   * One Window node per distinct PARTITION BY/ORDER BY, stacked over `input` in the order
   * first used; returns the plan and a function that rewrites placeholders in expressions
   * bound over `input` into references to the stacked nodes' output.
   */
  plan(input: LogicalPlan): { plan: LogicalPlan; resolve: (e: Expr) => Expr } {
    const groups = new Map<string, number[]>();
    this.calls.forEach((c, i) => {
      const key = specKey(c.partitionBy, c.orderBy);
      const list = groups.get(key) ?? [];
      list.push(i);
      groups.set(key, list);
    });
    const columnOf = new Array<number>(this.calls.length);
    let plan = input;
    for (const members of groups.values()) {
      const first = this.calls[members[0]];
      const width = plan.schema.length;
      members.forEach((m, k) => (columnOf[m] = width + k));
      plan = window(
        plan,
        first.partitionBy,
        first.orderBy,
        members.map((m) => this.calls[m].call),
        members.map((m) => this.calls[m].name),
      );
    }
    const resolve = (e: Expr): Expr =>
      remapColumns(e, (i) => (i >= WINDOW_PLACEHOLDER_BASE ? columnOf[i - WINDOW_PLACEHOLDER_BASE] : i));
    return { plan, resolve };
  }
}
