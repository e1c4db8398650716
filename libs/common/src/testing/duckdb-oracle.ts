import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { shortestFloat } from '../float-text.ts';
import type { ComparableResult } from './compare-results.ts';
import { loadSqliteTables } from './load-sqlite-tables.ts';
import { quoteIdentifier, quoteLiteral } from './quote-sql.ts';
import { tributaryTypeName } from './tributary-type-name.ts';

export const TPCH_TABLES = [
  'region',
  'nation',
  'supplier',
  'customer',
  'part',
  'partsupp',
  'orders',
  'lineitem',
] as const;

/**
 * One schema of the oracle: `schema.table` reads `table` from a folder of CSV or Parquet
 * files (views over read_csv / read_parquet, as Tributary reads them), or from a SQLite file
 * (tables copied in with the sqlite scanner's types, see loadSqliteTables).
 */
export type OracleSchema =
  | { schema: string; format: 'csv' | 'parquet'; folder: string; tables?: readonly string[] }
  | { schema: string; format: 'sqlite'; file: string; tables?: readonly string[] };

/** A result column as DuckDB types it. */
export interface OracleColumn {
  name: string;
  /** The Tributary type name this DuckDB type must come out as (tributaryTypeName). */
  type: string;
  /** DuckDB's own type name. */
  duckdbType: string;
}

export interface OracleResult extends ComparableResult {
  columns: readonly OracleColumn[];
}

/**
 * DuckDB over the very same files Tributary reads, with one schema per Tributary source so
 * the same SQL text runs on both: the one DuckDB oracle of every test. Without schemas it is
 * a plain in-memory DuckDB for unit tests that build their own tables.
 */
export class DuckDbOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(schemas: readonly OracleSchema[] = []): Promise<DuckDbOracle> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    // Tributary's session time zone: zoned timestamps print and cast in UTC whatever the host's.
    await connection.run("SET TimeZone = 'UTC'");
    for (const s of schemas) {
      await connection.run(`CREATE SCHEMA ${quoteIdentifier(s.schema)}`);
      if (s.format === 'sqlite') {
        await loadSqliteTables(connection, s.schema, s.file, s.tables);
        continue;
      }
      for (const table of s.tables ?? TPCH_TABLES) {
        const file = path.join(s.folder, `${table}.${s.format}`);
        const reader = s.format === 'csv' ? 'read_csv' : 'read_parquet';
        await connection.run(
          `CREATE VIEW ${quoteIdentifier(s.schema)}.${quoteIdentifier(table)} AS SELECT * FROM ${reader}(${quoteLiteral(file)})`,
        );
      }
    }
    return new DuckDbOracle(instance, connection);
  }

  /**
   * Runs SQL; rows in DuckDB's JSON form: BIGINT/HUGEINT/DECIMAL as exact strings, DATE as
   * `YYYY-MM-DD`, DOUBLE and INTEGER as numbers, FLOAT as its shortest digits. Columns carry DuckDB's type and the
   * Tributary type it maps to.
   */
  async query(sql: string): Promise<OracleResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const floats = types.map((t) => /^FLOAT(\[\])*$/.test(t));
    const rows = reader.getRowsJson() as unknown[][];
    return {
      columns: names.map((name, i) => ({ name, type: tributaryTypeName(types[i]), duckdbType: types[i] })),
      rows: floats.includes(true)
        ? rows.map((row) => row.map((v, i) => (floats[i] ? shortestFloats(v) : v)))
        : rows,
    };
  }

  /** Runs SQL for its effect (CREATE, COPY, INSERT). */
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Rows as JS values: BIGINT and HUGEINT as bigint, DECIMAL as DuckDBDecimalValue, DATE as DuckDBDateValue. */
  async rowsJs(sql: string): Promise<unknown[][]> {
    return (await this.connection.runAndReadAll(sql)).getRowsJS() as unknown[][];
  }

  /** Rows as objects by column name, values in the JSON form of `query`. */
  async rowObjects(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  }

  /** Output column names and DuckDB types of a query, without running it to the end. */
  async describe(sql: string): Promise<{ name: string; duckdbType: string }[]> {
    const rows = await this.rowObjects(`DESCRIBE ${sql}`);
    return rows.map((r) => ({ name: String(r.column_name), duckdbType: String(r.column_type) }));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * FLOAT values as Tributary's JSON gives them: DuckDB's client widens a FLOAT to the double it
 * holds (0.10000000149011612); its shortest digits (0.1) are what DuckDB itself prints.
 */
function shortestFloats(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shortestFloats);
  return typeof value === 'number' ? shortestFloat(value) : value;
}

let shared: Promise<DuckDbOracle> | undefined;

/** One in-memory oracle per test process, for unit tests that only run self-contained SQL. */
export function sharedDuckDbOracle(): Promise<DuckDbOracle> {
  shared ??= DuckDbOracle.open();
  return shared;
}
