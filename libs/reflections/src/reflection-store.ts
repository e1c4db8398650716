import { randomUUID } from 'node:crypto';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { datasetKey } from '@tributary/catalog';
import { CatalogError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import type {
  BaseTableSnapshot,
  Materialization,
  ReflectionCandidate,
  ReflectionDefinition,
  ReflectionDimension,
  ReflectionMeasure,
  ReflectionStatus,
  ReflectionType,
} from './reflection-definition.ts';

/**
 * How a reflection is kept fresh: every `intervalMs` (null: the setting's default; 0: never on
 * a timer), and incrementally by `refreshField` (Dremio's refresh method INCREMENTAL with a
 * refresh field: a column whose values only grow as rows are added) when it is set.
 */
export interface RefreshPolicy {
  readonly intervalMs?: number | null;
  readonly refreshField?: string | null;
}

/** A reflection as the catalog holds it: its definition and its state. */
export interface ReflectionRecord extends ReflectionDefinition {
  /** The user it was created by; its builds run as them (undefined: auth off). */
  readonly owner: string | null;
  /** Changes with every change of the definition (Dremio's `tag`, guarding against lost updates). */
  readonly tag: string;
  readonly refreshPolicy: RefreshPolicy;
  /** As last written: REFRESHING while a build runs; STALE once its dataset changed since the build. */
  readonly status: ReflectionStatus;
  /** Failed builds in a row since the last one that succeeded. */
  readonly failureCount: number;
  readonly lastError: string | null;
  /** The copy serving now; null until a build succeeds. */
  readonly materialization: StoredMaterialization | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A materialization with where it lies and how long building it took. */
export interface StoredMaterialization extends Materialization {
  /** Its folder (absolute): `<reflectionsDir>/<reflection id>/<materialization id>`. */
  readonly folder: string;
  /** How long the build took (ms). */
  readonly refreshMs: number | null;
  /** Built from the previous one plus only the new files of its dataset. */
  readonly incremental: boolean;
}

/** The columns of a new reflection, as its owner wrote them. */
export interface NewReflection {
  readonly name: string;
  readonly datasetPath: readonly string[];
  readonly type: ReflectionType;
  readonly enabled?: boolean;
  readonly displayColumns?: readonly string[];
  readonly dimensions?: readonly ReflectionDimension[];
  readonly measures?: readonly ReflectionMeasure[];
  readonly partitionBy?: readonly string[];
  readonly localSortBy?: readonly string[];
  readonly owner?: string | null;
  readonly refreshPolicy?: RefreshPolicy;
}

/** What ALTER and PUT may change; the dataset and the type are fixed at creation. */
export type ReflectionChanges = Partial<
  Pick<
    NewReflection,
    | 'name'
    | 'enabled'
    | 'displayColumns'
    | 'dimensions'
    | 'measures'
    | 'partitionBy'
    | 'localSortBy'
    | 'refreshPolicy'
  >
>;

interface ReflectionRow {
  id: string;
  name: string;
  dataset_path_json: string;
  type: ReflectionType;
  definition_json: string;
  enabled: number;
  owner: string | null;
  tag: string;
  refresh_policy_json: string;
  status: ReflectionStatus;
  failure_count: number;
  last_error: string | null;
  materialization_id: string | null;
  created_at: string;
  updated_at: string;
}

interface MaterializationRow {
  id: string;
  reflection_id: string;
  folder: string;
  table_json: string;
  built_at: number;
  rows: number;
  bytes: number;
  snapshot_json: string;
  refresh_ms: number | null;
  incremental: number;
}

/** The parts of a definition kept as JSON (the rest has columns of its own). */
interface DefinitionJson {
  displayColumns: readonly string[];
  dimensions: readonly ReflectionDimension[];
  measures: readonly ReflectionMeasure[];
  partitionBy: readonly string[];
  localSortBy: readonly string[];
}

const newTag = (): string => randomUUID().replace(/-/g, '').slice(0, 16);

export const reflectionNotFound = (what: string): CatalogError =>
  new CatalogError('REFLECTION_NOT_FOUND', `no reflection ${what}`, { status: 404 });

/**
 * Reflections and their materializations in the catalog (tables of catalog version 10), over
 * the catalog's own connection (`CatalogStore.database`): every write a client is answered for
 * is one transaction, and counts as a change of definitions, so cached plans see it. On a
 * planner thread the same class reads over the read-only connection (`planningCandidates`).
 */
export class ReflectionStore {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Sets a dataset's refresh method (`REFRESH METHOD`): INCREMENTAL by `refreshField`, or FULL
   * (null), for every reflection on it now and those created on it later. One transaction.
   */
  setDatasetRefreshField(datasetPath: readonly string[], refreshField: string | null): ReflectionRecord[] {
    return this.db.transaction(() => {
      if (refreshField === null)
        this.db
          .prepare('DELETE FROM dataset_refresh_policies WHERE dataset_key = ?')
          .run(datasetKey(datasetPath));
      else
        this.db
          .prepare(
            `INSERT INTO dataset_refresh_policies (dataset_key, dataset_path_json, refresh_field) VALUES (?, ?, ?)
             ON CONFLICT (dataset_key) DO UPDATE SET refresh_field = excluded.refresh_field`,
          )
          .run(datasetKey(datasetPath), JSON.stringify(datasetPath), refreshField);
      return this.list({ datasetPath }).map((r) =>
        this.alter(r.id, { refreshPolicy: { ...r.refreshPolicy, refreshField } }),
      );
    })();
  }

  /** The dataset's refresh field (`REFRESH METHOD INCREMENTAL BY`), if it has one. */
  datasetRefreshField(datasetPath: readonly string[]): string | undefined {
    const row = this.db
      .prepare('SELECT refresh_field FROM dataset_refresh_policies WHERE dataset_key = ?')
      .get(datasetKey(datasetPath)) as { refresh_field: string } | undefined;
    return row?.refresh_field;
  }

  /**
   * A new reflection (status REFRESHING: it waits for its first build); REFLECTION_EXISTS (409)
   * by name on its dataset. Without a refresh field of its own it takes its dataset's.
   */
  create(input: NewReflection): ReflectionRecord {
    const now = new Date().toISOString();
    const inherited =
      input.refreshPolicy?.refreshField === undefined
        ? this.datasetRefreshField(input.datasetPath)
        : undefined;
    const refreshPolicy = inherited
      ? { ...input.refreshPolicy, refreshField: inherited }
      : (input.refreshPolicy ?? {});
    const id = randomUUID();
    const enabled = input.enabled ?? true;
    this.db.transaction(() => {
      const clash = this.find(input.datasetPath, input.name);
      if (clash)
        throw new CatalogError(
          'REFLECTION_EXISTS',
          `reflection "${clash.name}" already exists on ${clash.datasetPath.join('.')}`,
          { status: 409 },
        );
      this.db
        .prepare(
          `INSERT INTO reflections (id, name, dataset_path_json, dataset_key, type, definition_json, enabled, owner,
             tag, refresh_policy_json, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.name,
          JSON.stringify(input.datasetPath),
          datasetKey(input.datasetPath),
          input.type,
          JSON.stringify(definitionJson(input)),
          enabled ? 1 : 0,
          input.owner ?? null,
          newTag(),
          JSON.stringify(refreshPolicy),
          enabled ? 'REFRESHING' : 'DISABLED',
          now,
          now,
        );
    })();
    return this.get(id)!;
  }

  get(id: string): ReflectionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM reflections WHERE id = ?').get(id) as
      ReflectionRow | undefined;
    return row && this.toRecord(row);
  }

  /** The reflection of this name on this dataset (names compared case-insensitively). */
  find(datasetPath: readonly string[], name: string): ReflectionRecord | undefined {
    const row = this.db
      .prepare('SELECT * FROM reflections WHERE dataset_key = ? AND name = ? COLLATE NOCASE')
      .get(datasetKey(datasetPath), name) as ReflectionRow | undefined;
    return row && this.toRecord(row);
  }

  /** Every reflection, or those on one dataset, by dataset then name. */
  list(filter: { datasetPath?: readonly string[] } = {}): ReflectionRecord[] {
    const rows = (
      filter.datasetPath === undefined
        ? this.db.prepare('SELECT * FROM reflections ORDER BY dataset_key, name').all()
        : this.db
            .prepare('SELECT * FROM reflections WHERE dataset_key = ? ORDER BY name')
            .all(datasetKey(filter.datasetPath))
    ) as ReflectionRow[];
    return rows.map((row) => this.toRecord(row));
  }

  /**
   * Changes a reflection's definition or policy; a new tag. With `expectedTag`, TAG_MISMATCH
   * (409) when it changed since that tag was read. A changed definition needs a new build
   * (status REFRESHING); enabling or disabling sets DISABLED or REFRESHING.
   */
  alter(id: string, changes: ReflectionChanges, expectedTag?: string): ReflectionRecord {
    return this.db.transaction(() => {
      const existing = this.get(id);
      if (!existing) throw reflectionNotFound(`with id ${id}`);
      checkTag(existing, expectedTag);
      if (changes.name !== undefined && changes.name.toLowerCase() !== existing.name.toLowerCase()) {
        const clash = this.find(existing.datasetPath, changes.name);
        if (clash)
          throw new CatalogError(
            'REFLECTION_EXISTS',
            `reflection "${clash.name}" already exists on ${clash.datasetPath.join('.')}`,
            { status: 409 },
          );
      }
      const next = { ...existing, ...definedChanges(changes) };
      const redefined = JSON.stringify(definitionJson(next)) !== JSON.stringify(definitionJson(existing));
      const enabled = next.enabled;
      const status: ReflectionStatus = !enabled
        ? 'DISABLED'
        : redefined || !existing.enabled || existing.materialization === null
          ? 'REFRESHING'
          : existing.status;
      this.db
        .prepare(
          `UPDATE reflections SET name = ?, definition_json = ?, enabled = ?, refresh_policy_json = ?, tag = ?,
             status = ?, failure_count = ?, last_error = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          next.name,
          JSON.stringify(definitionJson(next)),
          enabled ? 1 : 0,
          JSON.stringify(next.refreshPolicy),
          newTag(),
          status,
          redefined ? 0 : existing.failureCount,
          redefined ? null : existing.lastError,
          new Date().toISOString(),
          id,
        );
      return this.get(id)!;
    })();
  }

  /** Removes a reflection and its materializations' rows (their folders are the caller's); the record dropped. */
  drop(id: string, expectedTag?: string): ReflectionRecord {
    return this.db.transaction(() => {
      const existing = this.get(id);
      if (!existing) throw reflectionNotFound(`with id ${id}`);
      checkTag(existing, expectedTag);
      this.db.prepare('DELETE FROM materializations WHERE reflection_id = ?').run(id);
      this.db.prepare('DELETE FROM reflections WHERE id = ?').run(id);
      return existing;
    })();
  }

  /**
   * Records the state of a reflection's refresh (REFRESHING, STALE, FAILED with the reason, …)
   * without changing its tag: the definition is the same. Writes only when something changes,
   * since every write is a change of definitions to the plan cache. false: it was dropped.
   */
  setStatus(
    id: string,
    status: ReflectionStatus,
    failure?: { readonly failureCount: number; readonly lastError: string | null },
  ): boolean {
    const existing = this.get(id);
    if (!existing) return false;
    const count = failure?.failureCount ?? existing.failureCount;
    const error = failure === undefined ? existing.lastError : failure.lastError;
    if (existing.status === status && existing.failureCount === count && existing.lastError === error)
      return true;
    this.db
      .prepare('UPDATE reflections SET status = ?, failure_count = ?, last_error = ? WHERE id = ?')
      .run(status, count, error, id);
    return true;
  }

  /**
   * Puts a new materialization in service, in one transaction: its row, the reflection
   * pointing at it, status CAN_ACCELERATE, failures cleared; the one it replaces is removed
   * from the catalog and returned, for its folder to be deleted once no query reads it.
   * REFLECTION_NOT_FOUND when the reflection was dropped meanwhile (its folder is then the
   * caller's to delete).
   */
  switchMaterialization(materialization: Omit<StoredMaterialization, never>): StoredMaterialization | null {
    return this.db.transaction(() => {
      const existing = this.get(materialization.reflectionId);
      if (!existing) throw reflectionNotFound(`with id ${materialization.reflectionId}`);
      this.db
        .prepare(
          `INSERT INTO materializations (id, reflection_id, folder, table_json, built_at, rows, bytes, snapshot_json,
             refresh_ms, incremental, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          materialization.id,
          materialization.reflectionId,
          materialization.folder,
          JSON.stringify(materialization.table),
          materialization.builtAt,
          materialization.rows,
          materialization.bytes,
          JSON.stringify(materialization.snapshot),
          materialization.refreshMs,
          materialization.incremental ? 1 : 0,
          new Date().toISOString(),
        );
      const previous = existing.materialization;
      if (previous) this.db.prepare('DELETE FROM materializations WHERE id = ?').run(previous.id);
      this.db
        .prepare(
          `UPDATE reflections SET materialization_id = ?, status = ?, failure_count = 0, last_error = NULL
             WHERE id = ?`,
        )
        .run(materialization.id, existing.enabled ? 'CAN_ACCELERATE' : 'DISABLED', existing.id);
      return previous;
    })();
  }

  /** Every materialization folder the catalog references (start-up deletes any other). */
  referencedFolders(): Set<string> {
    const rows = this.db.prepare('SELECT folder FROM materializations').all() as { folder: string }[];
    return new Set(rows.map((r) => r.folder));
  }

  /**
   * The enabled reflections with their status and serving materialization: what the planner
   * may substitute (it decides on staleness itself, from the snapshots).
   */
  planningCandidates(): ReflectionCandidate[] {
    const rows = this.db
      .prepare('SELECT * FROM reflections WHERE enabled = 1 ORDER BY id')
      .all() as ReflectionRow[];
    return rows.map((row) => {
      const record = this.toRecord(row);
      return {
        definition: definitionOf(record),
        status: record.status,
        materialization: record.materialization,
      };
    });
  }

  private materialization(id: string | null): StoredMaterialization | null {
    if (id === null) return null;
    const row = this.db.prepare('SELECT * FROM materializations WHERE id = ?').get(id) as
      MaterializationRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      reflectionId: row.reflection_id,
      folder: row.folder,
      table: JSON.parse(row.table_json) as TableRef,
      builtAt: row.built_at,
      rows: row.rows,
      bytes: row.bytes,
      snapshot: JSON.parse(row.snapshot_json) as BaseTableSnapshot[],
      refreshMs: row.refresh_ms,
      incremental: row.incremental === 1,
    };
  }

  private toRecord(row: ReflectionRow): ReflectionRecord {
    const definition = JSON.parse(row.definition_json) as DefinitionJson;
    return {
      id: row.id,
      name: row.name,
      datasetPath: JSON.parse(row.dataset_path_json) as string[],
      type: row.type,
      enabled: row.enabled === 1,
      displayColumns: definition.displayColumns,
      dimensions: definition.dimensions,
      measures: definition.measures,
      partitionBy: definition.partitionBy,
      localSortBy: definition.localSortBy,
      owner: row.owner,
      tag: row.tag,
      refreshPolicy: JSON.parse(row.refresh_policy_json) as RefreshPolicy,
      status: row.status,
      failureCount: row.failure_count,
      lastError: row.last_error,
      materialization: this.materialization(row.materialization_id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}

/** The contract's view of a record: the definition alone. */
export function definitionOf(record: ReflectionDefinition): ReflectionDefinition {
  return {
    id: record.id,
    name: record.name,
    datasetPath: record.datasetPath,
    type: record.type,
    enabled: record.enabled,
    displayColumns: record.displayColumns,
    dimensions: record.dimensions,
    measures: record.measures,
    partitionBy: record.partitionBy,
    localSortBy: record.localSortBy,
  };
}

function definitionJson(input: Partial<DefinitionJson>): DefinitionJson {
  return {
    displayColumns: input.displayColumns ?? [],
    dimensions: input.dimensions ?? [],
    measures: input.measures ?? [],
    partitionBy: input.partitionBy ?? [],
    localSortBy: input.localSortBy ?? [],
  };
}

/** The changes that were given (undefined means "keep"). */
function definedChanges(changes: ReflectionChanges): Partial<ReflectionRecord> {
  return Object.fromEntries(
    Object.entries(changes).filter(([, v]) => v !== undefined),
  ) as Partial<ReflectionRecord>;
}

function checkTag(existing: ReflectionRecord, expectedTag: string | undefined): void {
  if (expectedTag !== undefined && existing.tag !== expectedTag)
    throw new CatalogError(
      'TAG_MISMATCH',
      `reflection "${existing.name}" changed since tag ${expectedTag} was read; its tag is now ${existing.tag}`,
      { status: 409, details: { tag: existing.tag } },
    );
}
