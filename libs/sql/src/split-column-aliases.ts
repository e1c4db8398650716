/**
 * node-sql-parser keeps `AS t(a, b)` as the alias text "t(a, b)": the table alias and the new
 * names of the first columns.
 */
export function splitColumnAliases(text: string): { alias: string; columnNames: string[] } {
  const m = /^([^(]+?)\s*\((.*)\)$/s.exec(text);
  if (!m) return { alias: text, columnNames: [] };
  const unquote = (n: string): string => (/^".*"$/.test(n) ? n.slice(1, -1).replace(/""/g, '"') : n);
  return { alias: m[1], columnNames: m[2].split(',').map((n) => unquote(n.trim())) };
}
