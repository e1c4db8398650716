import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import {
  conjunction,
  exprToString,
  referencedColumns,
  pushedToString,
  remapColumns,
  scanInputColumns,
  sqliteScanStatement,
  type Expr,
  type Field,
  type ScanCounters,
  type ScanNode,
  type SourceType,
  type TableRef,
} from '@tributary/plan';
import {
  checkScanFilesUnchanged,
  scanRealRoots,
  filesOfSplitInfo,
  connectorFor as registeredConnector,
  type Connector,
  type ScanContext,
  type ScanRequest,
  type Split,
} from '@tributary/connectors';
import { compilePredicate } from '../expression/compile-predicate.ts';
import { take } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn } from './record-batch-column.ts';
import { locationFile, sourceFileError } from './source-file-error.ts';

export type ConnectorLookup = (type: SourceType) => Connector;

export interface ScanExecOptions {
  /**
   * Folders every file the scan opens must lie inside (symlinks resolved). Required: the
   * connector checks the file a table names at every open, whoever planned the scan.
   */
  readonly roots: readonly string[];
  /** Defaults to the registry of @tributary/connectors. */
  readonly connectorFor?: ConnectorLookup;
  /** The splits to read; by default the connector plans one. */
  readonly splits?: readonly Split[];
  /**
   * Told the file the scan reads while it reads one, and null when it stops: whoever runs the
   * task can then name the file should a decoder crash the thread outright.
   */
  readonly onFile?: (file: string | null) => void;
  /** Where the connector counts what it reads and skips (the task reports them). */
  readonly counters?: ScanCounters;
}

/**
 * Runs a logical scan through its connector, split by split (the given splits, or one
 * planned by the connector), re-checking every filter the connector does not evaluate
 * exactly and stopping at the scan's limit. Columns that only such filters read are
 * requested too and dropped after filtering.
 */
export class ScanExec implements PhysicalOperator {
  readonly name = 'Scan';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema: readonly Field[];
  readonly splits?: readonly Split[];
  private readonly roots: readonly string[];
  private readonly connectorFor: ConnectorLookup;
  private readonly onFile?: (file: string | null) => void;
  private readonly counters?: ScanCounters;

  constructor(
    readonly node: ScanNode,
    options: ScanExecOptions,
  ) {
    this.schema = node.schema;
    this.roots = options.roots;
    this.connectorFor = options.connectorFor ?? registeredConnector;
    this.splits = options.splits;
    this.onFile = options.onFile;
    this.counters = options.counters;
  }

  describe(): string {
    const { node } = this;
    const input = scanInputColumns(node);
    const cols = node.pushed?.aggregate ? '' : node.columns.map((i) => input[i].name).join(', ');
    const filters = node.filters.length ? ` filters=[${node.filters.map(exprToString).join(', ')}]` : '';
    const limit = node.limit === null ? '' : ` limit=${node.limit}`;
    const splits = this.splits ? ` splits=${this.splits.length}` : '';
    const sql = node.pushed ? ` sql=[${sqliteScanStatement(node)?.sql ?? '?'}]` : '';
    return `${node.table.sourceType} ${node.table.source}.${node.table.table}${pushedToString(node.pushed)} [${cols}]${filters}${limit}${splits}${sql}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const { node } = this;
    const { table } = node;
    const connector = this.connectorFor(table.sourceType);
    // Pushed work is evaluated whole by the source (or fails): nothing is left to re-check.
    const residual: Expr[] = node.pushed
      ? []
      : node.filters.filter((f) => connector.filterSupport(table, f) !== 'exact');
    const requested = [...node.columns];
    for (const f of residual)
      for (const c of referencedColumns(f)) if (!requested.includes(c)) requested.push(c);
    const request: ScanRequest = {
      columns: requested,
      filters: node.filters,
      limit: residual.length === 0 ? node.limit : null,
      ...(node.pushed ? { pushed: node.pushed } : {}),
    };
    const requestedFields: readonly Field[] = node.pushed
      ? node.schema
      : requested.map((c) => ({
          name: table.columns[c].name,
          type: table.columns[c].type,
          nullable: true,
        }));
    const predicate = residual.length
      ? compilePredicate(
          remapColumns(conjunction(residual)!, (c) => requested.indexOf(c)),
          requestedFields,
        )
      : undefined;
    // A pushed order makes the limit per split (each split's top rows): the Sort above merges them.
    let remaining = node.pushed?.orderBy.length ? Infinity : (node.limit ?? Infinity);
    if (remaining <= 0) return;
    // One context for the whole scan: the connector resolves the roots once per context.
    const context: ScanContext = {
      roots: this.roots,
      signal,
      ...(this.counters ? { counters: this.counters } : {}),
    };
    const splits = this.splits ?? (await planSplits(connector, table, request, context));
    // A file changed since planning is SOURCE_CHANGED here, not a misleading parse error later.
    await checkScanFilesUnchanged(
      table,
      this.roots,
      splits.flatMap((s) => filesOfSplitInfo(s.info)),
      await scanRealRoots(context),
    );
    const width = node.pushed ? node.schema.length : node.columns.length;
    this.onFile?.(locationFile(table.location) ?? null);
    try {
      for (const split of splits) {
        for await (const batch of readSplit(connector, table, split, request, context)) {
          signal.throwIfAborted();
          let n = batch.numRows;
          if (n === 0) continue;
          if (!predicate && !node.pushed && requestedFields.length === width && n <= remaining) {
            remaining -= n;
            yield batch;
          } else {
            let selection: Uint32Array;
            if (predicate) {
              const passed = predicate(batch);
              selection = passed.selection;
              n = passed.count;
            } else {
              selection = new Uint32Array(n);
              for (let i = 0; i < n; i++) selection[i] = i;
            }
            n = Math.min(n, remaining);
            if (n > 0) {
              // When every row passed, the columns are reused as they are, not gathered.
              const all = n === batch.numRows;
              const columns: ColumnBuffers[] = [];
              for (let i = 0; i < width; i++) {
                const column = batchColumn(batch, i, requestedFields[i].type);
                columns.push(all ? column : take(column, selection, n));
              }
              remaining -= n;
              yield makeRecordBatch(this.schema, columns, n);
            }
          }
          if (remaining <= 0) return;
        }
      }
    } finally {
      this.onFile?.(null);
    }
  }
}

/** The connector's own split of a scan, with an untyped error of its planning named as readSplit names it. */
async function planSplits(
  connector: Connector,
  table: TableRef,
  request: ScanRequest,
  context: ScanContext,
): Promise<readonly Split[]> {
  try {
    return await connector.planSplits(table, request, 1, context);
  } catch (error) {
    throw context.signal?.aborted ? error : sourceFileError(error, table);
  }
}

/**
 * A split's batches, with any untyped error of the connector (a decoder's panic on a corrupt
 * file, a malformed page) turned into SOURCE_FILE_INVALID naming the table and its file: the
 * real cause, where retrying elsewhere cannot help.
 */
async function* readSplit(
  connector: Connector,
  table: TableRef,
  split: Split,
  request: ScanRequest,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  try {
    yield* connector.scan(table, split, request, context);
  } catch (error) {
    throw context.signal?.aborted ? error : sourceFileError(error, table, split.info);
  }
}
