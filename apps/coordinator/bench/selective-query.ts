/** What the selective query reads of each line item (the raw reflection holds them). */
const PART_COLUMNS = [
  'l_orderkey',
  'l_linenumber',
  'l_suppkey',
  'l_quantity',
  'l_extendedprice',
  'l_discount',
  'l_shipdate',
  'l_shipmode',
  'l_comment',
];

/** The selective query of the reflection benchmarks: one part's line items of `source`.lineitem. */
export function selectiveSql(source: string): string {
  return `SELECT ${PART_COLUMNS.join(', ')} FROM ${source}.lineitem
      WHERE l_partkey = 4711 ORDER BY l_orderkey, l_linenumber`;
}

/** The raw reflection that serves it: lineitem's columns it reads, sorted by l_partkey (REST body). */
export function lineitemByPart(source: string) {
  return {
    name: 'lineitem_by_part',
    dataset: [source, 'lineitem'],
    type: 'RAW',
    displayColumns: ['l_partkey', ...PART_COLUMNS],
    localSortBy: ['l_partkey'],
  };
}
