import {
  BIGINT,
  commonSupertype,
  DOUBLE,
  SourceError,
  decimal,
  sameType,
  typeToString,
  type ColumnDescriptor,
  type SqlType,
  type UnsupportedColumn,
} from '@tributary/common';
import type { ParquetFileColumns } from './parquet-file-columns.ts';

/**
 * The type two files' columns of one name are read as, or undefined when they cannot be: the
 * widenings the decoder performs exactly (integers to wider ones, numbers to DOUBLE, DECIMALs of
 * one scale to the wider precision). Anything else is a different column under one name.
 */
export function unifiedType(a: SqlType, b: SqlType): SqlType | undefined {
  if (sameType(a, b)) return a;
  // TINYINT ⊂ SMALLINT ⊂ INTEGER and FLOAT ⊂ DOUBLE share one layout.
  if (a.kind === 'INTEGER' && b.kind === 'INTEGER') return commonSupertype(a, b);
  if (a.kind === 'DOUBLE' && b.kind === 'DOUBLE') return DOUBLE;
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.size === 2 && kinds.has('INTEGER') && kinds.has('BIGINT')) return BIGINT;
  if (kinds.has('DOUBLE') && [...kinds].every((k) => k === 'DOUBLE' || k === 'INTEGER' || k === 'BIGINT'))
    return DOUBLE;
  if (a.kind === 'DECIMAL' && b.kind === 'DECIMAL' && a.scale === b.scale)
    return decimal(Math.max(a.precision, b.precision), a.scale);
  return undefined;
}

/** A table's columns over all its files: those read, and those left out. */
export interface UnifiedColumns {
  readonly columns: ColumnDescriptor[];
  readonly unsupported: UnsupportedColumn[];
}

/**
 * One schema for the files of a table. By name (DuckDB's union_by_name): columns in order of
 * first appearance, a column a file lacks reads as NULL there. Otherwise every file must have
 * the first file's columns, in order. Either way a column whose types cannot be unified
 * fails with SOURCE_SCHEMA_MISMATCH naming the file that disagrees. A column of a type
 * Tributary lacks in any file is left out (listed as unsupported): reading it as NULL where
 * it is unsupported would be a wrong answer.
 */
export function unifyFileColumns(
  perFile: readonly ParquetFileColumns[],
  files: readonly string[],
  byName: boolean,
): UnifiedColumns {
  const columns: ColumnDescriptor[] = [];
  const index = new Map<string, number>();
  const unsupported = new Map<string, UnsupportedColumn>();
  perFile.forEach((file, f) => {
    if (!byName && f > 0) {
      const first = perFile[0].names;
      const same = file.names.length === first.length && file.names.every((name, i) => name === first[i]);
      if (!same) {
        throw new SourceError(
          'SOURCE_SCHEMA_MISMATCH',
          `Parquet file "${files[f]}" has columns (${file.names.join(', ')}) unlike "${files[0]}" (${first.join(', ')}); the option unionByName: true reads them by name`,
          { details: { file: files[f] } },
        );
      }
    }
    for (const column of file.unsupported)
      if (!unsupported.has(column.name)) unsupported.set(column.name, column);
    for (const { name, type: fileType } of file.columns) {
      const at = index.get(name);
      if (at === undefined) {
        index.set(name, columns.length);
        columns.push({ name, type: fileType });
        continue;
      }
      const type = unifiedType(columns[at].type, fileType);
      if (!type) {
        throw new SourceError(
          'SOURCE_SCHEMA_MISMATCH',
          `column "${name}" of Parquet file "${files[f]}" is ${typeToString(fileType)}, incompatible with ${typeToString(columns[at].type)} in the table's other files`,
          { details: { file: files[f], column: name } },
        );
      }
      columns[at] = { ...columns[at], type };
    }
  });
  return { columns: columns.filter((c) => !unsupported.has(c.name)), unsupported: [...unsupported.values()] };
}
