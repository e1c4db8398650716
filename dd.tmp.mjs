import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
for (const q of process.argv.slice(2)) {
  try {
  const r = await c.runAndReadAll(q);
  console.log(r.columnNames(), r.columnTypes().map(String), JSON.stringify(r.getRows().slice(0,12), (k,v)=> typeof v==='bigint'? String(v): v));
  } catch (e) { console.log('ERR', e.message); }
}
