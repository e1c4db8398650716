import { describe, expect, it } from 'vitest';
import type { ColumnDescriptor } from '@tributary/common';
import type { ColumnStatistics } from '@tributary/plan';
import type { Connector, DiscoveredTable } from '../connector.ts';
import { CsvConnector } from '../csv/csv-connector.ts';
import { ParquetConnector } from '../parquet/parquet-connector.ts';
import { SqliteConnector } from '../sqlite/sqlite-connector.ts';
import { DuckDbOracle } from '@tributary/common/testing';
import { duckdb } from '../test-support.ts';

type Query = (sql: string) => Promise<unknown[][]>;

const DATA = '/work/shared/data/tpch';
const ROOTS = [DATA];

/** Sample-based distinct estimates must lie within this factor of DuckDB's exact count. */
const DISTINCT_FACTOR = 2;
/** Row counts estimated from a CSV sample's bytes per row: within this share of the truth. */
const CSV_ROWS_TOLERANCE = 0.03;

interface Truth {
  rows: number;
  min: unknown;
  max: unknown;
  nulls: number;
  distinct: number;
}

/** A column as an expression yielding its literal representation (DATE days, DECIMAL unscaled). */
function literalSql(c: ColumnDescriptor): string {
  const name = `"${c.name}"`;
  switch (c.type.kind) {
    case 'DATE':
      return `(${name} - DATE '1970-01-01')`;
    case 'DECIMAL':
      return `(${name} * ${10 ** c.type.scale})::BIGINT`;
    case 'TIMESTAMP':
      return `epoch_us(${name})`;
    default:
      return name;
  }
}

/** Exact statistics of every column of `relation` from DuckDB, values as literals. */
async function truth(
  relation: string,
  columns: readonly ColumnDescriptor[],
  query: Query,
): Promise<Map<string, Truth>> {
  const out = new Map<string, Truth>();
  for (const c of columns) {
    const v = literalSql(c);
    const [[rows, min, max, nulls, distinct]] = await query(
      `SELECT count(*), min(${v}), max(${v}), count(*) - count(${v}), count(DISTINCT ${v}) FROM ${relation}`,
    );
    const num = (x: unknown) => (typeof x === 'bigint' ? Number(x) : x);
    out.set(c.name, {
      rows: Number(rows),
      min: num(min),
      max: num(max),
      nulls: Number(nulls),
      distinct: Number(distinct),
    });
  }
  return out;
}

function withinFactor(where: string, estimate: number | undefined, exact: number, factor: number): void {
  expect(estimate, where).toBeDefined();
  expect(estimate!, `${where}: ${estimate} vs ${exact}`).toBeGreaterThanOrEqual(exact / factor);
  expect(estimate!, `${where}: ${estimate} vs ${exact}`).toBeLessThanOrEqual(exact * factor);
}

async function discover(connector: Connector, path: string): Promise<DiscoveredTable[]> {
  return connector.discover(path, {}, { roots: ROOTS });
}

/**
 * Checks one table's statistics against DuckDB's exact values: row count, NULL count and
 * min/max exact where the connector says they are (footers, whole samples), bounded by the
 * truth where they are a sample's; distinct counts exact or within DISTINCT_FACTOR.
 */
async function check(table: DiscoveredTable, relation: string, query: Query = duckdb): Promise<void> {
  const stats = table.statistics!;
  expect(stats).toBeDefined();
  const exact = await truth(relation, table.columns, query);
  const rows = exact.get(table.columns[0].name)!.rows;
  if (table.columns.some((c) => stats.columns![c.name]?.sampled))
    expect(Math.abs(stats.rowCount! - rows) / rows).toBeLessThanOrEqual(CSV_ROWS_TOLERANCE);
  else expect(stats.rowCount).toBe(rows);
  for (const c of table.columns) {
    const t = exact.get(c.name)!;
    const s: ColumnStatistics = stats.columns![c.name];
    const where = `${table.name}.${c.name}`;
    if (s.sampled) {
      // A sample's bounds lie within the column's.
      if (s.min !== undefined) {
        expect((s.min as number) >= (t.min as number), where).toBe(true);
        expect((s.max as number) <= (t.max as number), where).toBe(true);
      }
      withinFactor(where, s.distinctCount, t.distinct, DISTINCT_FACTOR);
      continue;
    }
    expect({ where, min: s.min, max: s.max, nulls: s.nullCount }).toEqual({
      where,
      min: t.min,
      max: t.max,
      nulls: t.nulls,
    });
    withinFactor(where, s.distinctCount, t.distinct, DISTINCT_FACTOR);
  }
}

describe('connector statistics agree with DuckDB over the same files', () => {
  it('Parquet (SF 0.1, several row groups): exact rows, min/max and nulls from footers; distinct estimates', async () => {
    const tables = await discover(new ParquetConnector(), `${DATA}/sf0.1/parquet`);
    for (const table of tables)
      await check(table, `read_parquet('${DATA}/sf0.1/parquet/${table.name}.parquet')`);
  }, 120_000);

  it('CSV (SF 0.01): exact when the sample is the whole file, sampled bounds and estimates otherwise', async () => {
    const tables = await discover(new CsvConnector(), `${DATA}/sf0.01/csv`);
    const lineitem = tables.find((t) => t.name === 'lineitem')!;
    expect(lineitem.statistics!.columns!.l_orderkey.sampled).toBe(true);
    expect(tables.find((t) => t.name === 'orders')!.statistics!.columns!.o_orderkey.sampled).toBeUndefined();
    for (const table of tables) await check(table, `read_csv('${DATA}/sf0.01/csv/${table.name}.csv')`);
  }, 120_000);

  it('SQLite (SF 0.01): small tables read whole, lineitem sampled in rowid pieces', async () => {
    const tables = await discover(new SqliteConnector(), `${DATA}/sf0.01/sqlite/tpch.db`);
    const oracle = await DuckDbOracle.open([
      { schema: 'tpch', format: 'sqlite', file: `${DATA}/sf0.01/sqlite/tpch.db` },
    ]);
    expect(tables.find((t) => t.name === 'lineitem')!.statistics!.columns!.l_orderkey.sampled).toBe(true);
    for (const table of tables) await check(table, `tpch.${table.name}`, (sql) => oracle.rowsJs(sql));
    oracle.close();
  }, 120_000);
});
