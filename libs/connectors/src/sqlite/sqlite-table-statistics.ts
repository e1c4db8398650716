import type Database from 'better-sqlite3';
import { parseDecimal, parseTimestamp, type SqlType } from '@tributary/common';
import type { ColumnStatistics, LiteralValue, TableStatistics } from '@tributary/plan';
import { parseIsoDate } from '../iso-date.ts';
import { ColumnSample } from '../statistics/column-sample.ts';
import { quoteIdentifier } from './sqlite-location.ts';

/** A table of at most this many rows is read whole: its statistics are then exact. */
export const SQLITE_WHOLE_TABLE_ROWS = 20_000;
/** Larger rowid tables are sampled in this many pieces of consecutive rowids… */
const SAMPLE_PARTS = 8;
/** …of this many rows each. */
const SAMPLE_PART_ROWS = 1024;

/** A SQLite value as the literal of the column's type, as the scanner reads it; undefined when it would not. */
function literalOf(v: unknown, type: SqlType): LiteralValue | undefined {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'BIGINT':
    case 'INTEGER':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      return undefined;
    case 'DOUBLE':
      return typeof v === 'number' ? v : undefined;
    case 'DECIMAL': {
      const scale = 10 ** type.scale;
      if (typeof v === 'number') return v < 0 ? -Math.round(-v * scale) : Math.round(v * scale);
      return typeof v === 'string' ? parseDecimal(v, type.scale) : undefined;
    }
    case 'DATE':
      return typeof v === 'string' ? parseIsoDate(v) : undefined;
    case 'TIMESTAMP':
      return typeof v === 'string' ? parseTimestamp(v) : undefined;
    case 'BOOLEAN':
      if (v === 0 || v === 1) return v === 1;
      return typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() === 'true' : undefined;
    case 'VARCHAR':
      return typeof v === 'string' ? v : String(v);
    default:
      return undefined;
  }
}

export interface SqliteStatisticsTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  readonly hasRowid: boolean;
  readonly rowCount: number;
}

/** Leading columns of the table's indexes (and its INTEGER PRIMARY KEY): min/max of them cost a seek. */
function indexedColumns(db: Database.Database, table: string): Map<string, string | undefined> {
  const leading = new Map<string, string | undefined>();
  const info = db.prepare(`PRAGMA table_info(${quoteIdentifier(table)})`).all() as {
    name: string;
    type: string;
    pk: number;
  }[];
  const pks = info.filter((c) => c.pk > 0);
  if (pks.length === 1 && /^INTEGER$/i.test(pks[0].type.trim())) leading.set(pks[0].name, undefined);
  const indexes = db.prepare(`PRAGMA index_list(${quoteIdentifier(table)})`).all() as {
    name: string;
    partial: number;
  }[];
  for (const index of indexes) {
    if (index.partial) continue;
    const first = (
      db.prepare(`PRAGMA index_info(${quoteIdentifier(index.name)})`).all() as {
        seqno: number;
        name: string | null;
      }[]
    ).find((c) => c.seqno === 0);
    if (first?.name) leading.set(first.name, index.name);
  }
  return leading;
}

/** Distinct counts of indexes' leading columns from sqlite_stat1 (ANALYZE): nrow / rows per key. */
function stat1Distinct(db: Database.Database, table: string, leading: Map<string, string | undefined>) {
  const distinct = new Map<string, number>();
  const hasStat1 = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
    .get();
  if (!hasStat1) return distinct;
  const rows = db.prepare('SELECT idx, stat FROM sqlite_stat1 WHERE tbl = ?').all(table) as {
    idx: string | null;
    stat: string;
  }[];
  for (const [column, index] of leading) {
    const row = rows.find((r) => r.idx !== null && r.idx === index);
    const [nrow, perKey] = (row?.stat ?? '').split(' ').map(Number);
    if (index !== undefined && Number.isFinite(nrow) && Number.isFinite(perKey) && perKey > 0)
      distinct.set(column, Math.max(1, Math.round(nrow / perKey)));
  }
  return distinct;
}

/**
 * A SQLite table's statistics without a full scan: a small table is read whole (exact);
 * a larger rowid table is sampled in pieces of consecutive rowids spread over its rowid
 * range (each piece one index seek), a view or WITHOUT ROWID table through its first rows.
 * Indexed columns (and an INTEGER PRIMARY KEY) get exact min/max from two seeks, and distinct
 * counts from sqlite_stat1 when ANALYZE wrote one; the rest come from the sample
 * (ColumnSample: min/max marked `sampled`, distinct by Duj1 or the run rate of a clustered column).
 */
export function sqliteTableStatistics(db: Database.Database, table: SqliteStatisticsTable): TableStatistics {
  const quoted = quoteIdentifier(table.name);
  const list = table.columns.map((c) => quoteIdentifier(c.name)).join(', ');
  const samples = table.columns.map(
    (c) => new ColumnSample(c.type.kind !== 'VARCHAR' && c.type.kind !== 'BOOLEAN'),
  );
  const addRows = (rows: unknown[][]) => {
    for (const s of samples) s.startPart();
    for (const row of rows)
      table.columns.forEach((c, i) => {
        const value = literalOf(row[i], c.type);
        // A value the scanner would refuse counts as present, not bounded.
        samples[i].add(value === undefined ? String(row[i]) : value);
      });
  };
  if (table.rowCount <= SQLITE_WHOLE_TABLE_ROWS) {
    addRows(db.prepare(`SELECT ${list} FROM ${quoted}`).raw(true).all() as unknown[][]);
  } else if (table.hasRowid) {
    const { lo, hi } = db.prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${quoted}`).get() as {
      lo: number;
      hi: number;
    };
    const piece = db.prepare(
      `SELECT ${list} FROM ${quoted} WHERE rowid >= ? ORDER BY rowid LIMIT ${SAMPLE_PART_ROWS}`,
    );
    for (let k = 0; k < SAMPLE_PARTS; k++) {
      const from = Math.floor(lo + ((hi - lo + 1) * k) / SAMPLE_PARTS);
      addRows(piece.raw(true).all(from) as unknown[][]);
    }
  } else {
    addRows(
      db
        .prepare(`SELECT ${list} FROM ${quoted} LIMIT ${SAMPLE_PARTS * SAMPLE_PART_ROWS}`)
        .raw(true)
        .all() as unknown[][],
    );
  }
  const exact = table.rowCount <= SQLITE_WHOLE_TABLE_ROWS;
  const leading = exact ? new Map<string, string | undefined>() : indexedColumns(db, table.name);
  const analyzed = exact ? new Map<string, number>() : stat1Distinct(db, table.name, leading);
  const columns: Record<string, ColumnStatistics> = {};
  table.columns.forEach((c, i) => {
    let stats = samples[i].statistics(table.rowCount);
    const distinct = analyzed.get(c.name);
    if (distinct !== undefined) stats = { ...stats, distinctCount: distinct };
    if (leading.has(c.name)) {
      const column = quoteIdentifier(c.name);
      const bounds = db.prepare(`SELECT min(${column}) AS lo, max(${column}) AS hi FROM ${quoted}`).get() as {
        lo: unknown;
        hi: unknown;
      };
      const min = literalOf(bounds.lo, c.type);
      const max = literalOf(bounds.hi, c.type);
      if (
        min !== undefined &&
        min !== null &&
        max !== undefined &&
        max !== null &&
        typeof min === typeof max
      ) {
        const { sampled: _sampled, ...rest } = stats;
        stats = { ...rest, min, max };
      }
    }
    columns[c.name] = stats;
  });
  return { rowCount: table.rowCount, columns };
}
