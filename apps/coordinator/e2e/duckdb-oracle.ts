import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import type { ComparableResult } from './compare-results.ts';

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

/** One schema of views: `schema.table` reads `table` from a folder of CSV or Parquet files. */
export interface OracleSchema {
  schema: string;
  format: 'csv' | 'parquet';
  folder: string;
  tables?: readonly string[];
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function quoteIdentifier(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * DuckDB over the very same files Tributary reads, with one schema of views per Tributary
 * source so the same SQL text runs on both.
 */
export class DuckDbOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(schemas: readonly OracleSchema[]): Promise<DuckDbOracle> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const s of schemas) {
      await connection.run(`CREATE SCHEMA ${quoteIdentifier(s.schema)}`);
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

  /** Runs SQL; BIGINT/HUGEINT/DECIMAL come back as exact strings, dates as `YYYY-MM-DD`. */
  async query(sql: string): Promise<ComparableResult> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    return { columns: names.map((name, i) => ({ name, type: types[i] })), rows: reader.getRowsJson() };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
