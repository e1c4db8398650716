import {
  BIGINT,
  DOUBLE,
  SourceError,
  decimal,
  sameType,
  typeToString,
  type ColumnDescriptor,
  type SqlType,
} from '@tributary/common';

/**
 * The type two files' columns of one name are read as, or undefined when they cannot be: the
 * widenings the decoder performs exactly (integers to BIGINT, numbers to DOUBLE, DECIMALs of
 * one scale to the wider precision). Anything else is a different column under one name.
 */
export function unifiedType(a: SqlType, b: SqlType): SqlType | undefined {
  if (sameType(a, b)) return a;
  const kinds = new Set([a.kind, b.kind]);
  if (kinds.size === 2 && kinds.has('INTEGER') && kinds.has('BIGINT')) return BIGINT;
  if (kinds.has('DOUBLE') && [...kinds].every((k) => k === 'DOUBLE' || k === 'INTEGER' || k === 'BIGINT'))
    return DOUBLE;
  if (a.kind === 'DECIMAL' && b.kind === 'DECIMAL' && a.scale === b.scale)
    return decimal(Math.max(a.precision, b.precision), a.scale);
  return undefined;
}

/**
 * One schema for the files of a table. By name (DuckDB's union_by_name): columns in order of
 * first appearance, a column a file lacks reads as NULL there. Otherwise every file must have
 * the first file's columns, in order. Either way a column whose types cannot be unified
 * fails with SOURCE_SCHEMA_MISMATCH naming the file that disagrees.
 */
export function unifyFileColumns(
  perFile: readonly (readonly ColumnDescriptor[])[],
  files: readonly string[],
  byName: boolean,
): ColumnDescriptor[] {
  const columns: ColumnDescriptor[] = [];
  const index = new Map<string, number>();
  perFile.forEach((fileColumns, f) => {
    if (!byName && f > 0) {
      const same =
        fileColumns.length === columns.length && fileColumns.every((c, i) => c.name === columns[i].name);
      if (!same) {
        throw new SourceError(
          'SOURCE_SCHEMA_MISMATCH',
          `Parquet file "${files[f]}" has columns (${fileColumns.map((c) => c.name).join(', ')}) unlike "${files[0]}" (${columns.map((c) => c.name).join(', ')}); the option unionByName: true reads them by name`,
          { details: { file: files[f] } },
        );
      }
    }
    for (const column of fileColumns) {
      const at = index.get(column.name);
      if (at === undefined) {
        index.set(column.name, columns.length);
        columns.push(column);
        continue;
      }
      const type = unifiedType(columns[at].type, column.type);
      if (!type) {
        throw new SourceError(
          'SOURCE_SCHEMA_MISMATCH',
          `column "${column.name}" of Parquet file "${files[f]}" is ${typeToString(column.type)}, incompatible with ${typeToString(columns[at].type)} in the table's other files`,
          { details: { file: files[f], column: column.name } },
        );
      }
      columns[at] = { ...columns[at], type };
    }
  });
  return columns;
}
