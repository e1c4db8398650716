import { RequestError } from '@tributary/common';
import { formatDate, formatTime, formatTimestamp } from '@tributary/common';
import { PG_OID } from './pg-types.ts';

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PG_EPOCH_DAYS = 10_957;

function numeric(text: string): string {
  if (!NUMBER.test(text.trim())) throw new RequestError('INVALID_PARAMETER', `"${text}" is not a number`);
  return text.trim();
}

/** A text-format value as a literal of its declared type; untyped values that read as numbers stay numbers. */
function fromText(text: string, oid: number): string {
  switch (oid) {
    case PG_OID.int2:
    case PG_OID.int4:
    case PG_OID.int8:
    case PG_OID.float4:
    case PG_OID.float8:
    case PG_OID.numeric:
    case PG_OID.oid:
      return numeric(text);
    case PG_OID.bool:
      return /^(t|true|y|yes|on|1)$/i.test(text.trim()) ? 'TRUE' : 'FALSE';
    case PG_OID.date:
      return `DATE ${quote(text)}`;
    case PG_OID.timestamp:
    case PG_OID.timestamptz:
      return `TIMESTAMP ${quote(text)}`;
    case 0:
    case PG_OID.unknown:
      // Drivers (node-postgres) send every value untyped: a number stays a number so that it
      // compares with numeric columns; anything else is a string literal.
      return NUMBER.test(text) ? text : quote(text);
    default:
      return quote(text);
  }
}

function fromBinary(bytes: Buffer, oid: number): string {
  switch (oid) {
    case PG_OID.bool:
      return bytes[0] ? 'TRUE' : 'FALSE';
    case PG_OID.int2:
      return String(bytes.readInt16BE(0));
    case PG_OID.int4:
    case PG_OID.oid:
      return String(bytes.readInt32BE(0));
    case PG_OID.int8:
      return bytes.readBigInt64BE(0).toString();
    case PG_OID.float4:
      return String(bytes.readFloatBE(0));
    case PG_OID.float8:
      return String(bytes.readDoubleBE(0));
    case PG_OID.date:
      return `DATE '${formatDate(bytes.readInt32BE(0) + PG_EPOCH_DAYS)}'`;
    case PG_OID.timestamp:
      return `TIMESTAMP '${formatTimestamp(Number(bytes.readBigInt64BE(0)) + PG_EPOCH_DAYS * 86_400_000_000, ' ')}'`;
    case PG_OID.timestamptz:
      return `TIMESTAMPTZ '${formatTimestamp(Number(bytes.readBigInt64BE(0)) + PG_EPOCH_DAYS * 86_400_000_000, ' ', true)}'`;
    case PG_OID.time:
      return `TIME '${formatTime(Number(bytes.readBigInt64BE(0)))}'`;
    case PG_OID.text:
    case PG_OID.varchar:
    case PG_OID.bpchar:
    case PG_OID.unknown:
    case 0:
      return quote(bytes.toString('utf8'));
    default:
      throw new RequestError(
        'INVALID_PARAMETER',
        `binary parameters of type OID ${oid} are not supported; send it in text format`,
      );
  }
}

/** A bound parameter (its bytes, format and declared type OID, 0 when unspecified) as a SQL literal. */
export function parameterLiteral(value: Buffer | null, format: number, oid: number): string {
  if (value === null) return 'NULL';
  return format === 1 ? fromBinary(value, oid) : fromText(value.toString('utf8'), oid);
}
