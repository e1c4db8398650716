import { BindError, unsupportedColumnMessage, type UnsupportedColumn } from '@tributary/common';
import type { CatalogRead, CatalogView } from '@tributary/plan';

/**
 * A COLUMN_NOT_FOUND restated as UNSUPPORTED_TYPE, at the same position, when the missing
 * name is a column that a table the statement names holds but Tributary cannot read
 * (TableRef.unsupportedColumns): the user learns why, not that the column does not exist.
 * Tables read only through a view are not looked at: the view's columns are its own.
 */
export function explainUnsupportedColumn(
  error: unknown,
  reads: readonly CatalogRead[],
  catalog: CatalogView,
): unknown {
  if (!(error instanceof BindError) || error.code !== 'COLUMN_NOT_FOUND') return error;
  const written = error.details?.column;
  if (typeof written !== 'string') return error;
  const name = written.split('.').pop()!;
  for (const read of reads) {
    if (read.kind !== 'table' || read.via !== undefined) continue;
    const [source, table] = read.path;
    const ref = catalog.findTables(table, source).find((t) => t.source === source && t.table === table);
    const columns: readonly UnsupportedColumn[] = ref?.unsupportedColumns ?? [];
    const found =
      columns.find((c) => c.name === name) ??
      columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) continue;
    return new BindError('UNSUPPORTED_TYPE', unsupportedColumnMessage(found, `table "${source}.${table}"`), {
      position: error.line === undefined ? undefined : { line: error.line, column: error.column ?? 1 },
      details: { source, table, column: found.name, type: found.type },
    });
  }
  return error;
}
