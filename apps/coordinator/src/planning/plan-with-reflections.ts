import type { CatalogStore } from '@tributary/catalog';
import { TributaryError } from '@tributary/common';
import { snapshotInLocation, takeTableSnapshot } from '@tributary/connectors';
import type { CatalogView, LogicalPlan, TableRef } from '@tributary/plan';
import { planInputs } from '@tributary/plan';
import {
  ReflectionStore,
  quoteSqlIdentifier,
  substituteReflections,
  type ChosenReflection,
  type ReflectionCandidate,
  type ReflectionRelationship,
} from '@tributary/reflections';
import { bindSql } from '@tributary/sql';
import type { TableFreshness } from './plan-query.ts';

/** What substitution did for one query: the job's acceleration record. */
export interface PlannedAcceleration {
  readonly relationships: readonly ReflectionRelationship[];
  readonly chosen: readonly ChosenReflection[];
  /** The base tables of the chosen reflections now, for the plan cache to see them change. */
  readonly baseTables: readonly TableFreshness[];
}

function tablesOf(plan: LogicalPlan, into = new Set<string>()): Set<string> {
  if (plan.kind === 'scan') into.add(tableKey(plan.table.source, plan.table.table));
  for (const input of planInputs(plan)) tablesOf(input, into);
  return into;
}

const tableKey = (source: string, table: string) => `${source}\0${table}`.toLowerCase();

/** A table's fingerprint now, taken as the plan cache takes it (a stat per file, on this thread). */
async function currentFreshness(table: TableRef, roots: readonly string[]): Promise<TableFreshness> {
  const folders = snapshotInLocation(table)?.folders?.map((f) => f.path) ?? [];
  const now = await takeTableSnapshot(table.sourceType, table.location, roots, { schema: false, folders });
  return { sourceType: table.sourceType, location: table.location, folders, fingerprint: now.fingerprint };
}

/**
 * Substitutes reflections into a bound query plan (before the optimizer: the bound plan is
 * where a view's subtree is the same wherever it is expanded, and the rules after it then
 * push filters into the reflection's scan and prune its columns as for any table). Each
 * reflection on a dataset the query reads has its dataset bound (`SELECT * FROM path`, here on
 * the planner thread) and its base tables stamped: one whose fingerprints differ from its
 * materialization's snapshot is stale by the age of its data.
 */
export async function planWithReflections(
  plan: LogicalPlan,
  catalog: CatalogStore,
  view: CatalogView,
  roots: readonly string[],
  maxStalenessMs: number,
): Promise<{ plan: LogicalPlan; acceleration: PlannedAcceleration | null }> {
  let candidates: ReflectionCandidate[];
  try {
    candidates = new ReflectionStore(catalog.database).planningCandidates();
  } catch {
    // A catalog without reflections' tables (older than version 10) has none.
    return { plan, acceleration: null };
  }
  if (candidates.length === 0) return { plan, acceleration: null };
  const queryTables = tablesOf(plan);
  const datasets = new Map<string, LogicalPlan | { error: string }>();
  const staleness = new Map<string, number>();
  const current = new Map<string, TableFreshness>();
  const now = Date.now();
  for (const candidate of candidates) {
    const { definition, materialization } = candidate;
    let dataset: LogicalPlan | { error: string };
    try {
      const bound = bindSql(
        `SELECT * FROM ${definition.datasetPath.map(quoteSqlIdentifier).join('.')}`,
        view,
      );
      dataset = bound.kind === 'command' ? { error: 'not a query' } : bound.plan;
    } catch (error) {
      dataset = { error: error instanceof TributaryError ? error.message : String(error) };
    }
    datasets.set(definition.id, dataset);
    if ('error' in dataset || !materialization) continue;
    if (![...tablesOf(dataset)].every((t) => queryTables.has(t))) continue;
    let changed = false;
    for (const base of materialization.snapshot) {
      const key = tableKey(base.source, base.table);
      let fresh = current.get(key);
      if (!fresh) {
        const table = view.findTables(base.table, base.source)[0];
        if (!table) {
          changed = true;
          continue;
        }
        try {
          fresh = await currentFreshness(table, roots);
        } catch {
          changed = true;
          continue;
        }
        current.set(key, fresh);
      }
      if (fresh.fingerprint !== base.fingerprint) changed = true;
    }
    staleness.set(definition.id, changed ? Math.max(1, now - materialization.builtAt) : 0);
  }
  const substitution = substituteReflections(plan, candidates, {
    datasetPlan: (c) => datasets.get(c.definition.id) ?? { error: 'not bound' },
    stalenessMs: (c) => staleness.get(c.definition.id) ?? 0,
    maxStalenessMs,
  });
  const chosenIds = new Set(substitution.chosen.map((c) => c.reflectionId));
  const baseTables = new Map<string, TableFreshness>();
  for (const candidate of candidates)
    if (chosenIds.has(candidate.definition.id))
      for (const base of candidate.materialization?.snapshot ?? []) {
        const key = tableKey(base.source, base.table);
        const fresh = current.get(key);
        if (fresh) baseTables.set(key, fresh);
      }
  return {
    plan: substitution.plan,
    acceleration: {
      relationships: substitution.considered,
      chosen: substitution.chosen,
      baseTables: [...baseTables.values()],
    },
  };
}
