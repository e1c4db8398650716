import { unlink } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import {
  BOOLEAN,
  DataError,
  ResourceError,
  makeRecordBatch,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { exprToDisplayString, type Expr, type Field, type JoinType } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { compilePredicate } from '../expression/compile-predicate.ts';
import { KeyTable } from '../hash/key-table.ts';
import { interleave } from '../kernels/interleave.ts';
import { take } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { columnsBytes } from '../memory/column-bytes.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';
import { MemoryReservation, unboundedResources, type OperatorResources } from '../memory/memory-pool.ts';
import type { BuildShare } from './shared-builds.ts';
import { LazySpillDirectory, spillFailed, type SpillDirectory } from '../spill/spill-directory.ts';
import type { SpillFile } from '../spill/spill-file.ts';
import { SpillFileExec } from '../spill/spill-file-exec.ts';
import { SpillPartitions, spillSeed } from '../spill/spill-partitions.ts';
import { extractEquiKeys } from './hash-join-keys.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';

const CHUNK = 65536;
/** Spill files each side is split into when the build side does not fit, at each level. */
const SPILL_PARTITIONS = 16;
/** Levels of re-partitioning before giving up: 16^4 = 65536 partitions of the build side. */
const MAX_SPILL_LEVELS = 4;

/**
 * The collected right input: its batches' columns as they came (gathered from through
 * `batchOf`/`rowOf`, so they are never concatenated), and the key table's row chains.
 */
interface BuildSide {
  readonly rows: number;
  readonly parts: ColumnBuffers[][];
  /** Each build row's batch and row within it. */
  readonly batchOf: Uint32Array;
  readonly rowOf: Uint32Array;
  readonly table?: KeyTable;
  /** First build row of each key id, then `next` links rows of one key in input order. */
  readonly head: Int32Array;
  readonly next: Int32Array;
  readonly matched?: Uint8Array;
}

/** The build side in memory, or split into spill files by key hash (grace hash join). */
type Build =
  | { readonly spilled: false; readonly side: BuildSide }
  | { readonly spilled: true; readonly files: SpillFile[] };

/** Where pair generation stopped within a probe batch, so chunks can resume. */
interface PairCursor {
  row: number;
  /** Next build row to pair with `row`; -2 when `row` has not been started. */
  build: number;
}

function columnsOf(batch: RecordBatch, fields: readonly Field[]): ColumnBuffers[] {
  return fields.map((f, i) => batchColumn(batch, i, f.type));
}

type KeyFunction = (batch: RecordBatch) => ColumnBuffers;

/** The id in `table` of each row's key, added when new (-1: a NULL key, which never matches). */
function keyIds(table: KeyTable, keyFns: readonly KeyFunction[], batch: RecordBatch): Int32Array {
  const ids = new Int32Array(batch.numRows);
  table.findOrInsert(
    table.encode(
      keyFns.map((f) => f(batch)),
      batch.numRows,
    ),
    ids,
    true,
  );
  return ids;
}

/**
 * Joins by building a KeyTable over the right input's equi-keys (collected fully: the planner
 * puts the smaller side there) and probing it with left batches as they stream. Pairs are
 * produced in chunks of 64K; a residual predicate is evaluated over each chunk's gathered
 * columns. NULL keys never match. Without equi-keys every pair is a candidate (nested loops
 * in chunks), which covers cross joins and joins on inequalities alone.
 *
 * The build side's columns and key table are reserved from `resources.memory` as they are
 * collected. Past the budget, a join with equi-keys and a spill folder turns into a grace
 * hash join: both inputs are written to 16 spill files by a hash of their keys (rows of one
 * key, NULL keys included, land in the same pair of files) and each pair is joined alone,
 * split again with another hash seed when its build side still does not fit. Otherwise the
 * join fails with QUERY_MEMORY_EXCEEDED naming the limit.
 *
 * The kinds subqueries decorrelate into: a single join is a left join that fails with
 * SUBQUERY_MULTIPLE_ROWS when a left row matches a second right row (a scalar subquery
 * yielding several rows); a mark join yields every left row once with a BOOLEAN saying
 * whether it matched (EXISTS and IN wherever they stand). Both keep each probe row apart,
 * so they may broadcast or shuffle their build side like a left join.
 *
 * A semi, anti or mark join with equi-keys may build on its left input instead (`buildLeft`,
 * when the planner estimates it the smaller): the right input then streams through a table
 * of the left rows, marking those it matches, and the marked (semi), unmarked (anti) or all
 * (mark) left rows follow at the end. Its inputs are distributed as they would be otherwise.
 */
export class HashJoin implements PhysicalOperator {
  readonly name = 'HashJoin';
  readonly children: readonly PhysicalOperator[];
  private readonly leftKeys: Expr[];
  private readonly rightKeys: Expr[];
  private readonly residual: Expr | null;
  /** How many times the inputs were split already (joins of spilled partitions). */
  private spillLevel = 0;
  /** Whether the table is built on the left input (see the class comment). */
  private readonly buildsLeft: boolean;

  constructor(
    readonly left: PhysicalOperator,
    readonly right: PhysicalOperator,
    readonly joinType: JoinType,
    readonly condition: Expr | null,
    readonly schema: readonly Field[],
    readonly resources: OperatorResources = unboundedResources(),
    /** Set when the build side is the same in every task of the stage (broadcast): built once per thread. */
    readonly share?: BuildShare,
    /** Build the table on the left input: honoured for semi, anti and mark joins with equi-keys. */
    buildLeft = false,
  ) {
    this.children = [left, right];
    const keys = extractEquiKeys(condition, left.schema.length);
    this.leftKeys = keys.leftKeys;
    this.rightKeys = keys.rightKeys;
    this.residual = keys.residual;
    this.buildsLeft =
      buildLeft &&
      share === undefined &&
      this.leftKeys.length > 0 &&
      (joinType === 'semi' || joinType === 'anti' || joinType === 'mark');
  }

  /** The input the table is built on and its keys, then the input streamed through it and its keys. */
  private sides(): {
    build: PhysicalOperator;
    buildKeys: Expr[];
    probe: PhysicalOperator;
    probeKeys: Expr[];
  } {
    return this.buildsLeft
      ? { build: this.left, buildKeys: this.leftKeys, probe: this.right, probeKeys: this.rightKeys }
      : { build: this.right, buildKeys: this.rightKeys, probe: this.left, probeKeys: this.leftKeys };
  }

  describe(): string {
    const keys = this.leftKeys
      .map((k, i) => `${exprToDisplayString(k)} = ${exprToDisplayString(this.rightKeys[i])}`)
      .join(', ');
    const residual = this.residual ? ` residual=${exprToDisplayString(this.residual)}` : '';
    return `${this.joinType} keys=[${keys}]${residual}${this.buildsLeft ? ' build=left' : ''}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const shared = this.buildsLeft ? undefined : await this.sharedBuild(signal);
    if (shared) {
      yield* this.probe(shared, signal);
      return;
    }
    const reservation = new MemoryReservation(this.resources.memory, 'HashJoin build');
    const spillDir = this.resources.spillDir;
    const spill =
      spillDir !== undefined && this.rightKeys.length > 0
        ? new LazySpillDirectory(spillDir, this.name)
        : undefined;
    try {
      const build = await this.build(signal, reservation, spill);
      if (build.spilled) {
        reservation.free();
        yield* this.joinPartitions(build.files, spill!, signal);
      } else if (this.buildsLeft) yield* this.markLeft(build.side, signal);
      else yield* this.probe(build.side, signal);
    } finally {
      reservation.free();
      await spill?.remove();
    }
  }

  private async *probe(build: BuildSide, signal: AbortSignal): AsyncGenerator<RecordBatch> {
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
      type === 'inner' ||
      type === 'left' ||
      type === 'right' ||
      type === 'full' ||
      type === 'cross' ||
      type === 'single';
    const trackProbe =
      type === 'left' ||
      type === 'full' ||
      type === 'semi' ||
      type === 'anti' ||
      type === 'single' ||
      type === 'mark';
    const single = type === 'single';
    const probeIndex = new Uint32Array(CHUNK);
    const buildIndex = new Uint32Array(CHUNK);
    const gather = buildGatherer(build);
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
            const gathered = [...leftColumns.map((c) => take(c, probeIndex, m)), ...gather(buildIndex, m)];
            const passed = residual(makeRecordBatch(pairFields, gathered, m));
            count = passed.count;
            const selection = passed.selection;
            for (let k = 0; k < count; k++) {
              probeIndex[k] = probeIndex[selection[k]];
              buildIndex[k] = buildIndex[selection[k]];
            }
            if (keepPairs && count > 0) columns = gathered.map((c) => take(c, selection, count));
          }
          if (single)
            for (let k = 0; k < count; k++) {
              if (probeMatched[probeIndex[k]] === 1) throw multipleRows();
              probeMatched[probeIndex[k]] = 1;
            }
          else if (trackProbe) for (let k = 0; k < count; k++) probeMatched[probeIndex[k]] = 1;
          if (build.matched) for (let k = 0; k < count; k++) build.matched[buildIndex[k]] = 1;
          if (keepPairs && count > 0) {
            columns ??= [...leftColumns.map((c) => take(c, probeIndex, count)), ...gather(buildIndex, count)];
            yield makeRecordBatch(this.schema, columns, count);
          }
          if (m < CHUNK) break;
        }
      }

      if (type === 'mark') {
        const mark = new Uint8Array((n + 7) >> 3);
        for (let i = 0; i < n; i++) if (probeMatched[i] === 1) mark[i >> 3] |= 1 << (i & 7);
        const columns = [...leftColumns, { type: BOOLEAN, length: n, values: mark }];
        yield makeRecordBatch(this.schema, columns, n);
        continue;
      }
      if (type === 'left' || type === 'full' || type === 'semi' || type === 'anti' || type === 'single') {
        const want = type === 'semi' ? 1 : 0;
        const rows = new Uint32Array(n);
        let count = 0;
        for (let i = 0; i < n; i++) if (probeMatched[i] === want) rows[count++] = i;
        if (count === 0) continue;
        const columns = leftColumns.map((c) => take(c, rows, count));
        if (type === 'left' || type === 'full' || type === 'single')
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
          const columns = [...leftFields.map((f) => nullColumn(f.type, count)), ...gather(rows, count)];
          yield makeRecordBatch(this.schema, columns, count);
          count = 0;
        }
      }
    }
  }

  /**
   * A semi, anti or mark join built on its left input: streams the right input through the
   * table, marking each left row a right row matches (and passes the residual with), then
   * yields the left rows it keeps.
   */
  private async *markLeft(build: BuildSide, signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const matched = build.matched!;
    const table = build.table!;
    if (build.rows > 0) {
      const rightFields = this.right.schema;
      const pairFields = [...this.left.schema, ...rightFields];
      const keyFns = this.rightKeys.map((k) => compileExpression(k, rightFields));
      const residual = this.residual ? compilePredicate(this.residual, pairFields) : undefined;
      const gather = buildGatherer(build);
      // Without a residual a key that matched marks all its left rows, once, at the end.
      const keyMatched = new Uint8Array(table.size);
      const probeIndex = new Uint32Array(CHUNK);
      const buildIndex = new Uint32Array(CHUNK);
      let ids = new Int32Array(0);
      for await (const batch of this.right.execute(signal)) {
        signal.throwIfAborted();
        const n = batch.numRows;
        if (n === 0) continue;
        if (ids.length < n) ids = new Int32Array(n);
        table.find(
          table.encode(
            keyFns.map((f) => f(batch)),
            n,
          ),
          ids,
        );
        if (!residual) {
          for (let i = 0; i < n; i++) if (ids[i] >= 0) keyMatched[ids[i]] = 1;
          continue;
        }
        const rightColumns = columnsOf(batch, rightFields);
        const cursor: PairCursor = { row: 0, build: -2 };
        for (;;) {
          const m = fillKeyedPairs(cursor, n, ids, build.head, build.next, probeIndex, buildIndex);
          if (m === 0) break;
          // A left row already matched needs no more pairs tested.
          let count = 0;
          for (let k = 0; k < m; k++) {
            if (matched[buildIndex[k]] === 1) continue;
            probeIndex[count] = probeIndex[k];
            buildIndex[count] = buildIndex[k];
            count++;
          }
          if (count > 0) {
            const gathered = [
              ...gather(buildIndex, count),
              ...rightColumns.map((c) => take(c, probeIndex, count)),
            ];
            const passed = residual(makeRecordBatch(pairFields, gathered, count));
            for (let k = 0; k < passed.count; k++) matched[buildIndex[passed.selection[k]]] = 1;
          }
          if (m < CHUNK) break;
        }
      }
      for (let id = 0; id < keyMatched.length; id++)
        if (keyMatched[id] === 1) for (let r = build.head[id]; r >= 0; r = build.next[r]) matched[r] = 1;
    }
    yield* this.keptLeftRows(build, matched);
  }

  /** The left rows of a join built on the left: the matched (semi), the unmatched (anti), or all with their mark. */
  private *keptLeftRows(build: BuildSide, matched: Uint8Array): Generator<RecordBatch> {
    const gather = buildGatherer(build);
    const type = this.joinType;
    const want = type === 'semi' ? 1 : 0;
    const rows = new Uint32Array(CHUNK);
    let count = 0;
    for (let r = 0; r <= build.rows; r++) {
      if (r < build.rows && (type === 'mark' || matched[r] === want)) rows[count++] = r;
      if (count === CHUNK || (r === build.rows && count > 0)) {
        const columns = gather(rows, count);
        if (type === 'mark') {
          const mark = new Uint8Array((count + 7) >> 3);
          for (let k = 0; k < count; k++) if (matched[rows[k]] === 1) mark[k >> 3] |= 1 << (k & 7);
          columns.push({ type: BOOLEAN, length: count, values: mark });
        }
        yield makeRecordBatch(this.schema, columns, count);
        count = 0;
      }
    }
  }

  /**
   * The build side shared by this thread's tasks of the stage, when there is one and it fits
   * in memory; undefined when this task must build (and maybe spill) on its own, as it does
   * when the task that was building the shared one failed or was cancelled.
   */
  private async sharedBuild(signal: AbortSignal): Promise<BuildSide | undefined> {
    const share = this.share;
    if (!share) return undefined;
    const make = async (reservation: MemoryReservation): Promise<BuildSide | undefined> => {
      try {
        const build = await this.build(signal, reservation, undefined);
        return build.spilled ? undefined : build.side;
      } catch (error) {
        if (error instanceof ResourceError && error.code === 'QUERY_MEMORY_EXCEEDED') return undefined;
        throw error;
      }
    };
    try {
      return await share.builds.get(share.queryId, share.key, share.pool, make);
    } catch (error) {
      if (signal.aborted) throw error;
      return undefined;
    }
  }

  /**
   * Collects the build input (the right one, or the left one when building on the left) and
   * its key table, reserving as it goes; when the budget is reached and the join may spill,
   * switches to writing it to hash partitions instead.
   */
  private async build(
    signal: AbortSignal,
    reservation: MemoryReservation,
    spill: LazySpillDirectory | undefined,
  ): Promise<Build> {
    const { build: input, buildKeys } = this.sides();
    const fields = input.schema;
    const keyFns = buildKeys.map((k) => compileExpression(k, fields));
    const keyTypes = buildKeys.map((k) => k.type);
    const batches: RecordBatch[] = [];
    const parts: ColumnBuffers[][] = [];
    let rows = 0;
    let bytes = 0;
    /** What a key table of the rows so far will take: it is built once they are all in, at its final size. */
    const tableBytes = () => (keyFns.length > 0 ? KeyTable.memoryFor(keyTypes, rows, true) : 0);
    /** Reserves `total`; false when the join should spill, throws when it cannot. */
    const fits = (total: number): boolean => {
      if (reservation.tryResize(total)) return true;
      if (!spill) throw reservation.exceeded(total - reservation.size);
      // Splitting cannot separate rows of one key: a partition holding one key fails here.
      if (
        this.spillLevel >= MAX_SPILL_LEVELS ||
        (this.spillLevel > 0 && this.oneKey(batches, keyTypes, keyFns))
      )
        throw this.cannotSplit(reservation, total);
      return false;
    };
    const iterator = input.execute(signal)[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        signal.throwIfAborted();
        const batch = next.value;
        const n = batch.numRows;
        if (n === 0) continue;
        assertMemoryAvailable('HashJoin build');
        const columns = columnsOf(batch, fields);
        batches.push(batch);
        parts.push(columns);
        bytes += columnsBytes(columns) + (keyFns.length > 0 ? 4 * n : 0);
        rows += n;
        if (!fits(bytes + tableBytes()))
          return {
            spilled: true,
            files: await this.spillBuild(batches, iterator, spill!, reservation, signal),
          };
      }
      // Row chains and the batch of each row: 12 bytes a row and 4 a key, plus the marks of matched rows.
      const chains =
        (keyFns.length > 0 ? 4 * rows + 4 * rows : 0) + 8 * rows + (this.marksBuildRows() ? rows : 0);
      if (!fits(bytes + tableBytes() + chains))
        return {
          spilled: true,
          files: await this.spillBuild(batches, iterator, spill!, reservation, signal),
        };
    } finally {
      await iterator.return?.();
    }
    const batchOf = new Uint32Array(rows);
    const rowOf = new Uint32Array(rows);
    let at = 0;
    batches.forEach((batch, p) => {
      for (let r = 0; r < batch.numRows; r++, at++) {
        batchOf[at] = p;
        rowOf[at] = r;
      }
    });
    const matched = this.marksBuildRows() ? new Uint8Array(rows) : undefined;
    if (keyFns.length === 0)
      return {
        spilled: false,
        side: { rows, parts, batchOf, rowOf, head: new Int32Array(0), next: new Int32Array(0), matched },
      };
    // Sized for every row at once: growing as rows come would rebuild its slots at each doubling.
    const table = new KeyTable(keyTypes, rows, true);
    const idParts = batches.map((batch) => keyIds(table, keyFns, batch));
    const head = new Int32Array(table.size).fill(-1);
    const next = new Int32Array(rows);
    // Walk backwards so each key's chain lists its rows in input order.
    let r = rows;
    for (let p = idParts.length - 1; p >= 0; p--) {
      const ids = idParts[p];
      for (let k = ids.length - 1; k >= 0; k--) {
        r--;
        const id = ids[k];
        if (id < 0) continue;
        next[r] = head[id];
        head[id] = r;
      }
    }
    return { spilled: false, side: { rows, parts, batchOf, rowOf, table, head, next, matched } };
  }

  /** Whether the join marks the build rows it matched: right and full joins, and joins built on the left. */
  private marksBuildRows(): boolean {
    return this.joinType === 'right' || this.joinType === 'full' || this.buildsLeft;
  }

  /** Whether every collected row has one and the same non-NULL key: no split can make such a partition smaller. */
  private oneKey(
    batches: readonly RecordBatch[],
    keyTypes: readonly SqlType[],
    keyFns: readonly KeyFunction[],
  ): boolean {
    const table = new KeyTable(keyTypes, 64);
    for (const batch of batches) {
      if (table.size > 1 || keyIds(table, keyFns, batch).some((id) => id < 0)) return false;
    }
    return table.size === 1;
  }

  private cannotSplit(reservation: MemoryReservation, total: number): ResourceError {
    const error = reservation.exceeded(total - reservation.size);
    return new ResourceError(
      'QUERY_MEMORY_EXCEEDED',
      `${error.message} (its build side was split by join key ${this.spillLevel} time(s) on disk, and rows ` +
        'of one key or a few keys still need more)',
      { details: error.details },
    );
  }

  /** Writes the collected build batches and the rest of the build input to hash partitions. */
  private async spillBuild(
    collected: RecordBatch[],
    rest: AsyncIterator<RecordBatch>,
    spill: LazySpillDirectory,
    reservation: MemoryReservation,
    signal: AbortSignal,
  ): Promise<SpillFile[]> {
    const { build, buildKeys } = this.sides();
    const partitions = this.partitions(build.schema, await spill.get());
    const write = this.hashedWriter(build.schema, buildKeys, partitions);
    try {
      for (const batch of collected) await write(batch);
      collected.length = 0;
      reservation.free();
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        signal.throwIfAborted();
        await write(next.value);
      }
      return await partitions.close();
    } catch (error) {
      await partitions.abandon();
      throw error;
    }
  }

  /** Splits the probe input like the build side, then joins each pair of files alone. */
  private async *joinPartitions(
    buildFiles: SpillFile[],
    spill: LazySpillDirectory,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    const { probe: input, probeKeys } = this.sides();
    const partitions = this.partitions(input.schema, await spill.get());
    const write = this.hashedWriter(input.schema, probeKeys, partitions);
    let probeFiles: SpillFile[];
    try {
      for await (const batch of input.execute(signal)) {
        signal.throwIfAborted();
        await write(batch);
      }
      probeFiles = await partitions.close();
    } catch (error) {
      await partitions.abandon();
      throw error;
    }
    for (let p = 0; p < buildFiles.length; p++) {
      const build = buildFiles[p];
      const probe = probeFiles[p];
      if (build.rows === 0 && probe.rows === 0) continue;
      const probeExec = new SpillFileExec(probe, this.name);
      const buildExec = new SpillFileExec(build, this.name);
      const join = new HashJoin(
        this.buildsLeft ? buildExec : probeExec,
        this.buildsLeft ? probeExec : buildExec,
        this.joinType,
        this.condition,
        this.schema,
        this.resources,
        undefined,
        this.buildsLeft,
      );
      join.spillLevel = this.spillLevel + 1;
      yield* join.execute(signal);
      await Promise.all([build, probe].filter((f) => f.rows > 0).map((f) => removeFile(f, this.name)));
    }
  }

  private partitions(fields: readonly Field[], directory: SpillDirectory): SpillPartitions {
    return new SpillPartitions(directory, fields, SPILL_PARTITIONS, spillSeed(this.spillLevel), this.name);
  }

  /**
   * Writes batches to `partitions` by the hash of their key columns. Both sides hash through a
   * KeyTable of the same key types, so equal keys of either side meet in one partition. Rows
   * with a NULL key match nothing and may go anywhere: they are dealt round the partitions,
   * or they would all share one that no re-split could make smaller.
   */
  private hashedWriter(
    fields: readonly Field[],
    keys: readonly Expr[],
    partitions: SpillPartitions,
  ): (batch: RecordBatch) => Promise<void> {
    const keyFns = keys.map((k) => compileExpression(k, fields));
    const hasher = new KeyTable(keys.map((k) => k.type));
    let dealt = 0;
    return async (batch) => {
      const n = batch.numRows;
      if (n === 0) return;
      const encoded = hasher.encode(
        keyFns.map((f) => f(batch)),
        n,
      );
      // The hashes are the hasher's scratch, rewritten by its next encode: changing them is fine.
      const hashes = encoded.hashes;
      for (let i = 0; i < n; i++) if (encoded.anyNull[i] === 1) hashes[i] = Math.imul(dealt++, 0x9e3779b1);
      await partitions.write(columnsOf(batch, fields), n, hashes);
    };
  }
}

function multipleRows(): DataError {
  return new DataError(
    'SUBQUERY_MULTIPLE_ROWS',
    'More than one row returned by a subquery used as an expression - scalar subqueries can only return a single row',
  );
}

/** Gathers build rows (by number) from the build side's batches into new columns. */
function buildGatherer(build: BuildSide): (indices: Uint32Array, count: number) => ColumnBuffers[] {
  const sources = new Uint32Array(CHUNK);
  const rows = new Uint32Array(CHUNK);
  const columns = build.parts.length > 0 ? build.parts[0].map((_, c) => build.parts.map((p) => p[c])) : [];
  return (indices, count) => {
    for (let k = 0; k < count; k++) {
      sources[k] = build.batchOf[indices[k]];
      rows[k] = build.rowOf[indices[k]];
    }
    return columns.map((parts) => interleave(parts, sources, rows, count));
  };
}

async function removeFile(file: SpillFile, operator: string): Promise<void> {
  try {
    await unlink(file.path);
  } catch (error) {
    throw spillFailed(operator, error);
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
