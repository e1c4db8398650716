/**
 * The Tributary type name a DuckDB result type must come out as: the one mapping every
 * DuckDB comparison checks column types with.
 *
 *   DuckDB                                   Tributary
 *   BOOLEAN                                  BOOLEAN
 *   TINYINT, SMALLINT, INTEGER               themselves
 *   BIGINT                                   BIGINT
 *   HUGEINT                                  HUGEINT   (e.g. SUM of integers)
 *   FLOAT, DOUBLE                            themselves
 *   DECIMAL(p,s)                             DECIMAL(p,s)
 *   DATE                                     DATE
 *   TIMESTAMP, TIMESTAMP_S/_MS/_NS           TIMESTAMP (one microsecond timestamp; parquet units fold into it)
 *   TIMESTAMP WITH TIME ZONE                 TIMESTAMP WITH TIME ZONE (itself, through the default)
 *   VARCHAR                                  VARCHAR
 *   "NULL" (a bare NULL literal)             NULL
 *   T[] (a LIST)                             T'[], T' the Tributary type of T
 *   anything else                            itself    (Tributary has no such type: a mismatch shows it)
 *
 * DuckDB's unsigned integers, INTERVAL, BLOB and nested types map to themselves on purpose:
 * Tributary has none of them, so a query whose result holds one shows up as a type difference
 * instead of being silently accepted.
 */
export function tributaryTypeName(duckdbType: string): string {
  const type = duckdbType.trim().toUpperCase();
  // A list of T is a list of T's Tributary type (TIMESTAMP_MS[] → TIMESTAMP[]).
  const list = /^(.*)\[\]$/.exec(type);
  if (list) return `${tributaryTypeName(list[1])}[]`;
  switch (type) {
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP_NS':
      return 'TIMESTAMP';
    case '"NULL"':
      // The type of a bare NULL literal (SELECT NULL), NULL in Tributary too.
      return 'NULL';
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `DECIMAL(${decimal[1]},${decimal[2]})`;
  return type;
}
