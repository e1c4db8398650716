import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Compression, WriterPropertiesBuilder, readParquet, writeParquet } from 'parquet-wasm/node';
import type { HotRange } from './mutate-bytes.ts';

/** One clean file a corruption campaign mutates, and the ranges of it a reader trusts most. */
export interface BaseFile {
  readonly bytes: Buffer;
  readonly hot: readonly HotRange[];
}

const ORDERS_ROWS = 400;

/**
 * The clean files of the campaign, small so thousands of mutations stay cheap: 400 TPC-H
 * orders as CSV (with a header) and as Parquet (row groups of 100 rows, dictionary pages,
 * DECIMAL, DATE and strings), and a SQLite database of 1 KB pages with orders, nation and an
 * index, built with better-sqlite3.
 */
export async function writeBaseFiles(
  tpchParquet: string,
  folder: string,
): Promise<{ csv: BaseFile; parquet: BaseFile; sqlite: BaseFile }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const csvFile = path.join(folder, 'base.csv');
  const plainParquet = path.join(folder, 'plain.parquet');
  const orders = `SELECT * FROM read_parquet('${path.join(tpchParquet, 'orders.parquet')}') ORDER BY o_orderkey LIMIT ${ORDERS_ROWS}`;
  await connection.run(`COPY (${orders}) TO '${csvFile}' (HEADER)`);
  await connection.run(`COPY (${orders}) TO '${plainParquet}' (FORMAT parquet)`);
  const nation = (
    await connection.runAndReadAll(
      `SELECT n_nationkey, n_name, n_regionkey, n_comment FROM read_parquet('${path.join(tpchParquet, 'nation.parquet')}')`,
    )
  ).getRowsJS() as unknown[][];
  const orderRows = (
    await connection.runAndReadAll(
      `SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice::DOUBLE, o_orderdate::VARCHAR, o_orderpriority, o_clerk, o_shippriority, o_comment FROM (${orders})`,
    )
  ).getRowsJS() as unknown[][];
  connection.closeSync();
  instance.closeSync();

  const csvBytes = readFileSync(csvFile);
  const csv: BaseFile = { bytes: csvBytes, hot: [{ start: 0, end: csvBytes.indexOf(0x0a) + 1 }] };

  // DuckDB cuts row groups at 2,048 rows at the least; parquet-wasm's writer cuts them anywhere.
  const table = readParquet(new Uint8Array(readFileSync(plainParquet)));
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(100)
    .build();
  const parquetBytes = Buffer.from(writeParquet(table, properties));
  const footerLength = parquetBytes.readUInt32LE(parquetBytes.length - 8);
  const parquet: BaseFile = {
    bytes: parquetBytes,
    hot: [
      { start: parquetBytes.length - 8 - footerLength, end: parquetBytes.length },
      { start: 0, end: 4 },
    ],
  };

  const sqliteFile = path.join(folder, 'base.sqlite');
  rmSync(sqliteFile, { force: true });
  const db = new Database(sqliteFile);
  db.pragma('page_size = 1024');
  db.pragma('journal_mode = DELETE');
  db.exec(`CREATE TABLE nation (n_nationkey INTEGER PRIMARY KEY, n_name TEXT, n_regionkey INTEGER, n_comment TEXT);
    CREATE TABLE orders (o_orderkey INTEGER PRIMARY KEY, o_custkey INTEGER, o_orderstatus TEXT, o_totalprice REAL,
      o_orderdate TEXT, o_orderpriority TEXT, o_clerk TEXT, o_shippriority INTEGER, o_comment TEXT);
    CREATE INDEX orders_custkey ON orders (o_custkey);`);
  const insertNation = db.prepare('INSERT INTO nation VALUES (?, ?, ?, ?)');
  const insertOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const row of nation) insertNation.run(...row.map(sqliteValue));
    for (const row of orderRows) insertOrder.run(...row.map(sqliteValue));
  })();
  db.close();
  const sqliteBytes = readFileSync(sqliteFile);
  const pageSize = 1024;
  // The header and schema page, and every b-tree page's own header (its first 12 bytes).
  const hot: HotRange[] = [{ start: 0, end: pageSize }];
  for (let page = pageSize; page < sqliteBytes.length; page += pageSize)
    hot.push({ start: page, end: page + 12 });
  writeFileSync(sqliteFile, sqliteBytes);
  return { csv, parquet, sqlite: { bytes: sqliteBytes, hot } };
}

function sqliteValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}
