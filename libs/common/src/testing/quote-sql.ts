/** A DuckDB string literal: 'text' with inner quotes doubled. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A DuckDB identifier: "name" with inner quotes doubled. */
export function quoteIdentifier(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
