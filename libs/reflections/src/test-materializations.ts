import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseTypeName } from '@tributary/common';
import { DuckDbOracle } from '@tributary/common/testing';
import type { TableRef } from '@tributary/plan';
import {
  definingSql,
  quoteSqlIdentifier,
  type ReflectionCandidate,
  type ReflectionDefinition,
} from './reflection-definition.ts';

const TPCH_PARQUET = '/work/shared/data/tpch/sf0.01/parquet';

/**
 * Materializations for plan tests, written as the builder writes them: the defining query's
 * result in a Parquet file (here by DuckDB over the TPC-H files), described as a Parquet
 * table with its row count, so matching reads real column names and types.
 */
export class TestMaterializations {
  private constructor(
    private readonly oracle: DuckDbOracle,
    readonly folder: string,
  ) {}

  /** `views`: [space, name, SQL over tpch.*] created in DuckDB too, so reflections on them build. */
  static async open(
    views: readonly (readonly [string, string, string])[] = [],
  ): Promise<TestMaterializations> {
    const oracle = await DuckDbOracle.open([{ schema: 'tpch', format: 'parquet', folder: TPCH_PARQUET }]);
    for (const [space, name, sql] of views) {
      await oracle.run(`CREATE SCHEMA IF NOT EXISTS ${quoteSqlIdentifier(space)}`);
      await oracle.run(`CREATE VIEW ${quoteSqlIdentifier(space)}.${quoteSqlIdentifier(name)} AS ${sql}`);
    }
    return new TestMaterializations(oracle, mkdtempSync(path.join(tmpdir(), 'reflections-')));
  }

  /** Builds `definition` now; `built` overrides the materialization's fields (builtAt, snapshot). */
  async candidate(
    definition: ReflectionDefinition,
    sortBy: readonly string[] = [],
  ): Promise<ReflectionCandidate> {
    const file = path.join(this.folder, `${definition.id}.parquet`);
    const order = sortBy.length ? ` ORDER BY ${sortBy.map(quoteSqlIdentifier).join(', ')}` : '';
    await this.oracle.run(
      `COPY (SELECT * FROM (${definingSql(definition)})${order}) TO '${file}' (FORMAT PARQUET, ROW_GROUP_SIZE 2048)`,
    );
    const described = await this.oracle.describe(`SELECT * FROM '${file}'`);
    const [{ n }] = await this.oracle.rowObjects(`SELECT count(*)::INTEGER AS n FROM '${file}'`);
    const rows = Number(n);
    const table: TableRef = {
      source: '__reflections',
      table: definition.id,
      sourceType: 'parquet',
      columns: described.map((c) => ({ name: c.name, type: parseTypeName(c.duckdbType)! })),
      location: { path: file },
      rowCount: rows,
      statistics: { rowCount: rows },
    };
    return {
      definition,
      status: 'CAN_ACCELERATE',
      materialization: {
        id: `${definition.id}-m1`,
        reflectionId: definition.id,
        table,
        builtAt: Date.now(),
        rows,
        bytes: 0,
        snapshot: [],
      },
    };
  }

  close(): void {
    this.oracle.close();
    rmSync(this.folder, { recursive: true, force: true });
  }
}
