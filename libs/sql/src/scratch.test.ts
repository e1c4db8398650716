import { it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { typeToString } from '@tributary/common';
import { bindSql } from './bind-sql.ts';
import { tpchCatalog } from './tpch-catalog-fixture.ts';
import * as cases from '../../../apps/coordinator/e2e/sql-cases.ts';
it('scratch', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run('create schema tpch');
  for (const t of tpchCatalog.tables().filter((x) => x.source === 'tpch')) {
    await c.run(`create table tpch.${t.table} (${t.columns.map((x) => `${x.name} ${typeToString(x.type)}`).join(', ')})`);
  }
  const all: { name: string; sql: string }[] = [];
  for (const v of Object.values(cases)) {
    if (Array.isArray(v)) all.push(...(v as { name: string; sql: string }[]));
    else if (typeof v === 'string') all.push({ name: 'const', sql: v });
  }
  let same = 0;
  for (const q of all) {
    const sql = q.sql.replace(/\{s\}/g, 'tpch');
    let ours: string[];
    try {
      ours = bindSql(sql, tpchCatalog, { context: ['tpch'] }).plan.schema.map((f) => `${f.name}:${typeToString(f.type)}`);
    } catch { continue; }
    const r = await c.runAndReadAll(`DESCRIBE ${sql}`);
    const theirs = r.getRowObjects().map((x) => `${String(x.column_name)}:${String(x.column_type).replace('HUGEINT', 'BIGINT')}`);
    if (JSON.stringify(ours) === JSON.stringify(theirs)) same++;
    else console.log(q.name, '|', sql.replace(/\s+/g, ' ').slice(0, 250), '\n ours  ', ours.join(', '), '\n duck  ', theirs.join(', '));
  }
  console.log('same', same, 'of', all.length);
});
