import Database from 'better-sqlite3';
import type { RecordBatch } from 'apache-arrow';
import {
  ColumnBuilder,
  InternalError,
  SourceError,
  makeRecordBatch,
  parseDecimal,
  parseTimestamp,
  typeToString,
  type ColumnDescriptor,
} from '@tributary/common';
import {
  scanInputColumns,
  sqliteScanStatement,
  type Expr,
  type ScanNode,
  type TableRef,
} from '@tributary/plan';
import { toColumnPredicate } from '../column-predicate.ts';
import { checkOptionNames } from '../check-option-names.ts';
import { confinePath } from '../confine-path.ts';
import { confineScanPath, scanRealRoots } from '../confine-scan-path.ts';
import type {
  Connector,
  DiscoverContext,
  DiscoveredTable,
  FilterSupport,
  ScanContext,
  ScanRequest,
  Split,
} from '../connector.ts';
import { buildSqliteScan } from './build-sqlite-scan.ts';
import { parseIsoDate } from '../iso-date.ts';
import { sqliteColumnType } from './sqlite-column-type.ts';
import { sqliteFilterSql, type SqlFragment } from './sqlite-filter-sql.ts';
import {
  checkSqliteIntegrity,
  openSqliteDatabase,
  prepareSelect,
  sqliteSourceError,
} from './open-sqlite-database.ts';
import { sqliteTableStatistics } from './sqlite-table-statistics.ts';
import { quoteIdentifier, sqliteAffinity, sqliteLocation, type SqliteLocation } from './sqlite-location.ts';

export const SQLITE_BATCH_ROWS = 65_536;
/** Smaller tables are scanned as one split: a split's fixed cost outweighs the gain. */
export const MIN_SQLITE_SPLIT_ROWS = 100_000;
const SAMPLE_ROWS = 1000;

/** The options a sqlite source takes. */
export const SQLITE_OPTIONS = ['integrityCheck', 'integrityCheckMaxBytes'] as const;

function integrityOptions(options: Readonly<Record<string, unknown>>): { check: boolean; maxBytes?: number } {
  checkOptionNames(options, SQLITE_OPTIONS, 'SQLite option');
  const { integrityCheck, integrityCheckMaxBytes } = options;
  if (integrityCheck !== undefined && typeof integrityCheck !== 'boolean')
    throw new SourceError('SOURCE_OPTION_INVALID', 'SQLite option "integrityCheck" must be true or false');
  if (
    integrityCheckMaxBytes !== undefined &&
    (typeof integrityCheckMaxBytes !== 'number' ||
      !Number.isSafeInteger(integrityCheckMaxBytes) ||
      integrityCheckMaxBytes < 0)
  )
    throw new SourceError(
      'SOURCE_OPTION_INVALID',
      'SQLite option "integrityCheckMaxBytes" must be a non-negative whole number of bytes',
    );
  return {
    check: integrityCheck !== false,
    ...(integrityCheckMaxBytes === undefined ? {} : { maxBytes: integrityCheckMaxBytes as number }),
  };
}

/**
 * Opens a table's database for planning or scanning: the path is confined to the context's
 * roots just before, and the real path it resolved to is what SQLite opens (read-only), so a
 * symlink swapped in since registration is not followed out of the roots. SQLite resolves
 * symlinks itself as it opens; the file it reports having opened is checked once more.
 */
async function openConfinedDatabase(
  location: SqliteLocation,
  context: ScanContext,
): Promise<Database.Database> {
  const real = await confineScanPath(location.database, context);
  return openSqliteDatabase(real, location.database, await scanRealRoots(context));
}

/**
 * SQLite databases through better-sqlite3 (read-only): tables and views are the tables;
 * projection, simple filters (exact) and limits are pushed into SQL with bound parameters;
 * splits are rowid ranges.
 */
export class SqliteConnector implements Connector {
  readonly type = 'sqlite' as const;

  async discover(
    path: string,
    options: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]> {
    const integrity = integrityOptions(options);
    const file = await confinePath(path, context.roots);
    if (integrity.check)
      checkSqliteIntegrity(file, integrity.maxBytes === undefined ? {} : { maxBytes: integrity.maxBytes });
    const db = openSqliteDatabase(file);
    try {
      const objects = db
        .prepare(
          "SELECT name, type, sql FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        )
        .all() as { name: string; type: string; sql: string | null }[];
      const discovered: DiscoveredTable[] = [];
      for (const { name, type, sql } of objects) {
        // A view over a dropped table (or a missing function) cannot be read: skip it, not the database.
        if (type === 'view' && !viewReadable(db, name)) continue;
        const info = db.prepare(`PRAGMA table_info(${quoteIdentifier(name)})`).all() as {
          name: string;
          type: string;
        }[];
        const sample = db
          .prepare(`SELECT * FROM ${quoteIdentifier(name)} LIMIT ${SAMPLE_ROWS}`)
          .raw(true)
          .all() as unknown[][];
        // BLOB columns are left out (Tributary has no binary type), named as unsupported; the
        // rest stay queryable. A column declared otherwise is kept whatever its sample holds:
        // it is read by its type.
        const isBlob = (c: { type: string }, i: number) =>
          /BLOB/i.test(c.type) ||
          (c.type.trim() === '' && sample.some((row) => row[i] instanceof Uint8Array));
        const kept = info.map((c, i) => ({ ...c, i })).filter((c) => !isBlob(c, c.i));
        const unsupported = info.filter(isBlob).map((c) => ({ name: c.name, type: 'BLOB' }));
        const columns: ColumnDescriptor[] = kept.map((c) => ({
          name: c.name,
          type: sqliteColumnType(
            c.type,
            sample.map((row) => row[c.i]),
          ),
        }));
        const withoutRowid = type === 'table' && /\)\s*WITHOUT\s+ROWID\s*;?\s*$/i.test(sql ?? '');
        const location: SqliteLocation = {
          database: file,
          table: name,
          hasRowid: type === 'table' && !withoutRowid,
          affinities: kept.map((c) => sqliteAffinity(c.type)),
        };
        const rowCount = (
          db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number }
        ).n;
        const statistics = sqliteTableStatistics(db, {
          name,
          columns: kept.map((c, i) => ({ name: c.name, type: columns[i].type })),
          hasRowid: location.hasRowid,
          rowCount,
        });
        discovered.push({
          name,
          columns,
          location: { ...location },
          rowCount,
          statistics,
          ...(unsupported.length > 0 ? { unsupportedColumns: unsupported } : {}),
        });
      }
      return discovered;
    } catch (error) {
      throw sqliteSourceError(error, file);
    } finally {
      db.close();
    }
  }

  tableSettings(location: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const l = sqliteLocation(location);
    return { table: l.table, rowidSplits: l.hasRowid };
  }

  filterSupport(table: TableRef, filter: Expr): FilterSupport {
    const predicate = toColumnPredicate(filter, table.columns);
    return predicate && sqliteFilterSql(predicate, table.columns, sqliteLocation(table.location))
      ? 'exact'
      : 'unsupported';
  }

  async planSplits(
    table: TableRef,
    _request: ScanRequest,
    targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]> {
    const location = sqliteLocation(table.location);
    const rows = table.rowCount ?? MIN_SQLITE_SPLIT_ROWS;
    const count = Math.min(Math.floor(targetSplits), Math.floor(rows / (MIN_SQLITE_SPLIT_ROWS / 2)));
    if (!location.hasRowid || rows < MIN_SQLITE_SPLIT_ROWS || count <= 1)
      return [{ info: {}, estimatedRows: table.rowCount }];
    const db = await openConfinedDatabase(location, context);
    try {
      const range = db
        .prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${quoteIdentifier(location.table)}`)
        .get() as { lo: number | null; hi: number | null };
      if (range.lo === null || range.hi === null) return [{ info: {}, estimatedRows: 0 }];
      const width = (range.hi - range.lo + 1) / count;
      const splits: Split[] = [];
      for (let i = 0; i < count; i++) {
        const from = i === 0 ? null : range.lo + Math.floor(width * i);
        const to = i === count - 1 ? null : range.lo + Math.floor(width * (i + 1));
        // The outer ends stay open so rows added since planning are not lost.
        splits.push({ info: { fromRowid: from, toRowid: to }, estimatedRows: Math.round(rows / count) });
      }
      return splits;
    } catch (error) {
      throw sqliteSourceError(error, location.database, location.table);
    } finally {
      db.close();
    }
  }

  scan(
    table: TableRef,
    split: Split,
    request: ScanRequest,
    context: ScanContext,
  ): AsyncIterable<RecordBatch> {
    return scanSqlite(table, split, request, context);
  }
}

function viewReadable(db: Database.Database, name: string): boolean {
  try {
    db.prepare(`SELECT * FROM ${quoteIdentifier(name)} LIMIT 0`).all();
    return true;
  } catch {
    return false;
  }
}

async function* scanSqlite(
  table: TableRef,
  split: Split,
  request: ScanRequest,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  const { signal } = context;
  const location = sqliteLocation(table.location);
  const query = scanStatement(table, split, request);
  const db = await openConfinedDatabase(location, context);
  if (context.counters) context.counters.filesRead++;
  try {
    if (query.descriptors.length === 0) {
      const { n } = prepareSelect(db, `SELECT count(*) AS n FROM (${query.sql})`).get(...query.params) as {
        n: number;
      };
      if (context.counters) context.counters.rowsRead += n;
      for (let done = 0; done < n; done += SQLITE_BATCH_ROWS)
        yield makeRecordBatch([], [], Math.min(SQLITE_BATCH_ROWS, n - done));
      return;
    }
    const descriptors = query.descriptors;
    const builders = descriptors.map((d) => new ColumnBuilder(d.type, SQLITE_BATCH_ROWS));
    const kinds = descriptors.map((d) => d.type.kind);
    const scales = descriptors.map((d) => (d.type.kind === 'DECIMAL' ? 10 ** d.type.scale : 1));
    const width = descriptors.length;
    const statement = prepareSelect(db, query.sql).raw(true);
    const iterator = statement.iterate(...query.params) as IterableIterator<unknown[]>;
    let rows = 0;
    let ordinal = 0;
    let bad: { column: number; value: unknown; ordinal: number } | undefined;
    try {
      for (const row of iterator) {
        for (let i = 0; i < width; i++) {
          const v = row[i];
          const b = builders[i];
          if (v === null || v === undefined) {
            b.setNull(rows);
            continue;
          }
          let ok = true;
          switch (kinds[i]) {
            case 'BIGINT':
            case 'INTEGER':
              if (typeof v === 'number' && Number.isInteger(v)) b.setInt64(rows, v);
              else if (typeof v === 'bigint') b.setBigInt64(rows, v);
              else if (typeof v === 'string' && /^-?\d{16,19}$/.test(v)) b.setBigInt64(rows, BigInt(v));
              else ok = false;
              break;
            case 'DOUBLE':
              if (typeof v === 'number') b.setNumber(rows, v);
              else ok = false;
              break;
            case 'DECIMAL':
              if (typeof v === 'number')
                b.setDecimal(rows, v < 0 ? -Math.round(-v * scales[i]) : Math.round(v * scales[i]));
              else if (typeof v === 'string') {
                const unscaled = parseDecimal(v, Math.round(Math.log10(scales[i])));
                if (unscaled === undefined) ok = false;
                else b.setDecimal(rows, unscaled);
              } else ok = false;
              break;
            case 'DATE': {
              // Only strict ISO text: pushed comparisons compare it as text.
              const days = typeof v === 'string' ? parseIsoDate(v) : undefined;
              if (days === undefined) ok = false;
              else b.setNumber(rows, days);
              break;
            }
            case 'TIMESTAMP': {
              const micros = typeof v === 'string' ? parseTimestamp(v) : undefined;
              if (micros === undefined) ok = false;
              else b.setInt64(rows, micros);
              break;
            }
            case 'VARCHAR':
              if (typeof v === 'string') b.setString(rows, v);
              else if (v instanceof Uint8Array) b.setBytes(rows, v, 0, v.length);
              else b.setString(rows, String(v));
              break;
            case 'BOOLEAN':
              if (v === 0 || v === 1) b.setBoolean(rows, v === 1);
              else if (typeof v === 'string' && /^(true|false)$/i.test(v))
                b.setBoolean(rows, v.toLowerCase() === 'true');
              else ok = false;
              break;
            default:
              ok = false;
          }
          if (!ok) {
            bad = { column: i, value: v, ordinal };
            break;
          }
        }
        if (bad) break;
        rows++;
        ordinal++;
        if (rows === SQLITE_BATCH_ROWS) {
          yield makeRecordBatch(
            descriptors,
            builders.map((b) => b.finish(rows)),
            rows,
          );
          rows = 0;
          if (signal?.aborted) return;
        }
      }
    } finally {
      iterator.return?.();
    }
    if (bad) {
      const column = descriptors[bad.column];
      const rowid =
        location.hasRowid && query.where ? findRowid(db, location, query.where, bad.ordinal) : undefined;
      const where = rowid === undefined ? `row ${bad.ordinal + 1} of the scan` : `rowid ${rowid}`;
      const shown = typeof bad.value === 'string' ? JSON.stringify(bad.value) : String(bad.value);
      throw new SourceError(
        'SQLITE_VALUE_INVALID',
        `value ${shown} of column "${column.name}" of SQLite table "${location.table}" of database "${location.database}" (${where}) is not a valid ${typeToString(column.type)}`,
        { details: { database: location.database, table: location.table, column: column.name, rowid } },
      );
    }
    if (rows > 0)
      yield makeRecordBatch(
        descriptors,
        builders.map((b) => b.finish(rows)),
        rows,
      );
    if (context.counters) context.counters.rowsRead += ordinal;
  } catch (error) {
    throw sqliteSourceError(error, location.database, location.table);
  } finally {
    db.close();
  }
}

interface ScanStatement {
  readonly sql: string;
  readonly params: readonly (number | string)[];
  /** The columns each row of the statement yields, as the batches type them. */
  readonly descriptors: readonly ColumnDescriptor[];
  /** The plain scan's WHERE clause (to find a bad value's rowid); absent for pushed work. */
  readonly where?: SqlFragment;
}

/**
 * The one statement a split runs: the plain scan's (projection, exact filters, rowid range,
 * limit), or with pushed work the plan's SQLite statement for the scan, which must carry
 * every filter (an inexpressible one is refused, never dropped).
 */
function scanStatement(table: TableRef, split: Split, request: ScanRequest): ScanStatement {
  const range = {
    from: typeof split.info.fromRowid === 'number' ? split.info.fromRowid : null,
    to: typeof split.info.toRowid === 'number' ? split.info.toRowid : null,
  };
  if (!request.pushed) {
    const query = buildSqliteScan(table, request, split);
    return { ...query, descriptors: request.columns.map((c) => table.columns[c]) };
  }
  const scan: ScanNode = {
    kind: 'scan',
    table,
    alias: table.table,
    columns: request.columns,
    filters: request.filters,
    limit: request.limit,
    schema: [],
    pushed: request.pushed,
  };
  const statement = sqliteScanStatement(scan, range);
  if (!statement)
    throw new InternalError(
      `the work pushed into the scan of SQLite table "${table.table}" cannot be written in SQLite`,
    );
  const aggregate = request.pushed.aggregate;
  const input = scanInputColumns(scan);
  const descriptors: ColumnDescriptor[] = aggregate
    ? [
        ...aggregate.groupBy.map((g, i) => ({ name: `key_${i}`, type: g.type })),
        ...aggregate.aggregates.map((a, i) => ({ name: `aggregate_${i}`, type: a.type })),
      ]
    : request.columns.map((c) => input[c]);
  return { ...statement, descriptors };
}

/** The rowid of the n-th row a scan read (same WHERE, same plain table scan order). */
function findRowid(
  db: Database.Database,
  location: SqliteLocation,
  where: SqlFragment,
  ordinal: number,
): number | undefined {
  try {
    const row = db
      .prepare(`SELECT rowid AS r FROM ${quoteIdentifier(location.table)}${where.sql} LIMIT 1 OFFSET ?`)
      .get(...where.params, ordinal) as { r: number } | undefined;
    return row?.r;
  } catch {
    return undefined;
  }
}
