import { BindError, closestNames, type SqlPosition } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { matchNames } from './name-match.ts';
import type { NamePart } from './scope.ts';

function inSource(tables: readonly TableRef[], source: NamePart, table: NamePart): TableRef[] {
  return matchNames(
    matchNames(tables, (t) => t.source, source.text, source.quoted),
    (t) => t.table,
    table.text,
    table.quoted,
  );
}

/**
 * Resolves `table`, `source.table` or `a.b.c` against the catalog: a bare name is looked up
 * in the default path first, then in any source that alone has it.
 */
export function resolveTable(
  tables: readonly TableRef[],
  parts: readonly NamePart[],
  defaultPath: readonly string[],
  position: SqlPosition | undefined,
): TableRef {
  const display = parts.map((p) => p.text).join('.');
  let found: TableRef[] = [];
  const last = parts[parts.length - 1];
  if (parts.length === 1) {
    if (defaultPath.length > 0) found = inSource(tables, { text: defaultPath.join('.'), quoted: true }, last);
    if (found.length === 0) {
      found = matchNames(tables, (t) => t.table, last.text, last.quoted);
      if (found.length > 1) {
        throw new BindError(
          'AMBIGUOUS_TABLE',
          `table "${display}" exists in several sources (${found.map((t) => t.source).join(', ')}); qualify it`,
          {
            position,
            suggestions: found.map((t) => `${t.source}.${t.table}`),
          },
        );
      }
    }
  } else if (parts.length === 2) {
    found = inSource(tables, parts[0], last);
  } else {
    const head = parts.slice(0, -1);
    found = inSource(
      tables,
      { text: head.map((p) => p.text).join('.'), quoted: head.every((p) => p.quoted) },
      last,
    );
    if (found.length === 0)
      found = inSource(tables, parts[0], {
        text: parts
          .slice(1)
          .map((p) => p.text)
          .join('.'),
        quoted: true,
      });
  }
  if (found.length === 1) return found[0];
  if (found.length > 1)
    throw new BindError('AMBIGUOUS_TABLE', `table name "${display}" is ambiguous`, { position });
  const candidates =
    parts.length === 1 ? tables.map((t) => t.table) : tables.map((t) => `${t.source}.${t.table}`);
  const suggestions = closestNames(parts.length === 1 ? last.text : display, candidates);
  const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
  throw new BindError('TABLE_NOT_FOUND', `table "${display}" not found${hint}`, { position, suggestions });
}
