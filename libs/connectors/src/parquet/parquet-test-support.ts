import type { RecordBatch } from 'apache-arrow';
import { columnBuffers, isValid, type ColumnDescriptor } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest } from '../connector.ts';
import { collect, discoveredTableRef, duckdb } from '../test-support.ts';
import { ParquetConnector } from './parquet-connector.ts';

/** Test helpers of the Parquet connector's tests (not exported from the lib). */

/** A discovered table as a scan receives it. */
export function tableRef(t: {
  name: string;
  columns: TableRef['columns'];
  location: TableRef['location'];
  rowCount?: number;
}): TableRef {
  return discoveredTableRef(t, 'parquet');
}

/** All splits of a scan, read one after the other. */
export async function scanAll(
  connector: ParquetConnector,
  t: TableRef,
  req: ScanRequest,
  context: ScanContext,
): Promise<RecordBatch[]> {
  const splits = await connector.planSplits(t, req, 8, context);
  const batches: RecordBatch[] = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, req, context))));
  return batches;
}

function words128(words: Int32Array, i: number): bigint {
  let v = 0n;
  for (let w = 3; w >= 0; w--) v = (v << 32n) | BigInt(words[4 * i + w] >>> 0);
  return BigInt.asIntN(128, v);
}

/**
 * Rows of scanned batches in a canonical text form, comparable with duckdbCanonical's:
 * integers and DECIMALs as their (unscaled) integer text, DATE as days, TIMESTAMP as epoch
 * microseconds, DOUBLE as JS number text, NULL as null.
 */
export function canonicalRows(
  batches: readonly RecordBatch[],
  columns: readonly ColumnDescriptor[],
): unknown[][] {
  const rows: unknown[][] = [];
  for (const batch of batches) {
    const cols = columns.map((c, i) => columnBuffers(batch.data.children[i], c.type));
    for (let r = 0; r < batch.numRows; r++) {
      rows.push(
        cols.map((col) => {
          if (!isValid(col.validity, r)) return null;
          const v = col.values;
          switch (col.type.kind) {
            case 'BOOLEAN':
              return ((v[r >> 3] as number) >> (r & 7)) & 1 ? 'true' : 'false';
            case 'VARCHAR':
              return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString(
                'utf8',
                col.offsets![r],
                col.offsets![r + 1],
              );
            case 'DECIMAL':
            case 'HUGEINT':
              return words128(new Int32Array(v.buffer, v.byteOffset, v.byteLength >> 2), r).toString();
            default:
              return String(v[r]);
          }
        }),
      );
    }
  }
  return rows;
}

/**
 * The DuckDB expression giving `column` (of a DuckDB type name) in canonicalRows' form.
 * TIMESTAMP_NS floors to microseconds as Tributary reads it.
 */
export function duckdbCanonical(column: string, duckdbType: string): string {
  const c = `"${column}"`;
  const t = duckdbType.toUpperCase();
  if (t.startsWith('DECIMAL')) return `replace(${c}::VARCHAR, '.', '')::HUGEINT::VARCHAR`;
  if (t === 'DATE') return `(${c} - DATE '1970-01-01')::VARCHAR`;
  if (t === 'TIMESTAMP_NS') return `floor(epoch_ns(${c}) / 1000)::BIGINT::VARCHAR`;
  if (t.startsWith('TIMESTAMP')) return `epoch_us(${c})::VARCHAR`;
  if (t === 'TIME') return `date_diff('microsecond', TIME '00:00:00', ${c})::VARCHAR`;
  if (t === 'FLOAT' || t === 'DOUBLE') return `${c}::DOUBLE`;
  if (t === 'BOOLEAN') return `${c}::VARCHAR`;
  if (/INT/.test(t)) return `${c}::HUGEINT::VARCHAR`;
  return c;
}

/** DuckDB's rows of `from` (a FROM clause) in canonicalRows' form, in `order` order. */
export async function duckdbRows(from: string, order: string): Promise<unknown[][]> {
  const described = await duckdb<string>(`DESCRIBE SELECT * FROM ${from}`);
  const select = described.map(([name, type]) => duckdbCanonical(name, type)).join(', ');
  const rows = await duckdb(`SELECT ${select} FROM ${from} ORDER BY ${order}`);
  return rows.map((row) => row.map((v) => (typeof v === 'number' ? String(v) : v)));
}
