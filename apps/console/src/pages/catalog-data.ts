import { api } from '../api/api-client.ts';
import { completionData } from '../editor/sql-editor.ts';
import type { ResultColumn } from '../results/result-pager.ts';

export interface SourceTable {
  name: string;
  columns: ResultColumn[];
}

export interface Source {
  name: string;
  type: string;
  path?: string;
  options: Record<string, unknown>;
  createdAt: string;
  refreshedAt: string;
  tables: SourceTable[];
}

export interface View {
  id: string;
  path: string[];
  sql: string;
  columns: ResultColumn[];
  tag: string;
}

export interface Catalog {
  sources: Source[];
  spaces: { name: string; folders: string[][] }[];
  views: View[];
}

/** A name part as SQL needs it: quoted unless a plain identifier. */
export function quoteName(part: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : `"${part.replace(/"/g, '""')}"`;
}

export const sqlPath = (path: readonly string[]) => path.map(quoteName).join('.');

/** Reads the catalog (sources, spaces, folders, views) and feeds the editor's completions. */
export async function loadCatalog(): Promise<Catalog> {
  const [sources, spaces, views] = await Promise.all([
    api<{ sources: Source[] }>('GET', '/api/v1/sources'),
    api<{ spaces: { name: string }[] }>('GET', '/api/v1/spaces'),
    api<{ views: View[] }>('GET', '/api/v1/views'),
  ]);
  const withFolders = await Promise.all(
    spaces.spaces.map(async (s) => {
      const content = await api<{ folders: { path: string[] }[] }>(
        'GET',
        `/api/v1/spaces/${encodeURIComponent(s.name)}`,
      ).catch(() => ({ folders: [] }));
      return { name: s.name, folders: content.folders.map((f) => f.path) };
    }),
  );
  const catalog = { sources: sources.sources, spaces: withFolders, views: views.views };
  updateCompletions(catalog);
  return catalog;
}

let functionsLoaded = false;

function updateCompletions(catalog: Catalog): void {
  const schema: Record<string, Record<string, string[]> | string[]> = {};
  for (const source of catalog.sources)
    schema[source.name] = Object.fromEntries(
      source.tables.map((t) => [t.name, t.columns.map((c) => c.name)]),
    );
  for (const view of catalog.views) {
    let level = schema as Record<string, unknown>;
    for (const part of view.path.slice(0, -1)) {
      if (!level[part] || Array.isArray(level[part])) level[part] = {};
      level = level[part] as Record<string, unknown>;
    }
    level[view.path[view.path.length - 1]] = view.columns.map((c) => c.name);
  }
  completionData.schema = schema;
  completionData.version++;
  if (!functionsLoaded) {
    functionsLoaded = true;
    void api<{ functions: { name: string; kind: string }[] }>('GET', '/api/v1/functions').then(
      (answer) => {
        completionData.functions = answer.functions;
      },
      () => {
        functionsLoaded = false;
      },
    );
  }
}
