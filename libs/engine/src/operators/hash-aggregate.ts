import { unlink } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { INTEGER, makeRecordBatch, ResourceError, type ColumnBuffers } from '@tributary/common';
import type { EnsuredGroups } from '@tributary/protocol';
import {
  aggregateCallExprs,
  exprToDisplayString,
  exprToString,
  type AggregateCall,
  type Expr,
  type Field,
} from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';
import {
  MemoryReservation,
  formatBytes,
  unboundedResources,
  type OperatorResources,
} from '../memory/memory-pool.ts';
import { LazySpillDirectory, spillFailed } from '../spill/spill-directory.ts';
import { readSpillFile, type SpillFile } from '../spill/spill-file.ts';
import { SpillPartitions, spillSeed } from '../spill/spill-partitions.ts';
import { AggregateGroups, type AggregateInputs, type ColumnFn } from './aggregate-groups.ts';
import {
  aggregateStateTypes,
  aggregatesMergeable,
  type AggregateMode,
} from './hash-aggregate-accumulators.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';

const STATE_CHUNK_ROWS = 65536;
/** Spill files a spilling aggregation splits its groups into, at each level. */
const SPILL_PARTITIONS = 16;
/** Levels of re-partitioning before giving up: 16^4 = 65536 partitions of the input's groups. */
const MAX_SPILL_LEVELS = 4;

function aggregateName(call: AggregateCall): string {
  if (call.fn === 'count_star') return 'count(*)';
  const order = call.orderBy?.length
    ? ` ORDER BY ${call.orderBy.map((k) => exprToDisplayString(k.expr)).join(', ')}`
    : '';
  return `${call.fn}(${call.distinct ? 'DISTINCT ' : ''}${call.arg ? exprToDisplayString(call.arg) : ''}${call.arg2 ? `, ${exprToDisplayString(call.arg2)}` : ''}${order})`;
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
 *
 * The groups' bytes are reserved from `resources.memory` after each batch. Past the budget:
 * 'partial' emits its groups' states and starts afresh (partial aggregation may flush any
 * time); 'final' and 'single' spill when every state merges (no DISTINCT) and a spill folder
 * is set: the groups are written as state rows to 16 files by a hash of their keys, later
 * groups likewise each time the budget is reached, and at the end each file is aggregated
 * alone in 'final' mode (a file still too big is split again with another hash seed).
 * Otherwise the query fails with QUERY_MEMORY_EXCEEDED naming the limit.
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
    readonly resources: OperatorResources = unboundedResources(),
    readonly ensuredGroups?: EnsuredGroups,
  ) {
    this.children = [input];
  }

  describe(): string {
    const mode = this.mode === 'single' ? '' : ` mode=${this.mode}`;
    const ensured =
      this.ensuredGroups && this.mode !== 'final' ? ` emptySets=[${this.ensuredGroups.ids.join(', ')}]` : '';
    return `groupBy=[${this.groupBy.map(exprToDisplayString).join(', ')}] aggs=[${this.aggregates.map(aggregateName).join(', ')}]${mode}${ensured}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const reservation = new MemoryReservation(this.resources.memory, this.name);
    const spillDir = this.resources.spillDir;
    const canSpill =
      this.mode !== 'partial' &&
      this.groupBy.length > 0 &&
      aggregatesMergeable(this.aggregates) &&
      spillDir !== undefined;
    const spill = canSpill ? new LazySpillDirectory(spillDir!, this.name) : undefined;
    try {
      const input = this.input.execute(signal);
      if (this.mode === 'partial') yield* this.partial(input, reservation, signal);
      else yield* this.aggregate(input, this.mode, 0, reservation, spill, signal);
    } finally {
      reservation.free();
      await spill?.remove();
    }
  }

  /** Partial aggregation: when the budget is reached, the groups so far go downstream. */
  private async *partial(
    input: AsyncIterable<RecordBatch>,
    reservation: MemoryReservation,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    const inputs = this.compile('partial', this.input.schema);
    let groups = this.newGroups('partial');
    for await (const batch of input) {
      signal.throwIfAborted();
      if (batch.numRows === 0) continue;
      assertMemoryAvailable(this.name);
      groups.add(batch, inputs);
      if (reservation.tryResize(groups.memoryBytes())) continue;
      yield* groups.emit(this.schema);
      groups = this.newGroups('partial');
      reservation.resize(groups.memoryBytes());
    }
    this.ensureGroups(groups, inputs);
    yield* groups.emit(this.schema);
  }

  /** Adds the ensured groups (see EnsuredGroups) to groups over this operator's input rows. */
  private ensureGroups(groups: AggregateGroups, inputs: AggregateInputs): void {
    const ensured = this.ensuredGroups;
    if (!ensured || this.mode === 'final') return;
    const n = ensured.ids.length;
    const columns = this.input.schema.map((f, i): ColumnBuffers =>
      i === ensured.idColumn
        ? { type: INTEGER, length: n, values: Int32Array.from(ensured.ids) }
        : nullColumn(f.type, n),
    );
    groups.ensure(makeRecordBatch(this.input.schema, columns, n), inputs);
  }

  /**
   * Aggregates `input` (rows in 'single' mode, states in 'final') and yields the results. When
   * the budget is reached and it may spill, the groups are written to hash partitions and the
   * pass goes on with empty groups; at the end each partition is aggregated by the same
   * function one level down, in 'final' mode, with the next level's hash seed.
   */
  private async *aggregate(
    input: AsyncIterable<RecordBatch>,
    mode: 'single' | 'final',
    level: number,
    reservation: MemoryReservation,
    spill: LazySpillDirectory | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    const inputs = this.compile(mode, level === 0 ? this.input.schema : this.stateSchema());
    let groups: AggregateGroups | undefined = this.newGroups(mode);
    let partitions: SpillPartitions | undefined;
    try {
      for await (const batch of input) {
        signal.throwIfAborted();
        if (batch.numRows === 0) continue;
        assertMemoryAvailable(this.name);
        groups.add(batch, inputs);
        const bytes = groups.memoryBytes();
        if (reservation.tryResize(bytes)) continue;
        if (!spill) throw reservation.exceeded(bytes - reservation.size);
        if (level >= MAX_SPILL_LEVELS) throw this.cannotSplit(bytes, reservation);
        partitions ??= new SpillPartitions(
          await spill.get(),
          this.stateSchema(),
          SPILL_PARTITIONS,
          spillSeed(level),
          this.name,
        );
        await this.writeGroups(groups, partitions);
        groups = this.newGroups(mode);
        reservation.resize(groups.memoryBytes());
      }
      if (level === 0) this.ensureGroups(groups, inputs);
      if (!partitions) {
        yield* groups.emit(this.schema);
        return;
      }
      await this.writeGroups(groups, partitions);
      groups = undefined;
      reservation.resize(0);
      const files = await partitions.close();
      partitions = undefined;
      for (const file of files) {
        if (file.rows === 0) continue;
        yield* this.aggregate(
          readSpillFile(file, signal, this.name),
          'final',
          level + 1,
          reservation,
          spill,
          signal,
        );
        await removeFile(file, this.name);
      }
    } finally {
      await partitions?.abandon();
    }
  }

  /** Writes every group's keys and states to the partitions of its key hash. */
  private async writeGroups(groups: AggregateGroups, partitions: SpillPartitions): Promise<void> {
    const hashes = groups.keyHashes();
    for (let start = 0; start < groups.size; start += STATE_CHUNK_ROWS) {
      const end = Math.min(groups.size, start + STATE_CHUNK_ROWS);
      await partitions.write(groups.stateColumns(start, end), end - start, hashes.subarray(start, end));
    }
  }

  private cannotSplit(bytes: number, reservation: MemoryReservation): ResourceError {
    const error = reservation.exceeded(bytes - reservation.size);
    return new ResourceError(
      'QUERY_MEMORY_EXCEEDED',
      `${error.message} (its groups were split ${SPILL_PARTITIONS ** MAX_SPILL_LEVELS} ways on disk and ` +
        `one part still needs ${formatBytes(bytes)})`,
      { details: error.details },
    );
  }

  private newGroups(mode: AggregateMode): AggregateGroups {
    return new AggregateGroups(
      this.groupBy.map((g) => g.type),
      this.aggregates,
      mode,
    );
  }

  /** partialAggregateSchema: what 'partial' emits and 'final' (and the spill files) hold. */
  private stateSchema(): Field[] {
    return partialAggregateSchema(this.groupBy, this.aggregates);
  }

  private compile(mode: AggregateMode, inputSchema: readonly Field[]): AggregateInputs {
    const byColumn = (index: number): ColumnFn => {
      const type = inputSchema[index].type;
      return (batch) => batchColumn(batch, index, type);
    };
    if (mode === 'final') {
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
      argFns: this.aggregates.map((a) => aggregateCallExprs(a).map(compiled)),
    };
  }
}

async function removeFile(file: SpillFile, operator: string): Promise<void> {
  try {
    await unlink(file.path);
  } catch (error) {
    throw spillFailed(operator, error);
  }
}
