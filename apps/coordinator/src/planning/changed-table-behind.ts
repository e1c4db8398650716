import { TributaryError } from '@tributary/common';
import { checkTableUnchanged } from '@tributary/connectors';
import type { TableRef } from '@tributary/plan';

/** At most this many tables are stat'ed to explain one failed bind. */
const MAX_TABLES_CHECKED = 64;

/**
 * Why binding failed when the catalog, not the SQL, is out of date: a query naming a column
 * that a file gained since its metadata was read fails to bind before any scan is checked.
 * So, on a bind error only, the tables whose names the SQL text mentions are checked, and the
 * first one changed is the answer (SOURCE_CHANGED, which a RefreshingPlanner turns into a
 * refresh and a second try). undefined when none changed: the bind error stands.
 */
export async function changedTableBehind(
  sql: string,
  tables: readonly TableRef[],
  roots: readonly string[],
): Promise<TributaryError | undefined> {
  const text = sql.toLowerCase();
  const named = tables
    .filter((t) => mentions(text, t.table.toLowerCase()) && mentions(text, t.source.toLowerCase()))
    .concat(
      tables.filter((t) => mentions(text, t.table.toLowerCase()) && !mentions(text, t.source.toLowerCase())),
    )
    .slice(0, MAX_TABLES_CHECKED);
  for (const table of named) {
    try {
      await checkTableUnchanged(table, roots);
    } catch (error) {
      if (error instanceof TributaryError && error.code === 'SOURCE_CHANGED') return error;
      // Another failure (a file swapped for a symlink) shows when the query names it rightly.
    }
  }
  return undefined;
}

/** Whether `name` appears in `text` as a whole identifier (quoted or not). */
function mentions(text: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return false;
    const before = at === 0 ? '' : text[at - 1];
    const after = text[at + name.length] ?? '';
    if (!/[a-z0-9_$]/.test(before) && !/[a-z0-9_$]/.test(after)) return true;
    from = at + 1;
  }
}
