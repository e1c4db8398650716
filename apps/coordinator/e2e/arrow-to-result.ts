import { formatDate, formatTimestamp } from '@tributary/common';
import { Type, type Data, type DataType, type Table } from 'apache-arrow';
import type { ComparableResult } from '@tributary/common/testing';

function sqlTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64 ? 'BIGINT' : 'INTEGER';
    case Type.Float:
      return 'DOUBLE';
    case Type.Decimal: {
      const d = type as unknown as { precision: number; scale: number };
      return `DECIMAL(${d.precision},${d.scale})`;
    }
    case Type.Date:
      return 'DATE';
    case Type.Timestamp:
      return (type as unknown as { timezone: string | null }).timezone
        ? 'TIMESTAMP WITH TIME ZONE'
        : 'TIMESTAMP';
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'VARCHAR';
    default:
      return String(type);
  }
}

/** Decimal128 little-endian words → exact decimal text with `scale` fraction digits. */
function decimalText(words: Uint32Array, index: number, scale: number): string {
  let unscaled = 0n;
  for (let w = 3; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[index * 4 + w]);
  if (unscaled >= 1n << 127n) unscaled -= 1n << 128n;
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function cellValue(data: Data, type: DataType, at: number): unknown {
  switch (type.typeId) {
    case Type.Decimal:
      return decimalText(data.values as Uint32Array, at, (type as unknown as { scale: number }).scale);
    case Type.Int:
      return (type as unknown as { bitWidth: number }).bitWidth === 64
        ? String((data.values as BigInt64Array)[at])
        : data.values[at];
    case Type.Date: {
      // Date32 holds days; Date64 milliseconds.
      const unit = (type as unknown as { unit: number }).unit;
      return unit === 0
        ? formatDate(data.values[at] as number)
        : formatDate(Math.floor(Number(data.values[at]) / 86_400_000));
    }
    case Type.Timestamp: {
      const unit = (type as unknown as { unit: number }).unit;
      const raw = Number((data.values as BigInt64Array)[at]);
      const micros =
        unit === 0 ? raw * 1_000_000 : unit === 1 ? raw * 1_000 : unit === 2 ? raw : Math.floor(raw / 1_000);
      return formatTimestamp(micros, 'T', Boolean((type as unknown as { timezone: string | null }).timezone));
    }
    default:
      return undefined;
  }
}

/** An Arrow table as the rows and column types the JSON answer would carry, for comparing the two. */
export function arrowToResult(table: Table): ComparableResult {
  const columns = table.schema.fields.map((f) => ({ name: f.name, type: sqlTypeName(f.type) }));
  const rows: unknown[][] = Array.from({ length: table.numRows }, () => new Array<unknown>(columns.length));
  table.schema.fields.forEach((field, c) => {
    const vector = table.getChildAt(c);
    if (!vector) return;
    let row = 0;
    for (const data of vector.data) {
      // Decoded IPC batches are never sliced, so value i sits at index i of the buffers.
      if (data.offset !== 0)
        throw new Error(`column ${field.name}: sliced Arrow data is not expected from IPC`);
      for (let i = 0; i < data.length; i++, row++) {
        if (!data.getValid(i)) rows[row][c] = null;
        else {
          const special = cellValue(data, field.type, i);
          rows[row][c] = special !== undefined ? special : vector.get(row);
        }
      }
    }
  });
  return { columns, rows };
}
