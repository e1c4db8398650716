import { randomUUID } from 'node:crypto';
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SNAPSHOT_LOCATION_KEY } from '@tributary/connectors';
import type { TableRef } from '@tributary/plan';
import {
  definingSql,
  reflectionColumns,
  type BaseTableSnapshot,
  type ReflectionRecord,
  type StoredMaterialization,
} from '@tributary/reflections';
import type { PlannerPool } from '../planning/planner-pool.ts';
import type { QueryService } from '../query/query-service.ts';
import type { FileSubset } from './file-subset.ts';
import { MaterializationWriter, syncFolder } from './materialization-writer.ts';
import { refreshFieldRange } from './refresh-field-range.ts';

/** The source name a materialization's TableRef carries (no catalog source has it: `$` is not a name a user registers). */
export const REFLECTION_SOURCE = '$reflection';

export interface BuildDeps {
  readonly queries: Pick<QueryService, 'start'>;
  readonly planner: Pick<PlannerPool, 'snapshot' | 'discover'>;
  /** Refreshes a source whose files changed on disk, so the build and its snapshot agree. */
  readonly refreshSource: (name: string) => Promise<unknown>;
  readonly reflectionsDir: string;
  /** Told the build's job id as soon as it has one (progress in the jobs list). */
  readonly onJob?: (jobId: string) => void;
  /** Told why a build by refresh field is a full one. */
  readonly log?: (message: string) => void;
  /** Runs between writing the files and renaming the folder (tests make a crash's moment deterministic). */
  readonly beforeSwitch?: () => Promise<void>;
}

/**
 * Rows per row group of a reflection sorted by LOCALSORT: small enough that a selective
 * filter on the sort column decodes a few thousand rows, not 65,536 (one part's line items at
 * SF 1 sit in one such group); other reflections keep the encoder's default.
 */
export const SORTED_ROW_GROUP_ROWS = 8_192;

function sortedRowGroupRows(reflection: ReflectionRecord): number | undefined {
  return reflection.localSortBy.length > 0 ? SORTED_ROW_GROUP_ROWS : undefined;
}

/**
 * The SQL a build runs: the defining query (over the rows `where` keeps), ordered by the
 * PARTITION BY then the LOCALSORT BY columns.
 */
export function buildSql(reflection: ReflectionRecord, where?: string): string {
  const names = reflectionColumns(reflection).map((c) => c.name);
  const order = [...new Set([...reflection.partitionBy, ...reflection.localSortBy])].map(
    (column) => names.indexOf(column) + 1,
  );
  const sql = definingSql(reflection, where);
  return order.length > 0 ? `${sql} ORDER BY ${order.join(', ')}` : sql;
}

/**
 * Builds a new materialization of a reflection, not yet in service: the base tables'
 * snapshot taken first (the data is at least that fresh), the ordered defining query run as
 * a job of the reflection's owner, its rows written as Parquet into
 * `<dir>/<reflection>/<materialization>.tmp/`, synced, renamed to `<materialization>/`, and
 * read back by the Parquet connector's discovery (on a planner thread) for its TableRef. On
 * any failure nothing is left behind. The caller switches it in (ReflectionStore).
 */
export async function buildMaterialization(
  reflection: ReflectionRecord,
  deps: BuildDeps,
  signal: AbortSignal,
): Promise<StoredMaterialization> {
  const started = performance.now();
  const builtAt = Date.now();
  const taken = await takeSnapshot(reflection, deps);
  // A refresh field decides alone: its mark must follow every build (new files or not).
  const range = await refreshFieldRange(reflection, taken, deps.queries, signal);
  const snapshot = range ? [{ ...taken[0], refreshField: range.mark }] : taken;
  if (range?.fullBecause) deps.log?.(`reflection ${reflection.name}: a full build, as ${range.fullBecause}`);
  const increment: Increment | undefined = range
    ? range.appendTo && { previous: range.appendTo }
    : incrementOf(reflection, snapshot);
  const id = randomUUID();
  const folder = join(deps.reflectionsDir, reflection.id, id);
  const temporary = `${folder}.tmp`;
  let renamed = false;
  try {
    // The previous copy's files, linked (not copied) into the new folder: they hold the old files' rows.
    const linkedFolders = increment ? await linkFiles(increment.previous.folder, temporary) : [];
    const job = deps.queries.start(
      {
        sql: buildSql(reflection, range?.where),
        queryType: 'INTERNAL',
        // From the sources themselves: a reflection read in place of its own dataset (this
        // one's previous copy, or another's) would carry its age into the new copy.
        options: { reflections: false },
        ...(reflection.owner === null ? {} : { user: reflection.owner }),
        ...(increment?.subset ? { fileSubset: increment.subset } : {}),
      },
      signal,
    );
    deps.onJob?.(job.id);
    const result = await job.result;
    const names = result.fields.map((f) => f.name);
    const writer = new MaterializationWriter(
      temporary,
      result.fields,
      reflection.partitionBy.map((c) => names.indexOf(c)),
      id.slice(0, 8),
      sortedRowGroupRows(reflection),
    );
    let rows = 0;
    try {
      for await (const batch of result.batches) {
        await writer.write(batch);
        rows += batch.numRows;
      }
      result.finish({ rowCount: rows });
    } catch (error) {
      result.finish({ error });
      await writer.abort();
      throw error;
    }
    const written = await writer.finish();
    for (const dir of linkedFolders) await syncFolder(dir);
    await deps.beforeSwitch?.();
    await rename(temporary, folder);
    renamed = true;
    await syncFolder(dirname(folder));
    const [discovered] = await deps.planner.discover('parquet', folder, {
      folderLayout: 'oneTable',
      // The partition columns are kept in the files too, with their exact types; the folders
      // only group them (row-group statistics prune whole files by them).
      hivePartitioning: false,
    });
    const table: TableRef = {
      source: REFLECTION_SOURCE,
      table: reflection.id,
      sourceType: 'parquet',
      columns: discovered.columns,
      location: { ...discovered.location, [SNAPSHOT_LOCATION_KEY]: discovered.snapshot },
      rowCount: written.rows + (increment?.previous.rows ?? 0),
      ...(discovered.statistics ? { statistics: discovered.statistics } : {}),
    };
    return {
      id,
      reflectionId: reflection.id,
      folder,
      table,
      builtAt,
      rows: written.rows + (increment?.previous.rows ?? 0),
      bytes: written.bytes + (increment?.previous.bytes ?? 0),
      snapshot,
      refreshMs: performance.now() - started,
      incremental: increment !== undefined,
    };
  } catch (error) {
    await rm(renamed ? folder : temporary, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The base tables' snapshot before the build reads. A table whose files changed on disk
 * since its source was read has its source refreshed first, so that the build reads what
 * the snapshot records (else the next check would find it stale at once).
 */
async function takeSnapshot(reflection: ReflectionRecord, deps: BuildDeps): Promise<BaseTableSnapshot[]> {
  const sql = definingSql(reflection);
  let checked = await deps.planner.snapshot(sql);
  const changed = [...new Set(checked.filter((t) => t.changedOnDisk).map((t) => t.source))];
  if (changed.length > 0) {
    for (const source of changed) await deps.refreshSource(source);
    checked = await deps.planner.snapshot(sql);
  }
  return checked.map(({ changedOnDisk: _changed, ...snapshot }) => snapshot);
}

/**
 * What an incremental build adds to: the serving copy, and the files to read on top of it
 * (none: the rows above the refresh field's mark, which the build's SQL selects).
 */
interface Increment {
  readonly previous: StoredMaterialization;
  readonly subset?: FileSubset;
}

/**
 * Whether the reflection can be built by adding only its table's new files to the serving
 * copy: it is defined on a file table directly (not a view: a view may join or filter in ways
 * an append does not commute with), its definition did not change since that copy was built,
 * and the table only gained files since (every file the copy read is there, unchanged).
 * An aggregation reflection built so may hold several rows of a group (one per build): the
 * matcher re-aggregates anyway.
 */
export function incrementOf(
  reflection: ReflectionRecord,
  snapshot: readonly BaseTableSnapshot[],
): Increment | undefined {
  const previous = reflection.materialization;
  if (!previous || previous.snapshot.length !== 1 || snapshot.length !== 1) return undefined;
  if (Date.parse(reflection.updatedAt) >= previous.builtAt) return undefined;
  const [before] = previous.snapshot;
  const [now] = snapshot;
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const [source, table] = reflection.datasetPath;
  if (reflection.datasetPath.length !== 2 || !same(now.source, source) || !same(now.table, table))
    return undefined;
  if (!same(before.source, now.source) || !same(before.table, now.table) || !before.files || !now.files)
    return undefined;
  const current = new Map(now.files.map((f) => [f.path, f]));
  for (const file of before.files) {
    const still = current.get(file.path);
    if (!still || still.size !== file.size || still.mtimeMs !== file.mtimeMs || file.mtimeMs < 0)
      return undefined;
    current.delete(file.path);
  }
  if (current.size === 0) return undefined;
  return { previous, subset: { source: now.source, table: now.table, files: [...current.keys()] } };
}

/** Every file under `from`, hard-linked at the same place under `to` (copied where links cannot be made); the folders it filled. */
async function linkFiles(from: string, to: string): Promise<string[]> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const folders = new Set<string>([to]);
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, source.slice(from.length + 1));
    await mkdir(dirname(target), { recursive: true });
    folders.add(dirname(target));
    await link(source, target).catch(() => copyFile(source, target));
  }
  return [...folders];
}
