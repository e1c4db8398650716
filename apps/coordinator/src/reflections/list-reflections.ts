import type { CatalogStore } from '@tributary/catalog';
import type { ListedReflection } from '@tributary/plan';
import { ReflectionStore, describeReflection } from '@tributary/reflections';

/** Every reflection as sys.reflections shows it (read on a planner thread, over its catalog connection). */
export function listReflections(catalog: CatalogStore): ListedReflection[] {
  // A catalog older than version 10 (a read-only one not yet migrated) has none.
  if (catalog.schemaVersion() < 10) return [];
  return new ReflectionStore(catalog.database).list().map((r) => {
    const built = r.materialization;
    const finished = built && built.refreshMs !== null ? built.builtAt + built.refreshMs : null;
    return {
      id: r.id,
      name: r.name,
      datasetPath: r.datasetPath,
      type: r.type,
      status: r.status,
      enabled: r.enabled,
      definition: describeReflection(r),
      recordCount: built?.rows ?? null,
      bytes: built?.bytes ?? null,
      lastRefresh: finished === null ? null : new Date(finished).toISOString(),
      refreshMs: built?.refreshMs ?? null,
      snapshotTime: built ? new Date(built.builtAt).toISOString() : null,
      failureCount: r.failureCount,
      lastError: r.lastError,
    };
  });
}
