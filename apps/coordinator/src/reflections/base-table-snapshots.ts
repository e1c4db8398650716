import type { CatalogStore } from '@tributary/catalog';
import { InternalError, TributaryError } from '@tributary/common';
import { checkTableUnchanged } from '@tributary/connectors';
import type { BaseTableSnapshot } from '@tributary/reflections';
import { bindSql } from '@tributary/sql';
import { catalogRedactionFor } from '../planning/catalog-redaction.ts';
import { catalogViewOf } from '../planning/catalog-view-of.ts';
import { freshnessOf, scansOf } from '../planning/plan-query.ts';

/** A base table's snapshot, and whether its files changed since its source's metadata was read. */
export interface CheckedTableSnapshot extends BaseTableSnapshot {
  /** Files added, removed or rewritten that the catalog does not know of yet: its source needs a refresh. */
  readonly changedOnDisk: boolean;
}

/**
 * The base tables a reflection's defining query reads, through views, each with its data's
 * fingerprint now, computed as planning computes it for the plan cache (freshnessOf): an
 * equal fingerprint later means the data is unchanged. Runs on a planner thread (a stat per
 * file), before the build reads, so a materialization is at least as fresh as what it records.
 */
export async function baseTableSnapshots(
  sql: string,
  catalog: CatalogStore,
  roots: readonly string[],
): Promise<CheckedTableSnapshot[]> {
  const bound = bindSql(sql, catalogViewOf(catalog, [], catalogRedactionFor(false)));
  if (bound.kind === 'command') throw new InternalError(`a reflection's defining SQL is not a query: ${sql}`);
  const seen = new Set<string>();
  const snapshots: CheckedTableSnapshot[] = [];
  for (const scan of scansOf(bound.plan)) {
    const key = `${scan.table.source}\0${scan.table.table}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let changedOnDisk = false;
    try {
      await checkTableUnchanged(scan.table, roots);
    } catch (error) {
      if (!(error instanceof TributaryError) || error.code !== 'SOURCE_CHANGED') throw error;
      changedOnDisk = true;
    }
    const { fingerprint } = await freshnessOf(scan.table, roots);
    snapshots.push({ source: scan.table.source, table: scan.table.table, fingerprint, changedOnDisk });
  }
  return snapshots;
}
