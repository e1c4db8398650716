import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  SourceError,
  TIMESTAMP,
  VARCHAR,
  decimal,
  type SqlType,
} from '@tributary/common';
import type { SchemaElement } from 'hyparquet';

/** The SQL type of a flat Parquet column, from its physical, converted and logical types. */
export function parquetColumnType(element: SchemaElement, file: string): SqlType {
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') {
    const precision = logical?.type === 'DECIMAL' ? logical.precision : (element.precision ?? 18);
    const scale = logical?.type === 'DECIMAL' ? logical.scale : (element.scale ?? 0);
    if (precision <= 38) return decimal(precision, scale);
  }
  switch (element.type) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'INT32':
      if (converted === 'DATE' || logical?.type === 'DATE') return DATE;
      if (
        converted === 'UINT_32' ||
        (logical?.type === 'INTEGER' && !logical.isSigned && logical.bitWidth === 32)
      )
        return BIGINT;
      if (converted === 'TIME_MILLIS' || logical?.type === 'TIME') break;
      return INTEGER;
    case 'INT64':
      if (
        converted === 'TIMESTAMP_MILLIS' ||
        converted === 'TIMESTAMP_MICROS' ||
        logical?.type === 'TIMESTAMP'
      )
        return TIMESTAMP;
      if (converted === 'TIME_MICROS' || logical?.type === 'TIME') break;
      if (converted === 'UINT_64' || (logical?.type === 'INTEGER' && !logical.isSigned)) break;
      return BIGINT;
    case 'INT96':
      return TIMESTAMP;
    case 'FLOAT':
    case 'DOUBLE':
      return DOUBLE;
    case 'BYTE_ARRAY':
      return VARCHAR;
    default:
      break;
  }
  const what = logical?.type ?? converted ?? element.type ?? 'group';
  throw new SourceError(
    'UNSUPPORTED_TYPE',
    `column "${element.name}" of Parquet file "${file}" has type ${what}, which Tributary does not support yet`,
    {
      details: { file, column: element.name },
    },
  );
}
