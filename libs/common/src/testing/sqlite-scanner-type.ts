/**
 * The DuckDB type DuckDB's sqlite scanner gives a SQLite column of this declared type, by
 * its rules (SQLite's affinity rules first, then a few extra ones for NUMERIC affinity):
 * contains INT → BIGINT; CHAR, CLOB or TEXT → VARCHAR; BLOB or no type → BLOB; REAL, FLOA
 * or DOUB → DOUBLE; exactly DATE → DATE; contains TIME → TIMESTAMP; DEC or NUM → DOUBLE;
 * anything else → VARCHAR.
 */
export function sqliteScannerType(declared: string): string {
  const t = declared.trim().toLowerCase();
  if (t.includes('int')) return 'BIGINT';
  if (t.includes('char') || t.includes('clob') || t.includes('text')) return 'VARCHAR';
  if (t.includes('blob') || t === '') return 'BLOB';
  if (t.includes('real') || t.includes('floa') || t.includes('doub')) return 'DOUBLE';
  if (t === 'date') return 'DATE';
  if (t.includes('time')) return 'TIMESTAMP';
  if (t.includes('dec') || t.includes('num')) return 'DOUBLE';
  return 'VARCHAR';
}
