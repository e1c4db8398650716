import {
  makeTableSnapshot,
  takeTableSnapshot,
  type DiscoveredTable,
  type FileStamp,
  type TableSnapshot,
} from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';

/** A discovered table with the snapshot of its files taken right after its metadata was read. */
export type SnapshottedTable = DiscoveredTable & { readonly snapshot: TableSnapshot };

/** File mtimes come from a coarse kernel clock, up to a tick (4–10 ms) behind Date.now(). */
const MTIME_LAG_MS = 20;

/**
 * Discovery, then each table's snapshot (on a planner thread). The snapshot is taken after the
 * files were read, so a file written during discovery could pair old columns with a new
 * snapshot: when a file's mtime falls within the discovery, it is read once more; a file still
 * written then keeps an unknown mtime (-1), so the next query or refresh reads it again rather
 * than trusting columns read mid-write.
 */
export async function discoverWithSnapshots(
  discover: (path: string, options: Readonly<Record<string, unknown>>) => Promise<DiscoveredTable[]>,
  type: SourceType,
  path: string,
  options: Readonly<Record<string, unknown>>,
  roots: readonly string[],
): Promise<SnapshottedTable[]> {
  let tables: SnapshottedTable[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = Date.now();
    const discovered = await discover(path, options);
    tables = [];
    for (const table of discovered)
      tables.push({
        ...table,
        snapshot: await takeTableSnapshot(type, table.location, roots, { top: path }),
      });
    // A live SQLite database is written all the time; its tables' columns hang on its schema only.
    if (type === 'sqlite') break;
    // Written while it was read; a file stamped in the future (a skewed clock, an unpacked
    // archive) is not being written now and must not look changed for ever.
    const finished = Date.now();
    const recent = (f: FileStamp) =>
      f.mtimeMs >= started - MTIME_LAG_MS && f.mtimeMs <= finished + MTIME_LAG_MS;
    if (!tables.some((t) => t.snapshot.files.some(recent))) break;
    // A file written just before the first read looks recent too: let its mtime age first.
    if (attempt === 0) await new Promise((resolve) => setTimeout(resolve, MTIME_LAG_MS * 2));
    if (attempt === 1)
      // Still written: its stamps are left unknown, so the next query or refresh reads it again.
      tables = tables.map((t) => ({
        ...t,
        snapshot: makeTableSnapshot(
          t.snapshot.files.map((f) => (recent(f) ? { ...f, mtimeMs: -1 } : f)),
          t.snapshot.schemaHash,
          t.snapshot.folders,
        ),
      }));
  }
  return tables;
}
