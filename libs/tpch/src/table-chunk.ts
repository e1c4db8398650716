import { TPCH_SCHEMA, type TpchTableName } from './tpch-schema.ts';

/**
 * One column of a generated chunk. Numbers are exact integers in a Float64Array: keys and
 * counts as such, DECIMAL(15,2) in hundredths, DATE in days since 1970-01-01; VARCHAR
 * columns are strings (all TPC-H text is ASCII).
 */
export type ColumnValues = Float64Array | string[];

/** A range of rows of one table, column by column, as the generator makes them. */
export interface TableChunk {
  readonly table: TpchTableName;
  readonly length: number;
  readonly columns: readonly ColumnValues[];
}

/** Empty columns for `capacity` rows of `table`, to be filled and then cut to the rows made. */
export function allocateColumns(table: TpchTableName, capacity: number): ColumnValues[] {
  return TPCH_SCHEMA[table].map((c) =>
    c.type === 'VARCHAR' ? new Array<string>(capacity) : new Float64Array(capacity),
  );
}

export function finishChunk(table: TpchTableName, columns: ColumnValues[], length: number): TableChunk {
  return {
    table,
    length,
    columns: columns.map((c) =>
      c.length === length ? c : c instanceof Float64Array ? c.slice(0, length) : c.slice(0, length),
    ),
  };
}
