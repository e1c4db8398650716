import { randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
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
import { MaterializationWriter, syncFolder } from './materialization-writer.ts';

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
  /** Runs between writing the files and renaming the folder (tests make a crash's moment deterministic). */
  readonly beforeSwitch?: () => Promise<void>;
}

/** The SQL a build runs: the defining query, ordered by the PARTITION BY then the LOCALSORT BY columns. */
export function buildSql(reflection: ReflectionRecord): string {
  const names = reflectionColumns(reflection).map((c) => c.name);
  const order = [...new Set([...reflection.partitionBy, ...reflection.localSortBy])].map(
    (column) => names.indexOf(column) + 1,
  );
  const sql = definingSql(reflection);
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
  const snapshot = await takeSnapshot(reflection, deps);
  const id = randomUUID();
  const folder = join(deps.reflectionsDir, reflection.id, id);
  const temporary = `${folder}.tmp`;
  let renamed = false;
  try {
    const job = deps.queries.start(
      {
        sql: buildSql(reflection),
        queryType: 'INTERNAL',
        ...(reflection.owner === null ? {} : { user: reflection.owner }),
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
      rowCount: written.rows,
      ...(discovered.statistics ? { statistics: discovered.statistics } : {}),
    };
    return {
      id,
      reflectionId: reflection.id,
      folder,
      table,
      builtAt,
      rows: written.rows,
      bytes: written.bytes,
      snapshot,
      refreshMs: performance.now() - started,
      incremental: false,
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
  return checked.map(({ source, table, fingerprint }) => ({ source, table, fingerprint }));
}
