import { SourceError, type ColumnDescriptor } from '@tributary/common';
import type { SchemaElement } from 'hyparquet';
import { parquetColumnType, type ParquetTypeOptions } from './parquet-column-type.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';

/** What kind of nested column a group element is, for the refusal's message. */
function nestedKind(element: SchemaElement): string {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'LIST' || converted === 'LIST') return 'LIST';
  if (logical === 'MAP' || converted === 'MAP' || converted === 'MAP_KEY_VALUE') return 'MAP';
  return 'STRUCT';
}

/**
 * The top-level columns of a Parquet file, typed (parquet-column-type.ts). Their position is
 * their column chunk's index in every row group. Nested columns (LIST, STRUCT, MAP, or a
 * repeated leaf) are refused with UNSUPPORTED_TYPE naming the column: Tributary has no nested
 * types, and JSON text would silently change what a query compares.
 */
export function parquetFileColumns(
  footer: ParquetFooter,
  file: string,
  options: ParquetTypeOptions = {},
): ColumnDescriptor[] {
  const [root, ...elements] = footer.metadata.schema;
  const columns: ColumnDescriptor[] = [];
  let at = 0;
  const count = root?.num_children ?? 0;
  for (let i = 0; i < count; i++) {
    const element = elements[at];
    if (element === undefined) {
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `file "${file}" is not a valid Parquet file: its schema is cut short`,
        {
          details: { file },
        },
      );
    }
    const children = element.num_children ?? 0;
    if (children > 0 || element.repetition_type === 'REPEATED') {
      throw new SourceError(
        'UNSUPPORTED_TYPE',
        `column "${element.name}" of Parquet file "${file}" is a nested ${nestedKind(element)}, which Tributary does not support; write it flattened or as JSON text`,
        { details: { file, column: element.name } },
      );
    }
    columns.push({ name: element.name, type: parquetColumnType(element, file, options) });
    at++;
  }
  if (at !== elements.length) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `file "${file}" is not a valid Parquet file: its schema has stray elements`,
      {
        details: { file },
      },
    );
  }
  return columns;
}
