import { columnBuffers, isValid, type ColumnDescriptor } from '@tributary/common';
import type { RecordBatch } from 'apache-arrow';
import { connectorFor } from './connector-registry.ts';
import { duckdb } from './test-support.ts';

function render(batches: RecordBatch[], cols: readonly ColumnDescriptor[]): string[][] {
  const out: string[][] = [];
  for (const b of batches) {
    const bufs = cols.map((d, i) => columnBuffers(b.data.children[i], d.type));
    for (let r = 0; r < b.numRows; r++) {
      out.push(cols.map((d, i) => {
        const c = bufs[i];
        if (!isValid(c.validity, r)) return 'NULL';
        const k = d.type.kind;
        if (k === 'VARCHAR') return Buffer.from(c.values.buffer, c.values.byteOffset + c.offsets![r], c.offsets![r + 1] - c.offsets![r]).toString('utf8');
        if (k === 'BOOLEAN') return ((c.values[r >> 3] >> (r & 7)) & 1) ? 'true' : 'false';
        if (k === 'BIGINT' || k === 'TIMESTAMP') { const w = new BigInt64Array(c.values.buffer, c.values.byteOffset, c.length); const v = w[r]; return String(v); }
        if (k === 'DECIMAL') { const w = new BigUint64Array(c.values.buffer, c.values.byteOffset, c.length * 2); let v = (BigInt.asIntN(64, w[2 * r + 1]) << 64n) | w[2 * r]; const s = (d.type as any).scale; const neg = v < 0n; if (neg) v = -v; let t = v.toString().padStart(s + 1, '0'); if (s) t = t.slice(0, -s) + '.' + t.slice(-s); return (neg ? '-' : '') + t; }
        if (k === 'DATE') return new Date((c.values as Int32Array)[r] * 86400000).toISOString().slice(0, 10);
        return String((c.values as any)[r]);
      }));
    }
  }
  return out;
}

function renderDuck(v: unknown, _kind: string): string {
  if (v === null || v === undefined) return 'NULL';
  return String(v);
  if (kind === 'TIMESTAMP') { const x = v as Date; return x instanceof Date ? x.toISOString() : String(v); }
  if (kind === 'DATE') return v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
  return String(v);
}

export async function probe(type: 'csv' | 'parquet' | 'sqlite', path: string, options: Record<string, unknown>, duckFrom: string | null) {
  const c = connectorFor(type);
  let tables;
  try { tables = await c.discover(path, options, { roots: ['/tmp'] }); } catch (e) { console.log('DISCOVER ERROR', (e as any).code, (e as Error).message); return; }
  for (const t of tables) {
    const ref = { source: 's', table: t.name, sourceType: type, columns: t.columns, location: t.location, rowCount: t.rowCount } as any;
    console.log('table', t.name, t.columns.map((x) => `${x.name}:${x.type.kind}${x.type.kind === 'DECIMAL' ? `(${(x.type as any).precision},${(x.type as any).scale})` : ''}`).join(' '));
    const req = { columns: t.columns.map((_, i) => i), filters: [], limit: null };
    let rows: string[][] = [];
    try {
      const splits = await c.planSplits(ref, req, 4);
      for (const s of splits) { const bs = []; for await (const b of c.scan(ref, s, req)) bs.push(b); rows.push(...render(bs, t.columns)); }
    } catch (e) { console.log('SCAN ERROR', (e as any).code, (e as Error).message); continue; }
    console.log('rows', rows.length);
    if (duckFrom) {
      const kinds = t.columns.map((x) => x.type.kind);
      const sel = t.columns.map((x, i) => (kinds[i] === 'TIMESTAMP' ? `epoch_us("#${i+1}")::VARCHAR` : kinds[i] === 'BOOLEAN' ? `"#${i+1}"::BOOLEAN::VARCHAR` : `"#${i+1}"::VARCHAR`)).join(',');
      let d: unknown[][];
      try { d = await duckdb(`SELECT ${sel} FROM (SELECT COLUMNS(*) FROM ${duckFrom}) t(${t.columns.map((_, i) => `"#${i+1}"`).join(',')})`); } catch (e) { console.log('DUCK ERROR', (e as Error).message.slice(0, 200)); continue; }
      const dr = d.map((r) => r.map((v, i) => renderDuck(v, kinds[i] ?? '')));
      if (dr.length !== rows.length) console.log('ROWCOUNT MISMATCH duck', dr.length);
      let shown = 0;
      for (let i = 0; i < Math.min(dr.length, rows.length) && shown < 8; i++) {
        for (let j = 0; j < rows[i].length; j++) {
          const a = rows[i][j], b = dr[i][j];
          if (a === b) continue;
                    if ((kinds[j] === 'DOUBLE' || kinds[j] === 'DECIMAL') && Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(b)))) continue;
          console.log(`  DIFF row ${i} col ${t.columns[j].name}: ours=${JSON.stringify(a)} duck=${JSON.stringify(b)}`); shown++;
        }
      }
    } else console.log(rows.slice(0, 5));
  }
}
