import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import { exprToString, type AggregateCall, type Expr, type Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { KeyTable } from '../hash/key-table.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';
import {
  aggregateStateTypes,
  createAccumulator,
  type Accumulator,
  type AggregateMode,
} from './hash-aggregate-accumulators.ts';
import { batchColumn } from './record-batch-column.ts';

const OUTPUT_BATCH_ROWS = 65536;

type ColumnFn = (batch: RecordBatch) => ColumnBuffers;

function aggregateName(call: AggregateCall): string {
  if (call.fn === 'count_star') return 'count(*)';
  return `${call.fn}(${call.distinct ? 'DISTINCT ' : ''}${call.arg ? exprToString(call.arg) : ''})`;
}

/**
 * The output schema of partial aggregation: the group keys, then each aggregate's state
 * columns (aggregateStateTypes); final aggregation reads exactly this layout.
 */
export function partialAggregateSchema(
  groupBy: readonly Expr[],
  aggregates: readonly AggregateCall[],
): Field[] {
  const keys = groupBy.map((g, i): Field => ({ name: `key${i}`, type: g.type, nullable: true }));
  const states = aggregates.flatMap((a, i) =>
    aggregateStateTypes(a).map((type, j): Field => ({ name: `agg${i}_${j}`, type, nullable: true })),
  );
  return [...keys, ...states];
}

/**
 * GROUP BY through a KeyTable of the evaluated key expressions and typed-array accumulators
 * indexed by group id. Modes: 'single' computes the aggregates; 'partial' emits keys and
 * accumulator states (partialAggregateSchema); 'final' reads that layout (keys are its first
 * groupBy.length columns) and merges states into the final values.
 */
export class HashAggregate implements PhysicalOperator {
  readonly name = 'HashAggregate';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly groupBy: readonly Expr[],
    readonly aggregates: readonly AggregateCall[],
    readonly schema: readonly Field[],
    readonly mode: AggregateMode = 'single',
  ) {
    this.children = [input];
  }

  describe(): string {
    const mode = this.mode === 'single' ? '' : ` mode=${this.mode}`;
    return `groupBy=[${this.groupBy.map(exprToString).join(', ')}] aggs=[${this.aggregates.map(aggregateName).join(', ')}]${mode}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const { keyFns, argFns } = this.compile();
    const table = this.groupBy.length > 0 ? new KeyTable(this.groupBy.map((g) => g.type)) : undefined;
    const accumulators: Accumulator[] = this.aggregates.map((a) => createAccumulator(a, this.mode));
    if (!table) for (const a of accumulators) a.resize(1);
    let ids = new Int32Array(0);
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      const n = batch.numRows;
      if (n === 0) continue;
      assertMemoryAvailable('HashAggregate');
      if (ids.length < n) ids = new Int32Array(Math.max(n, OUTPUT_BATCH_ROWS));
      if (table) {
        const keys = table.encode(
          keyFns.map((f) => f(batch)),
          n,
        );
        table.findOrInsert(keys, ids);
        for (const a of accumulators) a.resize(table.size);
      } else ids.fill(0, 0, n);
      // Shared arguments (sum(x), avg(x)) are evaluated once per batch.
      const evaluated = new Map<ColumnFn, ColumnBuffers>();
      const evaluate = (f: ColumnFn): ColumnBuffers => {
        let c = evaluated.get(f);
        if (!c) {
          c = f(batch);
          evaluated.set(f, c);
        }
        return c;
      };
      for (let a = 0; a < accumulators.length; a++)
        accumulators[a].update(ids, argFns[a].map(evaluate), null, n);
    }
    const groups = table ? table.size : 1;
    for (let start = 0; start < groups; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(groups, start + OUTPUT_BATCH_ROWS);
      const columns = [
        ...(table ? table.keyColumns(start, end) : []),
        ...accumulators.flatMap((a) => a.emit(start, end)),
      ];
      yield makeRecordBatch(this.schema, columns, end - start);
    }
  }

  private compile(): { keyFns: ColumnFn[]; argFns: ColumnFn[][] } {
    const inputSchema = this.input.schema;
    const byColumn = (index: number): ColumnFn => {
      const type = inputSchema[index].type;
      return (batch) => batchColumn(batch, index, type);
    };
    if (this.mode === 'final') {
      const keyFns = this.groupBy.map((_, i) => byColumn(i));
      let at = this.groupBy.length;
      const argFns = this.aggregates.map((a) => aggregateStateTypes(a).map(() => byColumn(at++)));
      return { keyFns, argFns };
    }
    const cache = new Map<string, ColumnFn>();
    const compiled = (expr: Expr): ColumnFn => {
      const key = exprToString(expr);
      let f = cache.get(key);
      if (!f) {
        if (expr.kind === 'column') f = byColumn(expr.index);
        else {
          const fn = compileExpression(expr, inputSchema);
          f = (batch) => fn(batch);
        }
        cache.set(key, f);
      }
      return f;
    };
    return {
      keyFns: this.groupBy.map(compiled),
      argFns: this.aggregates.map((a) => (a.arg ? [compiled(a.arg)] : [])),
    };
  }
}
