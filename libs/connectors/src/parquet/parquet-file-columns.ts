import { SourceError, type ColumnDescriptor, type UnsupportedColumn } from '@tributary/common';
import type { SchemaElement } from 'hyparquet';
import {
  isUnsupportedParquetType,
  parquetColumnType,
  type ParquetTypeOptions,
} from './parquet-column-type.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';

/** Where a flat top-level column of a Parquet file lies, by the three numberings readers use. */
export interface ParquetChunkRef {
  /** Its column chunk's index in every row group: its position among the file's leaf columns. */
  readonly chunk: number;
  /** Its schema element's index in the footer's schema (0 is the root). */
  readonly element: number;
  /** Its position among the file's top-level fields, as the decoder's Arrow schema numbers them. */
  readonly field: number;
}

export interface ParquetFileColumn extends ColumnDescriptor, ParquetChunkRef {}

/** A Parquet file's top-level columns: those Tributary reads, and those it leaves out. */
export interface ParquetFileColumns {
  /** Every top-level column's name, in the file's order. */
  readonly names: readonly string[];
  readonly columns: readonly ParquetFileColumn[];
  readonly unsupported: readonly UnsupportedColumn[];
}

/** What kind of nested column a group element is. */
function nestedKind(element: SchemaElement): string {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === 'LIST' || converted === 'LIST') return 'LIST';
  if (logical === 'MAP' || converted === 'MAP' || converted === 'MAP_KEY_VALUE') return 'MAP';
  return 'STRUCT';
}

function cutShort(file: string, what: string): SourceError {
  return new SourceError(
    'SOURCE_FILE_INVALID',
    `file "${file}" is not a valid Parquet file: its schema ${what}`,
    {
      details: { file },
    },
  );
}

/**
 * The top-level columns of a Parquet file, typed (parquet-column-type.ts), each with where
 * it lies. Nested columns (LIST, STRUCT, MAP, a repeated leaf) and flat ones of types
 * Tributary lacks are listed as unsupported: Tributary has no nested types, and JSON text
 * would silently change what a query compares. A nested column's leaves still take their
 * chunk positions, so the columns after it are found where they are.
 */
export function parquetFileColumns(
  footer: ParquetFooter,
  file: string,
  options: ParquetTypeOptions = {},
): ParquetFileColumns {
  const schema = footer.metadata.schema;
  const names: string[] = [];
  const columns: ParquetFileColumn[] = [];
  const unsupported: UnsupportedColumn[] = [];
  let at = 1;
  let chunk = 0;
  /** Steps over a subtree of `children` elements, counting its leaves. */
  const skip = (children: number): void => {
    for (let i = 0; i < children; i++) {
      const element = schema[at++];
      if (element === undefined) throw cutShort(file, 'is cut short');
      if (element.num_children) skip(element.num_children);
      else chunk++;
    }
  };
  const count = schema[0]?.num_children ?? 0;
  for (let field = 0; field < count; field++) {
    const element = schema[at];
    if (element === undefined) throw cutShort(file, 'is cut short');
    names.push(element.name);
    const children = element.num_children ?? 0;
    if (children > 0 || element.repetition_type === 'REPEATED') {
      unsupported.push({ name: element.name, type: nestedKind(element) });
      at++;
      if (children > 0) skip(children);
      else chunk++;
      continue;
    }
    const type = parquetColumnType(element, options);
    if (isUnsupportedParquetType(type)) unsupported.push({ name: element.name, ...type });
    else columns.push({ name: element.name, type, chunk, element: at, field });
    at++;
    chunk++;
  }
  if (at !== schema.length) throw cutShort(file, 'has stray elements');
  return { names, columns, unsupported };
}
