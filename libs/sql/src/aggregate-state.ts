import type { AstNode } from './sql-ast.ts';
import { exprToString, type AggregateCall, type Expr } from '@tributary/plan';

/** Group keys and aggregate calls collected while binding the clauses above an Aggregate. */
export class AggregateState {
  readonly keys: Expr[] = [];
  readonly keyNames: string[] = [];
  private readonly keyStrings: string[] = [];
  readonly aggregates: AggregateCall[] = [];
  readonly aggregateNames: string[] = [];
  private readonly aggregateStrings: string[] = [];
  /**
   * GROUPING SETS (indices into `keys`), or undefined for one plain grouping. With sets, the
   * last key is the set's index (`groupingIdKey`), which no expression of the query matches.
   */
  groupingSets: readonly (readonly number[])[] | undefined;
  groupingIdKey = -1;
  /** Select-list aliases (lower-cased) and their expressions: GROUPING() may name them. */
  readonly selectAliases = new Map<string, AstNode>();

  /** Appends the grouping-set index as the last key (see groupingSets). */
  setGroupingSets(sets: readonly (readonly number[])[], id: Expr, name: string): void {
    this.groupingSets = sets;
    this.groupingIdKey = this.keys.length;
    this.keys.push(id);
    this.keyNames.push(name);
    this.keyStrings.push(`\u0000grouping id`);
  }

  addKey(expr: Expr, name: string): void {
    const text = exprToString(expr);
    if (this.keyStrings.includes(text)) return;
    this.keys.push(expr);
    this.keyNames.push(name);
    this.keyStrings.push(text);
  }

  keyIndex(expr: Expr): number {
    return this.keyStrings.indexOf(exprToString(expr));
  }

  /** The output index of an aggregate call, reusing an identical one. */
  addAggregate(call: AggregateCall, name: string): number {
    const order = (call.orderBy ?? []).map((k) => `${exprToString(k.expr)} ${k.ascending} ${k.nullsFirst}`);
    const args = [call.arg, call.arg2].map((a) => (a ? exprToString(a) : ''));
    const text = `${call.fn}|${call.distinct}|${args.join('|')}|${JSON.stringify(call.param)}|${order.join(',')}`;
    let i = this.aggregateStrings.indexOf(text);
    if (i < 0) {
      i = this.aggregates.length;
      this.aggregates.push(call);
      this.aggregateNames.push(name);
      this.aggregateStrings.push(text);
    }
    return this.keys.length + i;
  }

  get names(): string[] {
    return [...this.keyNames, ...this.aggregateNames];
  }
}
