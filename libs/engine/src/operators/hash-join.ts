import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import { exprToString, type Expr, type Field, type JoinType } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { compilePredicate } from '../expression/compile-predicate.ts';
import { KeyTable } from '../hash/key-table.ts';
import { concatColumns } from '../kernels/concat.ts';
import { take } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { columnsBytes } from '../memory/column-bytes.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';
import { MemoryReservation, unboundedResources, type OperatorResources } from '../memory/memory-pool.ts';
import { extractEquiKeys } from './hash-join-keys.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';

const CHUNK = 65536;

/** The collected right input: its columns concatenated, and the key table's row chains. */
interface BuildSide {
  readonly rows: number;
  readonly columns: ColumnBuffers[];
  readonly table?: KeyTable;
  /** First build row of each key id, then `next` links rows of one key in input order. */
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly matched?: Uint8Array;
}

/** Where pair generation stopped within a probe batch, so chunks can resume. */
interface PairCursor {
  row: number;
  /** Next build row to pair with `row`; -2 when `row` has not been started. */
  build: number;
}

function columnsOf(batch: RecordBatch, fields: readonly Field[]): ColumnBuffers[] {
  return fields.map((f, i) => batchColumn(batch, i, f.type));
}

/**
 * Joins by building a KeyTable over the right input's equi-keys (collected fully: the planner
 * puts the smaller side there) and probing it with left batches as they stream. Pairs are
 * produced in chunks of 64K; a residual predicate is evaluated over each chunk's gathered
 * columns. NULL keys never match. Without equi-keys every pair is a candidate (nested loops
 * in chunks), which covers cross joins and joins on inequalities alone.
 *
 * The build side's columns and key table are reserved from `resources.memory` as they are
 * collected; past the budget the join fails with QUERY_MEMORY_EXCEEDED naming the limit
 * (it does not spill).
 */
export class HashJoin implements PhysicalOperator {
  readonly name = 'HashJoin';
  readonly children: readonly PhysicalOperator[];
  private readonly leftKeys: Expr[];
  private readonly rightKeys: Expr[];
  private readonly residual: Expr | null;

  constructor(
    readonly left: PhysicalOperator,
    readonly right: PhysicalOperator,
    readonly joinType: JoinType,
    readonly condition: Expr | null,
    readonly schema: readonly Field[],
    readonly resources: OperatorResources = unboundedResources(),
  ) {
    this.children = [left, right];
    const keys = extractEquiKeys(condition, left.schema.length);
    this.leftKeys = keys.leftKeys;
    this.rightKeys = keys.rightKeys;
    this.residual = keys.residual;
  }

  describe(): string {
    const keys = this.leftKeys
      .map((k, i) => `${exprToString(k)} = ${exprToString(this.rightKeys[i])}`)
      .join(', ');
    const residual = this.residual ? ` residual=${exprToString(this.residual)}` : '';
    return `${this.joinType} keys=[${keys}]${residual}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const reservation = new MemoryReservation(this.resources.memory, 'HashJoin build');
    try {
      yield* this.join(signal, reservation);
    } finally {
      reservation.free();
    }
  }

  private async *join(signal: AbortSignal, reservation: MemoryReservation): AsyncGenerator<RecordBatch> {
    const build = await this.build(signal, reservation);
    const type = this.joinType;
    // With nothing to match, these join types yield nothing: skip reading the probe side.
    if (build.rows === 0 && (type === 'inner' || type === 'semi' || type === 'cross' || type === 'right'))
      return;
    const leftFields = this.left.schema;
    const rightFields = this.right.schema;
    const pairFields = [...leftFields, ...rightFields];
    const leftKeyFns = this.leftKeys.map((k) => compileExpression(k, leftFields));
    const residual = this.residual ? compilePredicate(this.residual, pairFields) : undefined;
    const keepPairs =
      type === 'inner' || type === 'left' || type === 'right' || type === 'full' || type === 'cross';
    const trackProbe = type === 'left' || type === 'full' || type === 'semi' || type === 'anti';
    const probeIndex = new Uint32Array(CHUNK);
    const buildIndex = new Uint32Array(CHUNK);
    let probeIds = new Int32Array(0);
    let probeMatched = new Uint8Array(0);

    for await (const batch of this.left.execute(signal)) {
      signal.throwIfAborted();
      const n = batch.numRows;
      if (n === 0) continue;
      const leftColumns = columnsOf(batch, leftFields);
      if (probeIds.length < n) {
        probeIds = new Int32Array(n);
        probeMatched = new Uint8Array(n);
      }
      probeMatched.fill(0, 0, n);
      const keyed = build.table !== undefined;
      if (build.table)
        build.table.find(
          build.table.encode(
            leftKeyFns.map((f) => f(batch)),
            n,
          ),
          probeIds,
        );

      if (!keepPairs && !residual) {
        // Semi and anti joins without a residual need only whether a key matched.
        for (let i = 0; i < n; i++)
          probeMatched[i] = (keyed ? probeIds[i] >= 0 && build.head[probeIds[i]] >= 0 : build.rows > 0)
            ? 1
            : 0;
      } else {
        const cursor: PairCursor = { row: 0, build: -2 };
        for (;;) {
          const m = keyed
            ? fillKeyedPairs(cursor, n, probeIds, build.head, build.next, probeIndex, buildIndex)
            : fillAllPairs(cursor, n, build.rows, probeIndex, buildIndex);
          if (m === 0) break;
          let columns: ColumnBuffers[] | undefined;
          let count = m;
          if (residual) {
            const gathered = [
              ...leftColumns.map((c) => take(c, probeIndex, m)),
              ...build.columns.map((c) => take(c, buildIndex, m)),
            ];
            const passed = residual(makeRecordBatch(pairFields, gathered, m));
            count = passed.count;
            const selection = passed.selection;
            for (let k = 0; k < count; k++) {
              probeIndex[k] = probeIndex[selection[k]];
              buildIndex[k] = buildIndex[selection[k]];
            }
            if (keepPairs && count > 0) columns = gathered.map((c) => take(c, selection, count));
          }
          if (trackProbe) for (let k = 0; k < count; k++) probeMatched[probeIndex[k]] = 1;
          if (build.matched) for (let k = 0; k < count; k++) build.matched[buildIndex[k]] = 1;
          if (keepPairs && count > 0) {
            columns ??= [
              ...leftColumns.map((c) => take(c, probeIndex, count)),
              ...build.columns.map((c) => take(c, buildIndex, count)),
            ];
            yield makeRecordBatch(this.schema, columns, count);
          }
          if (m < CHUNK) break;
        }
      }

      if (type === 'left' || type === 'full' || type === 'semi' || type === 'anti') {
        const want = type === 'semi' ? 1 : 0;
        const rows = new Uint32Array(n);
        let count = 0;
        for (let i = 0; i < n; i++) if (probeMatched[i] === want) rows[count++] = i;
        if (count === 0) continue;
        const columns = leftColumns.map((c) => take(c, rows, count));
        if (type === 'left' || type === 'full')
          for (const f of rightFields) columns.push(nullColumn(f.type, count));
        yield makeRecordBatch(this.schema, columns, count);
      }
    }

    if (build.matched) {
      const rows = new Uint32Array(CHUNK);
      let count = 0;
      for (let r = 0; r <= build.rows; r++) {
        if (r < build.rows && build.matched[r] === 0) rows[count++] = r;
        if (count === CHUNK || (r === build.rows && count > 0)) {
          const columns = [
            ...leftFields.map((f) => nullColumn(f.type, count)),
            ...build.columns.map((c) => take(c, rows, count)),
          ];
          yield makeRecordBatch(this.schema, columns, count);
          count = 0;
        }
      }
    }
  }

  private async build(signal: AbortSignal, reservation: MemoryReservation): Promise<BuildSide> {
    const fields = this.right.schema;
    const parts: ColumnBuffers[][] = fields.map(() => []);
    let rows = 0;
    for await (const batch of this.right.execute(signal)) {
      signal.throwIfAborted();
      if (batch.numRows === 0) continue;
      assertMemoryAvailable('HashJoin build');
      const columns = fields.map((f, i) => batchColumn(batch, i, f.type));
      reservation.grow(columnsBytes(columns));
      columns.forEach((c, i) => parts[i].push(c));
      rows += batch.numRows;
    }
    // Concatenating copies the collected batches once: both exist until the parts are dropped.
    const collected = reservation.size;
    reservation.grow(collected);
    const columns = fields.map((f, i) =>
      parts[i].length === 0 ? nullColumn(f.type, 0) : concatColumns(parts[i]),
    );
    parts.length = 0;
    reservation.shrink(collected);
    const matched = this.joinType === 'right' || this.joinType === 'full' ? new Uint8Array(rows) : undefined;
    reservation.grow(matched?.byteLength ?? 0);
    if (this.rightKeys.length === 0)
      return { rows, columns, head: new Int32Array(0), next: new Int32Array(0), matched };
    const whole = makeRecordBatch(fields, columns, rows);
    const keyColumns = this.rightKeys.map((k) => compileExpression(k, fields)(whole));
    reservation.grow(columnsBytes(keyColumns));
    const table = new KeyTable(this.rightKeys.map((k) => k.type));
    const ids = new Int32Array(rows);
    table.findOrInsert(table.encode(keyColumns, rows), ids, true);
    const head = new Int32Array(table.size).fill(-1);
    const next = new Int32Array(rows);
    reservation.grow(table.memoryBytes() + ids.byteLength + head.byteLength + next.byteLength);
    // Walk backwards so each key's chain lists its rows in input order.
    for (let r = rows - 1; r >= 0; r--) {
      const id = ids[r];
      if (id < 0) continue;
      next[r] = head[id];
      head[id] = r;
    }
    return { rows, columns, table, head, next, matched };
  }
}

/** Fills up to CHUNK (probe row, build row) pairs of matching keys; returns how many. */
function fillKeyedPairs(
  cursor: PairCursor,
  n: number,
  probeIds: Int32Array,
  head: Int32Array,
  next: Int32Array,
  probeIndex: Uint32Array,
  buildIndex: Uint32Array,
): number {
  let m = 0;
  let row = cursor.row;
  let b = cursor.build;
  while (row < n) {
    if (b === -2) {
      const id = probeIds[row];
      b = id < 0 ? -1 : head[id];
    }
    while (b >= 0 && m < CHUNK) {
      probeIndex[m] = row;
      buildIndex[m] = b;
      m++;
      b = next[b];
    }
    if (m === CHUNK) break;
    row++;
    b = -2;
  }
  cursor.row = row;
  cursor.build = b;
  return m;
}

/** Fills up to CHUNK pairs of the cross product, row-major. */
function fillAllPairs(
  cursor: PairCursor,
  n: number,
  buildRows: number,
  probeIndex: Uint32Array,
  buildIndex: Uint32Array,
): number {
  let m = 0;
  let row = cursor.row;
  let b = cursor.build < 0 ? 0 : cursor.build;
  if (buildRows === 0) return 0;
  while (row < n && m < CHUNK) {
    while (b < buildRows && m < CHUNK) {
      probeIndex[m] = row;
      buildIndex[m] = b;
      m++;
      b++;
    }
    if (b === buildRows) {
      row++;
      b = 0;
    }
  }
  cursor.row = row;
  cursor.build = b;
  return m;
}
