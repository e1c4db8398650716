import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compareResults } from './compare-results.ts';
import { DuckDbOracle } from './duckdb-oracle.ts';
import { tpchRoot } from './harness.ts';
import { forSource, hasOrderBy } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

const url = process.argv[2]!;
const file = process.argv[3]!;
const sources = (process.argv[4] ?? 'tcsv,tpq,tsql').split(',');
const sf001 = path.join(tpchRoot, 'sf0.01');
const client = new TributaryClient(() => url);
const defs: Record<string, { type: string; path: string; fmt: string; folder: string }> = {
  tcsv: { type: 'csv', path: path.join(sf001, 'csv'), fmt: 'csv', folder: path.join(sf001, 'csv') },
  tpq: { type: 'parquet', path: path.join(sf001, 'parquet'), fmt: 'parquet', folder: path.join(sf001, 'parquet') },
  tsql: { type: 'sqlite', path: path.join(sf001, 'sqlite', 'tpch.db'), fmt: 'parquet', folder: path.join(sf001, 'parquet') },
};
for (const s of sources) {
  try { await client.addSource({ name: s, type: defs[s]!.type, path: defs[s]!.path }); } catch { /* exists */ }
}
const oracle = await DuckDbOracle.open(sources.map((s) => ({ schema: s, format: defs[s]!.fmt, folder: defs[s]!.folder })));
const queries = readFileSync(file, 'utf8').split(/^;;\s*$/m).map((q) => q.trim()).filter((q) => q && !q.startsWith('--skip'));
let bad = 0;
for (const q of queries) {
  for (const s of sources) {
    const sql = forSource(q, s);
    let expected;
    try { expected = await oracle.query(sql); } catch (e) { console.log(`DUCKERR [${s}] ${q.slice(0, 200)}\n  ${String(e).slice(0, 300)}`); break; }
    try {
      const actual = await client.sql(sql, 60000);
      const problems = compareResults(actual, expected, { ordered: hasOrderBy(sql), tolerantNumbers: s === 'tsql', maxProblems: 3 });
      const types = actual.columns.map((c) => c.type).join(',');
      if (problems.length) { bad++; console.log(`MISMATCH [${s}] ${q}\n  ${problems.join('\n  ')}\n  types=${types} duck=${expected.columns.map((c) => c.type).join(',')}\n  got=${JSON.stringify(actual.rows.slice(0, 3))}\n  exp=${JSON.stringify(expected.rows.slice(0, 3))}`); }
    } catch (e) { bad++; console.log(`ERROR [${s}] ${q}\n  ${String(e).slice(0, 600)}`); }
  }
}
console.log(`done: ${queries.length} queries, ${bad} problems`);
oracle.close();
