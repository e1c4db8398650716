import type { ColumnKind } from './tpch-fuzz-schema.ts';

/** A column a generated expression may reference: `alias.name`, with what the data offers. */
export interface ScopeColumn {
  /** Qualified SQL text, e.g. `o1.o_orderkey`. */
  sql: string;
  kind: ColumnKind;
  literals: readonly string[];
  groupable: boolean;
  /** May be NULL (the column comes from the null-supplying side of an outer join). */
  nullable: boolean;
  /** The table and alias it belongs to (for correlated subqueries). */
  table: string;
  alias: string;
}

/** What a FROM clause brings into scope. */
export interface FuzzFrom {
  sql: string;
  columns: ScopeColumn[];
  /** Table aliases in the order they were joined. */
  aliases: { table: string; alias: string }[];
}
