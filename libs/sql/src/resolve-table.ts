import { BindError, closestNames, type SqlPosition } from '@tributary/common';
import type { CatalogView, TableRef, ViewDefinition } from '@tributary/plan';
import { matchNames } from './name-match.ts';
import type { NamePart } from './scope.ts';
import { findSystemTable, type SystemTable } from './system-tables.ts';

/** What a name in FROM denotes: a source's table, a view, or a catalog table (information_schema, sys). */
export type Relation =
  | { readonly kind: 'table'; readonly table: TableRef }
  | { readonly kind: 'view'; readonly view: ViewDefinition }
  | { readonly kind: 'system'; readonly table: SystemTable };

function inSource(catalog: CatalogView, source: NamePart, table: NamePart): TableRef[] {
  return matchNames(
    matchNames(catalog.findTables(table.text, source.text), (t) => t.source, source.text, source.quoted),
    (t) => t.table,
    table.text,
    table.quoted,
  );
}

const joined = (parts: readonly NamePart[]): NamePart => ({
  text: parts.map((p) => p.text).join('.'),
  quoted: parts.every((p) => p.quoted),
});

function view(catalog: CatalogView, path: readonly string[]): Relation[] {
  const found = catalog.findView(path);
  return found ? [{ kind: 'view', view: found }] : [];
}

const tablesOf = (tables: readonly TableRef[]): Relation[] =>
  tables.map((table) => ({ kind: 'table', table }));

/**
 * Resolves `name`, `a.b` or `a.b.c` by key: a catalog table (`information_schema.tables`,
 * `sys.jobs`), a table of a source, or a view of a space. A bare name is looked up in the
 * pg_catalog first (as Postgres does), then in the default path (its source's table, or its
 * space's view), then in any source that alone
 * has it; a qualified name is tried as written, then under the default path. Only when
 * nothing is found are the catalog's names read, for a "did you mean".
 */
export function resolveRelation(
  catalog: CatalogView,
  parts: readonly NamePart[],
  defaultPath: readonly string[],
  position: SqlPosition | undefined,
): Relation {
  const display = parts.map((p) => p.text).join('.');
  const texts = parts.map((p) => p.text);
  const last = parts[parts.length - 1];
  if (parts.length === 2) {
    const system = findSystemTable(parts[0].text, parts[1].text);
    if (system) return { kind: 'system', table: system };
  }
  let found: Relation[] = [];
  if (parts.length === 1) {
    // As in Postgres, pg_catalog is searched before anything else (`FROM pg_type` is pg_catalog's).
    const pgCatalog = findSystemTable('pg_catalog', last.text);
    if (pgCatalog) return { kind: 'system', table: pgCatalog };
    if (defaultPath.length > 0) {
      found = tablesOf(inSource(catalog, { text: defaultPath.join('.'), quoted: true }, last));
      if (found.length === 0) found = view(catalog, [...defaultPath, last.text]);
    }
    if (found.length === 0) {
      const tables = matchNames(catalog.findTables(last.text), (t) => t.table, last.text, last.quoted);
      if (tables.length > 1) {
        throw new BindError(
          'AMBIGUOUS_TABLE',
          `table "${display}" exists in several sources (${tables.map((t) => t.source).join(', ')}); qualify it`,
          { position, suggestions: tables.map((t) => `${t.source}.${t.table}`) },
        );
      }
      found = tablesOf(tables);
    }
  } else if (parts.length === 2) {
    found = tablesOf(inSource(catalog, parts[0], last));
    if (found.length === 0) found = view(catalog, texts);
  } else {
    found = tablesOf(inSource(catalog, joined(parts.slice(0, -1)), last));
    if (found.length === 0)
      found = tablesOf(inSource(catalog, parts[0], { text: texts.slice(1).join('.'), quoted: true }));
    if (found.length === 0) found = view(catalog, texts);
  }
  if (found.length === 0 && parts.length > 1 && defaultPath.length > 0)
    found = view(catalog, [...defaultPath, ...texts]);
  if (found.length === 1) return found[0];
  if (found.length > 1)
    throw new BindError('AMBIGUOUS_TABLE', `table name "${display}" is ambiguous`, { position });
  throw notFound(catalog, parts, defaultPath, position);
}

/** TABLE_NOT_FOUND with the closest names, looked for first in the source or space it names. */
function notFound(
  catalog: CatalogView,
  parts: readonly NamePart[],
  defaultPath: readonly string[],
  position: SqlPosition | undefined,
): BindError {
  const display = parts.map((p) => p.text).join('.');
  const bare = parts.length === 1;
  const near = bare ? defaultPath[0] : parts[0].text;
  const paths = catalog.nameCandidates(near);
  const names = (within: readonly (readonly string[])[]) =>
    within.map((p) => (bare ? p[p.length - 1] : p.join('.')));
  const wanted = bare ? parts[0].text : display;
  const nearby =
    near === undefined ? [] : names(paths.filter((p) => p[0].toLowerCase() === near.toLowerCase()));
  let suggestions = closestNames(wanted, nearby);
  if (suggestions.length === 0) suggestions = closestNames(wanted, names(paths));
  const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
  return new BindError('TABLE_NOT_FOUND', `table "${display}" not found${hint}`, { position, suggestions });
}
