import { createHash } from 'node:crypto';
import type { FolderRecord, SourceRecord, SpaceRecord, TableRecord, ViewRecord } from '@tributary/catalog';
import { dremioField } from './dremio-types.ts';

/**
 * Tributary's catalog objects as Dremio's v3 catalog API shows them (docs.dremio.com, API
 * Reference → Catalog): sources and spaces are CONTAINERs at the root; a space holds folders
 * and views; a source holds its tables (PROMOTED physical datasets); each entity has an `id`
 * that does not change and a `tag` that changes with it.
 */

/** A source's table has no id of its own: its id is derived from its source's id and its name (stable). */
export function physicalDatasetId(sourceId: string, tableName: string): string {
  const hex = createHash('sha1').update(`${sourceId}\u001f${tableName.toLowerCase()}`).digest('hex');
  // Shaped as a version-5 (name-based) UUID, as Dremio's ids are UUIDs.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A table's tag changes when its columns or its files' snapshot do. */
export function tableTag(table: TableRecord): string {
  const fingerprint = (table.snapshot as { fingerprint?: unknown } | undefined)?.fingerprint ?? null;
  return createHash('sha1')
    .update(JSON.stringify([table.columns, fingerprint]))
    .digest('hex')
    .slice(0, 16);
}

/** A source's type as Dremio names it: CSV and Parquet files are a NAS source (their format in `config.format`). */
export function dremioSourceType(type: string): string {
  return type === 'csv' || type === 'parquet' ? 'NAS' : type.toUpperCase();
}

/** An entry of `GET /api/v3/catalog`: `{id, path, tag, type: "CONTAINER", containerType, createdAt}`. */
export function rootContainer(
  object: { kind: 'source'; source: SourceRecord } | { kind: 'space'; space: SpaceRecord },
) {
  const record = object.kind === 'source' ? object.source : object.space;
  return {
    id: record.id,
    path: [record.name],
    tag: record.tag,
    type: 'CONTAINER' as const,
    containerType: object.kind === 'source' ? ('SOURCE' as const) : ('SPACE' as const),
    createdAt: record.createdAt,
  };
}

/** A child as a space, folder or source lists it (Dremio's CatalogEntitySummary). */
export type CatalogSummary = ReturnType<typeof folderSummary | typeof viewSummary | typeof tableSummary>;

export function folderSummary(folder: FolderRecord) {
  return {
    id: folder.id,
    path: [...folder.path],
    tag: folder.tag,
    type: 'CONTAINER' as const,
    containerType: 'FOLDER' as const,
    createdAt: folder.createdAt,
  };
}

export function viewSummary(view: ViewRecord) {
  return {
    id: view.id,
    path: [...view.path],
    tag: view.tag,
    type: 'DATASET' as const,
    datasetType: 'VIRTUAL' as const,
    createdAt: view.createdAt,
  };
}

export function tableSummary(source: SourceRecord, table: TableRecord) {
  return {
    id: physicalDatasetId(source.id, table.name),
    path: [source.name, table.name],
    tag: tableTag(table),
    type: 'DATASET' as const,
    datasetType: 'PROMOTED' as const,
    createdAt: source.createdAt,
  };
}

/** The folders and views directly in a space or folder at `path`, folders first, each by name. */
export function childrenOf(
  path: readonly string[],
  folders: readonly FolderRecord[],
  views: readonly ViewRecord[],
): CatalogSummary[] {
  const depth = path.length + 1;
  return [
    ...folders.filter((f) => f.path.length === depth).map(folderSummary),
    ...views.filter((v) => v.path.length === depth).map(viewSummary),
  ];
}

export function spaceEntity(space: SpaceRecord, children: readonly CatalogSummary[]) {
  return {
    entityType: 'space' as const,
    id: space.id,
    name: space.name,
    tag: space.tag,
    createdAt: space.createdAt,
    children: [...children],
  };
}

export function folderEntity(folder: FolderRecord, children: readonly CatalogSummary[]) {
  return {
    entityType: 'folder' as const,
    id: folder.id,
    path: [...folder.path],
    tag: folder.tag,
    createdAt: folder.createdAt,
    children: [...children],
  };
}

/** A view: Dremio's VIRTUAL_DATASET, with its SQL, the context its bare names resolve in, and its columns. */
export function viewEntity(view: ViewRecord) {
  return {
    entityType: 'dataset' as const,
    id: view.id,
    type: 'VIRTUAL_DATASET' as const,
    path: [...view.path],
    createdAt: view.createdAt,
    tag: view.tag,
    sql: view.sql,
    sqlContext: [...view.context],
    fields: view.columns.map(dremioField),
    ...(view.owner === null ? {} : { owner: { ownerName: view.owner, ownerType: 'USER' as const } }),
  };
}

/** A source's table: Dremio's PHYSICAL_DATASET, with its columns and its format. */
export function tableEntity(source: SourceRecord, table: TableRecord) {
  return {
    entityType: 'dataset' as const,
    id: physicalDatasetId(source.id, table.name),
    type: 'PHYSICAL_DATASET' as const,
    path: [source.name, table.name],
    createdAt: source.createdAt,
    tag: tableTag(table),
    format: { type: DREMIO_FORMATS[source.type] ?? source.type },
    fields: table.columns.map(dremioField),
  };
}

/** Dremio's format names: CSV is its "Text" format. */
const DREMIO_FORMATS: Record<string, string> = { csv: 'Text', parquet: 'Parquet', sqlite: 'SQLite' };

/**
 * A source with its tables as children. `config` holds what it was registered with: `path`
 * (for admins only, as every response shows server paths), `format` for a NAS source, and the
 * connector's options (credentials masked by the caller).
 */
export function sourceEntity(
  source: SourceRecord,
  tables: readonly TableRecord[],
  config: { readonly path?: string; readonly options: Record<string, unknown> },
) {
  const type = dremioSourceType(source.type);
  return {
    entityType: 'source' as const,
    id: source.id,
    tag: source.tag,
    type,
    name: source.name,
    createdAt: source.createdAt,
    config: {
      ...(config.path === undefined ? {} : { path: config.path }),
      ...(type === 'NAS' ? { format: source.type } : {}),
      ...config.options,
    },
    children: tables.map((t) => tableSummary(source, t)),
  };
}
