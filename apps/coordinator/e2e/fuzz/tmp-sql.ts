import path from 'node:path';
import { readFileSync } from 'node:fs';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { startTributary, tpchRoot } from '../harness.ts';
import { TributaryClient } from '../tributary-client.ts';
const service = await startTributary({ executors: 2 });
const client = new TributaryClient(() => service.url);
const folder = path.join(tpchRoot, 'sf0.01', 'parquet');
await client.addSource({ name: 'tpq', type: 'parquet', path: folder });
const oracle = await DuckDbOracle.open([{ schema: 'tpq', format: 'parquet', folder }]);
for (const sql of readFileSync(process.argv[2], 'utf8')
  .split(';\n')
  .map((s) => s.trim())
  .filter((s) => s)) {
  let a: unknown;
  let e: unknown;
  try {
    a = await client.sql(sql);
  } catch (x) {
    a = String(x).slice(0, 300);
  }
  try {
    e = await oracle.query(sql);
  } catch (x) {
    e = String(x).slice(0, 300);
  }
  const problems =
    typeof a === 'object' && typeof e === 'object'
      ? compareResults(a as never, e as never, { ordered: /order by/i.test(sql) })
      : ['error'];
  console.log(
    'SQL',
    sql.slice(0, 200),
    '\n  ',
    problems.length === 0
      ? 'OK'
      : JSON.stringify({
          problems,
          a: typeof a === 'object' ? (a as { rows: unknown[] }).rows.slice(0, 3) : a,
          e: typeof e === 'object' ? (e as { rows: unknown[] }).rows.slice(0, 3) : e,
        }),
  );
}
oracle.close();
await service.dispose();
