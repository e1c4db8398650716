import type { CatalogStore, SourceRecord, TableRecord } from '@tributary/catalog';
import { RequestError, SourceError, typeToString } from '@tributary/common';
import { confinePath, type DiscoveredTable } from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';

const SOURCE_TYPES: readonly SourceType[] = ['csv', 'parquet', 'sqlite'];
const SOURCE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export interface SourceView {
  readonly name: string;
  readonly type: string;
  readonly path: string;
  readonly options: Record<string, unknown>;
  readonly createdAt: string;
  readonly tables: { name: string; columns: { name: string; type: string }[] }[];
}

export interface RegisterSourceRequest {
  readonly name: unknown;
  readonly type: unknown;
  readonly path: unknown;
  readonly options?: unknown;
}

/** Registers, lists and removes sources; the catalog is the only state. */
export class SourceService {
  constructor(
    private readonly catalog: CatalogStore,
    private readonly roots: () => readonly string[],
    /** Reads a source's tables (off the event loop: the planner threads do it). */
    private readonly discover: (
      type: SourceType,
      path: string,
      options: Readonly<Record<string, unknown>>,
    ) => Promise<DiscoveredTable[]>,
  ) {}

  async register(request: RegisterSourceRequest): Promise<SourceView> {
    const { name, type, path } = request;
    const options = request.options ?? {};
    if (typeof name !== 'string' || !SOURCE_NAME.test(name)) {
      throw new RequestError(
        'INVALID_SOURCE_NAME',
        'source "name" must start with a letter or _ and contain only letters, digits, _ and - (at most 128)',
      );
    }
    if (typeof type !== 'string' || !SOURCE_TYPES.includes(type as SourceType)) {
      throw new RequestError(
        'INVALID_SOURCE_TYPE',
        `source "type" must be one of ${SOURCE_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
      );
    }
    if (typeof path !== 'string' || path.trim() === '') {
      throw new RequestError('INVALID_SOURCE_PATH', 'source "path" must be a non-empty string');
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new RequestError('INVALID_SOURCE_OPTIONS', 'source "options" must be a JSON object');
    }
    if (this.catalog.getSource(name)) {
      throw new SourceError('SOURCE_EXISTS', `a source named "${name}" already exists`, { status: 409 });
    }
    const roots = this.roots();
    const realPath = await confinePath(path, roots);
    const tables = await this.discover(type as SourceType, realPath, options as Record<string, unknown>);
    if (tables.length === 0) {
      throw new SourceError('NO_TABLES_FOUND', `no ${type} tables found at ${path}`);
    }
    this.catalog.createSource(
      { name, type, path: realPath, options: options as Record<string, unknown> },
      tables.map((t) => ({
        name: t.name,
        columns: [...t.columns],
        location: { ...t.location },
        ...(t.rowCount === undefined ? {} : { rowCount: t.rowCount }),
        ...(t.statistics === undefined ? {} : { statistics: { ...t.statistics } }),
      })),
    );
    return this.get(name);
  }

  get(name: string): SourceView {
    const source = this.catalog.getSource(name);
    if (!source) throw new SourceError('SOURCE_NOT_FOUND', `no source named "${name}"`, { status: 404 });
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

  remove(name: string): void {
    if (!this.catalog.deleteSource(name))
      throw new SourceError('SOURCE_NOT_FOUND', `no source named "${name}"`, { status: 404 });
  }
}

function view(source: SourceRecord, tables: readonly TableRecord[]): SourceView {
  return {
    name: source.name,
    type: source.type,
    path: source.path,
    options: source.options,
    createdAt: source.createdAt,
    tables: tables.map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: typeToString(c.type) })),
    })),
  };
}
