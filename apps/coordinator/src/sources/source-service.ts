import { tagMismatch, type CatalogStore, type SourceRecord, type TableRecord } from '@tributary/catalog';
import {
  RequestError,
  SourceError,
  TributaryError,
  closestNames,
  typeToString,
  type UnsupportedColumn,
} from '@tributary/common';
import {
  asTableSnapshot,
  confinePath,
  connectorFor,
  folderStamps,
  takeTableSnapshot,
  type DiscoveredTable,
  type TableSnapshot,
} from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';
import { diffSourceTables, type SourceChanges } from './diff-source-tables.ts';
import { explainPathNotAllowed } from './path-not-allowed.ts';
import { SourceQueue } from './source-queue.ts';

const SOURCE_TYPES: readonly SourceType[] = ['csv', 'parquet', 'sqlite'];
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** What the API shows of a table's snapshot: a short identity, never the file list. */
export interface SnapshotSummary {
  readonly fingerprint: string;
  readonly files: number;
  readonly bytes: number;
}

export interface TableView {
  readonly name: string;
  readonly columns: { name: string; type: string }[];
  /** The connector's settings for the table (a CSV dialect, ...), when it reports any. */
  readonly settings?: Record<string, unknown>;
  readonly snapshot?: SnapshotSummary;
  /** Columns the source holds that Tributary cannot read, left out of `columns`. */
  readonly unsupportedColumns?: UnsupportedColumn[];
}

export interface SourceView {
  readonly name: string;
  readonly type: string;
  readonly path: string;
  readonly options: Record<string, unknown>;
  readonly createdAt: string;
  /** When its metadata was last read: registration, refresh or a change of options. */
  readonly refreshedAt: string;
  readonly tables: TableView[];
}

export interface RegisterSourceRequest {
  readonly name: unknown;
  readonly type: unknown;
  readonly path: unknown;
  readonly options?: unknown;
}

/** PUT /api/v1/sources/:name: the fields given replace the source's; the others stay. */
export interface UpdateSourceRequest {
  readonly type?: unknown;
  readonly path?: unknown;
  readonly options?: unknown;
}

export interface RefreshResult {
  readonly source: SourceView;
  readonly changes: SourceChanges;
  /** true when a background check found nothing changed and did not read the source again. */
  readonly skipped?: boolean;
}

/** A discovered table, with the snapshot of its files when the discoverer took one. */
export type DiscoveredSourceTable = DiscoveredTable & { readonly snapshot?: TableSnapshot };

export type Discover = (
  type: SourceType,
  path: string,
  options: Readonly<Record<string, unknown>>,
) => Promise<DiscoveredSourceTable[]>;

/**
 * Registers, lists, refreshes, changes and removes sources; the catalog is the only state.
 * Discovery runs off the event loop (the injected `discover` is the planner threads); each
 * catalog write replaces a source's whole metadata in one transaction, and only after
 * discovery succeeded, so a failed refresh or change keeps the old metadata. Writes to one
 * source run one at a time (SourceQueue), and a refresh asked for while another waits joins it.
 */
export class SourceService {
  private readonly queue = new SourceQueue();

  constructor(
    private readonly catalog: CatalogStore,
    private readonly roots: () => readonly string[],
    private readonly discover: Discover,
  ) {}

  async register(request: RegisterSourceRequest): Promise<SourceView> {
    const { name } = request;
    const options = request.options ?? {};
    if (typeof name !== 'string' || !SOURCE_NAME.test(name)) {
      throw new RequestError(
        'INVALID_SOURCE_NAME',
        'source "name" must start with a letter or _ and contain only letters, digits, _ and - (at most 128)',
      );
    }
    const type = checkType(request.type);
    const path = checkPath(request.path);
    checkOptions(options);
    if (this.catalog.getSource(name)) {
      throw new SourceError('SOURCE_EXISTS', `a source named "${name}" already exists`, { status: 409 });
    }
    return this.queue.run(name, async () => {
      const { realPath, tables, stamps } = await this.read(type, path, options);
      this.catalog.createSource(
        { name, type, path: realPath, options, ...(stamps === undefined ? {} : { folderStamps: stamps }) },
        tables.map(toRecord),
      );
      return this.get(name);
    });
  }

  /**
   * Reads the source again (new, removed and changed tables, changed schemas) and replaces its
   * metadata; on any error the old metadata stays and the error says so.
   */
  refresh(name: string): Promise<RefreshResult> {
    const source = this.require(name);
    return this.queue.coalesced(source.name, () => this.refreshNow(source.name));
  }

  /**
   * The background refresh: as refresh, but a source whose folders' mtimes and tables' file
   * stamps are all as stored is not read again (skipped: true). A manual refresh always reads.
   */
  refreshIfChanged(name: string): Promise<RefreshResult> {
    const source = this.require(name);
    return this.queue.run(source.name, async () => {
      const current = this.require(source.name);
      if (!(await this.unchanged(current))) return this.refreshNow(current.name);
      const tables = this.catalog.listTables(current.name).map((t) => t.name);
      return {
        source: this.get(current.name),
        changes: { added: [], removed: [], changed: [], unchanged: tables },
        skipped: true,
      };
    });
  }

  private async refreshNow(name: string): Promise<RefreshResult> {
    const current = this.require(name);
    const before = this.catalog.listTables(current.name);
    let read: Read;
    try {
      read = await this.read(current.type as SourceType, current.path, current.options);
    } catch (error) {
      throw keptMetadata(current.name, error);
    }
    return this.write(current.name, read, current.options, before);
  }

  /** Whether nothing a discovery reads changed: folder mtimes, then each table's file stamps. */
  private async unchanged(source: SourceRecord): Promise<boolean> {
    const roots = this.roots();
    if (source.folderStamps === undefined || source.folderStamps !== (await folderStamps(source.path, roots)))
      return false;
    for (const table of this.catalog.listTables(source.name)) {
      const stored = asTableSnapshot(table.snapshot);
      if (!stored) return false;
      // Stamps only: no SQLite database is opened on the event loop.
      const now = await takeTableSnapshot(source.type as SourceType, table.location, roots, {
        schema: false,
        folders: (stored.folders ?? []).map((f) => f.path),
      }).catch(() => undefined);
      if (!now || JSON.stringify([now.files, now.folders]) !== JSON.stringify([stored.files, stored.folders]))
        return false;
    }
    return true;
  }

  /** Replaces the source's metadata with what was read, and says what changed. */
  private write(
    name: string,
    read: Read,
    options: Record<string, unknown>,
    before: readonly TableRecord[],
    expectedTag?: string,
  ): RefreshResult {
    const records = read.tables.map(toRecord);
    this.catalog.replaceSource(
      name,
      { path: read.realPath, options, ...(read.stamps === undefined ? {} : { folderStamps: read.stamps }) },
      records,
      expectedTag,
    );
    return { source: this.get(name), changes: diffSourceTables(before, records) };
  }

  /**
   * Changes a source's path or options: discovered anew, written only if that succeeds. With
   * `expectedTag`, only if the source still has that tag when written (else 409 TAG_MISMATCH).
   */
  async update(name: string, request: UpdateSourceRequest, expectedTag?: string): Promise<RefreshResult> {
    const source = this.require(name);
    // Stale already: said before reading the files; the write checks again, in its transaction.
    if (expectedTag !== undefined && source.tag !== expectedTag) throw tagMismatch([source.name], source.tag);
    if (request.type !== undefined && checkType(request.type) !== source.type) {
      throw new RequestError(
        'INVALID_SOURCE_TYPE',
        `source "${source.name}" is of type ${source.type}; to change its type, remove it and register it again`,
      );
    }
    const path = request.path === undefined ? undefined : checkPath(request.path);
    if (request.options !== undefined) checkOptions(request.options);
    return this.queue.run(source.name, async () => {
      const current = this.require(source.name);
      const options = (request.options as Record<string, unknown> | undefined) ?? current.options;
      const before = this.catalog.listTables(current.name);
      const read = await this.read(current.type as SourceType, path ?? current.path, options);
      return this.write(current.name, read, options, before, expectedTag);
    });
  }

  get(name: string): SourceView {
    const source = this.require(name);
    return view(source, this.catalog.listTables(source.name));
  }

  list(): SourceView[] {
    const tables = this.catalog.listTables();
    return this.catalog.listSources().map((s) =>
      view(
        s,
        tables.filter((t) => t.source === s.name),
      ),
    );
  }

  /** Each source's name and the path it reads (to show paths relative to their source). */
  locations(): { name: string; path: string }[] {
    return this.catalog.listSources().map((s) => ({ name: s.name, path: s.path }));
  }

  names(): string[] {
    return this.catalog.listSources().map((s) => s.name);
  }

  /** Removes a source; with `expectedTag`, only if it still has that tag (else 409 TAG_MISMATCH). */
  remove(name: string, expectedTag?: string): void {
    this.require(name);
    if (!this.catalog.deleteSource(name, expectedTag)) throw this.notFound(name);
  }

  private require(name: string): SourceRecord {
    const source = this.catalog.getSource(name);
    if (!source) throw this.notFound(name);
    return source;
  }

  private notFound(name: string): SourceError {
    const suggestions = closestNames(name, this.names());
    const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
    return new SourceError('SOURCE_NOT_FOUND', `no source named "${name}"${hint}`, {
      status: 404,
      suggestions,
    });
  }

  /**
   * Confines the path and discovers its tables (the connector checks its option names). The
   * folders are stamped before discovery, so a file added meanwhile shows as a change next time.
   */
  private async read(
    type: SourceType,
    path: string,
    options: Readonly<Record<string, unknown>>,
  ): Promise<Read> {
    const roots = this.roots();
    const realPath = await confinePath(path, roots).catch((error: unknown) => {
      throw explainPathNotAllowed(error, roots);
    });
    const stamps = await folderStamps(realPath, roots);
    const tables = await this.discover(type, realPath, options);
    if (tables.length === 0) {
      throw new SourceError('NO_TABLES_FOUND', `no ${type} tables found at ${path}`);
    }
    return { realPath, tables, stamps };
  }
}

interface Read {
  readonly realPath: string;
  readonly tables: DiscoveredSourceTable[];
  readonly stamps: string | undefined;
}

function checkType(type: unknown): SourceType {
  if (typeof type !== 'string' || !SOURCE_TYPES.includes(type as SourceType)) {
    throw new RequestError(
      'INVALID_SOURCE_TYPE',
      `source "type" must be one of ${SOURCE_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
    );
  }
  return type as SourceType;
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new RequestError('INVALID_SOURCE_PATH', 'source "path" must be a non-empty string');
  }
  return path;
}

function checkOptions(options: unknown): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RequestError('INVALID_SOURCE_OPTIONS', 'source "options" must be a JSON object');
  }
}

/** A failed refresh, saying that the source's metadata was kept; the code stays the cause's. */
function keptMetadata(source: string, error: unknown): unknown {
  if (!(error instanceof TributaryError)) return error;
  return new TributaryError(
    error.code,
    error.phase,
    `refresh of source "${source}" failed, its metadata is kept as it was: ${error.message}`,
    {
      status: error.status,
      ...(error.suggestions ? { suggestions: error.suggestions } : {}),
      details: { ...error.details, source, metadataKept: true },
      cause: error,
    },
  );
}

function toRecord(t: DiscoveredSourceTable): Omit<TableRecord, 'source'> {
  return {
    name: t.name,
    columns: [...t.columns],
    location: { ...t.location },
    ...(t.rowCount === undefined ? {} : { rowCount: t.rowCount }),
    ...(t.statistics === undefined ? {} : { statistics: { ...t.statistics } }),
    ...(t.snapshot === undefined ? {} : { snapshot: { ...t.snapshot } }),
    ...(t.unsupportedColumns === undefined ? {} : { unsupportedColumns: [...t.unsupportedColumns] }),
  };
}

/** The connector's settings for a table; nothing when it reports none or cannot. */
function settingsOf(type: string, location: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    return connectorFor(type as SourceType).tableSettings?.(location);
  } catch {
    return undefined; // a listing never fails for one table's settings
  }
}

function summary(snapshot: TableSnapshot): SnapshotSummary {
  return {
    fingerprint: snapshot.fingerprint,
    files: snapshot.files.length,
    bytes: snapshot.files.reduce((n, f) => n + f.size, 0),
  };
}

function view(source: SourceRecord, tables: readonly TableRecord[]): SourceView {
  return {
    name: source.name,
    type: source.type,
    path: source.path,
    options: source.options,
    createdAt: source.createdAt,
    refreshedAt: source.updatedAt,
    tables: tables.map((t) => {
      const settings = settingsOf(source.type, t.location);
      const snapshot = asTableSnapshot(t.snapshot);
      return {
        name: t.name,
        columns: t.columns.map((c) => ({ name: c.name, type: typeToString(c.type) })),
        ...(settings === undefined ? {} : { settings }),
        ...(snapshot === undefined ? {} : { snapshot: summary(snapshot) }),
        ...(t.unsupportedColumns === undefined ? {} : { unsupportedColumns: [...t.unsupportedColumns] }),
      };
    }),
  };
}
