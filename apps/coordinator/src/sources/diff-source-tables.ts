import type { TableRecord } from '@tributary/catalog';

/** How one table differs after a refresh. */
export interface TableChange {
  readonly name: string;
  /** Its columns (names or types) differ. */
  readonly schemaChanged: boolean;
  /** Its files (sizes, mtimes, the list) or where it lives differ. */
  readonly dataChanged: boolean;
}

/** What a refresh or change of options did to a source's tables. */
export interface SourceChanges {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: TableChange[];
  readonly unchanged: string[];
}

type Comparable = Pick<TableRecord, 'name' | 'columns' | 'location' | 'snapshot'>;

function fingerprint(table: Comparable): unknown {
  return table.snapshot?.fingerprint;
}

/** Tables added, removed and changed between two table lists of one source (names as the catalog keeps them). */
export function diffSourceTables(before: readonly Comparable[], after: readonly Comparable[]): SourceChanges {
  const old = new Map(before.map((t) => [t.name.toLowerCase(), t]));
  const now = new Set(after.map((t) => t.name.toLowerCase()));
  const changes: SourceChanges = { added: [], removed: [], changed: [], unchanged: [] };
  for (const table of after) {
    const previous = old.get(table.name.toLowerCase());
    if (!previous) {
      changes.added.push(table.name);
      continue;
    }
    const schemaChanged = JSON.stringify(previous.columns) !== JSON.stringify(table.columns);
    const dataChanged =
      fingerprint(previous) !== fingerprint(table) ||
      JSON.stringify(previous.location) !== JSON.stringify(table.location);
    if (schemaChanged || dataChanged) changes.changed.push({ name: table.name, schemaChanged, dataChanged });
    else changes.unchanged.push(table.name);
  }
  for (const table of before) if (!now.has(table.name.toLowerCase())) changes.removed.push(table.name);
  return changes;
}
