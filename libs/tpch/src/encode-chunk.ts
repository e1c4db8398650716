import { tableToIPC, Table } from 'apache-arrow';
import {
  BIGINT,
  DATE,
  decimal,
  INTEGER,
  makeRecordBatch,
  VARCHAR,
  type ColumnBuffers,
  type ColumnDescriptor,
  type SqlType,
} from '@tributary/common';
import { CsvBytes } from './csv-bytes.ts';
import type { TableChunk } from './table-chunk.ts';
import { dateText } from './tpch-dates.ts';
import { TPCH_SCHEMA, type TpchColumnType, type TpchTableName } from './tpch-schema.ts';

/** Money and quantities: DECIMAL(15,2) as in the specification and the shared files. */
const MONEY = decimal(15, 2);

export function sqlType(type: TpchColumnType): SqlType {
  switch (type) {
    case 'BIGINT':
      return BIGINT;
    case 'INTEGER':
      return INTEGER;
    case 'DECIMAL':
      return MONEY;
    case 'DATE':
      return DATE;
    case 'VARCHAR':
      return VARCHAR;
  }
}

export function tableDescriptors(table: TpchTableName): ColumnDescriptor[] {
  return TPCH_SCHEMA[table].map((c) => ({ name: c.name, type: sqlType(c.type) }));
}

export function csvHeader(table: TpchTableName): string {
  return TPCH_SCHEMA[table].map((c) => c.name).join(',') + '\n';
}

/** The rows of a chunk as CSV lines (no header), each ending in a newline. */
export function encodeCsv(chunk: TableChunk): Uint8Array {
  const types = TPCH_SCHEMA[chunk.table].map((c) => c.type);
  const out = new CsvBytes(chunk.length * 24 * types.length);
  const columns = chunk.columns;
  for (let row = 0; row < chunk.length; row++) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out.byte(44);
      const column = columns[c];
      if (!(column instanceof Float64Array)) out.field(column[row]);
      else if (types[c] === 'DECIMAL') out.cents(column[row]);
      else if (types[c] === 'DATE') out.ascii(dateText(column[row]));
      else out.integer(column[row]);
    }
    out.byte(10);
  }
  // A copy of exactly the bytes written, so the buffer can be handed to another thread whole.
  return out.result().slice();
}

function columnBuffers(values: Float64Array | string[], type: SqlType, length: number): ColumnBuffers {
  if (!(values instanceof Float64Array)) {
    // TPC-H text is ASCII: a character is a byte, so offsets follow from the lengths.
    const offsets = new Int32Array(length + 1);
    for (let i = 0; i < length; i++) offsets[i + 1] = offsets[i] + values[i].length;
    const bytes = Buffer.from(values.join(''), 'latin1');
    return { type, length, values: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), offsets };
  }
  if (type.kind === 'BIGINT') {
    const out = new BigInt64Array(length);
    const words = new Int32Array(out.buffer);
    for (let i = 0; i < length; i++) {
      const v = values[i];
      words[2 * i] = (v % 4294967296) | 0;
      words[2 * i + 1] = Math.floor(v / 4294967296);
    }
    return { type, length, values: out };
  }
  if (type.kind === 'DECIMAL') {
    const out = new Uint32Array(length * 4);
    for (let i = 0; i < length; i++) {
      const v = values[i];
      const high = Math.floor(v / 4294967296);
      out[4 * i] = v - high * 4294967296;
      out[4 * i + 1] = high >>> 0;
      const sign = v < 0 ? 0xffffffff : 0;
      out[4 * i + 2] = sign;
      out[4 * i + 3] = sign;
    }
    return { type, length, values: out };
  }
  return { type, length, values: Int32Array.from(values) };
}

/** The chunk as one Arrow record batch in IPC stream form (for the Parquet writer). */
export function encodeArrowIpc(chunk: TableChunk): Uint8Array {
  const descriptors = tableDescriptors(chunk.table);
  const buffers = chunk.columns.map((values, c) => columnBuffers(values, descriptors[c].type, chunk.length));
  const batch = makeRecordBatch(descriptors, buffers, chunk.length);
  return tableToIPC(new Table([batch]), 'stream');
}
