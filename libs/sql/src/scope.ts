import { BindError, closestNames, type SqlPosition } from '@tributary/common';
import { column, type ColumnExpr } from '@tributary/plan';
import type { Field } from '@tributary/plan';
import { matchNames } from './name-match.ts';

/** One column visible to expressions: its input index and the names it can be reached by. */
export interface ScopeColumn {
  readonly name: string;
  readonly type: Field['type'];
  readonly index: number;
  /** Table alias (or table name) the column is qualified by. */
  readonly qualifier: string;
  /** Source and table of a scanned catalog table, for `source.table.column`. */
  readonly source?: string;
  readonly table?: string;
  /** The right-hand copy of a USING column: only reachable qualified, left out of `*`. */
  readonly usingDuplicate?: boolean;
  /** A one-column table function's column under its table alias: only reachable unqualified, left out of `*`. */
  readonly functionAlias?: boolean;
}

export interface NamePart {
  readonly text: string;
  readonly quoted: boolean;
}

/** A COLUMN_NOT_FOUND error restated with the closest of `names`. */
function withSuggestions(error: BindError, parts: readonly NamePart[], names: readonly string[]): BindError {
  const wanted = parts[parts.length - 1].text;
  const suggestions = closestNames(wanted, [...new Set(names)]);
  const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
  return new BindError(
    'COLUMN_NOT_FOUND',
    `column "${parts.map((p) => p.text).join('.')}" not found${hint}`,
    {
      position: error.line === undefined ? undefined : { line: error.line, column: error.column ?? 1 },
      suggestions,
      details: error.details,
    },
  );
}

/** The columns a SELECT's expressions can see: those of its FROM clause. */
export class Scope {
  /** `outer` is the enclosing query's scope, seen by correlated subqueries when a name is not found here. */
  constructor(
    readonly columns: readonly ScopeColumn[],
    readonly outer?: Scope,
  ) {}

  /** Resolves `col`, `q.col` or `source.table.col` to a column reference. */
  resolve(parts: readonly NamePart[], position: SqlPosition | undefined): ColumnExpr {
    try {
      return this.resolveHere(parts, position);
    } catch (error) {
      const notHere =
        error instanceof BindError && (error.code === 'COLUMN_NOT_FOUND' || error.code === 'TABLE_NOT_FOUND');
      if (!this.outer || !notHere) throw error;
      try {
        return this.outer.resolve(parts, position);
      } catch (outerError) {
        // Found outside but not usable there (not grouped, too many levels out): that is the error.
        const outerMissing =
          outerError instanceof BindError &&
          (outerError.code === 'COLUMN_NOT_FOUND' || outerError.code === 'TABLE_NOT_FOUND');
        if (!(outerError instanceof BindError) || !outerMissing) throw outerError;
        // Not in the outer query either: the inner query's error is the one to report,
        // suggesting the closest name of either query.
        if (
          outerError instanceof BindError &&
          outerError.code === 'COLUMN_NOT_FOUND' &&
          error.code === 'COLUMN_NOT_FOUND'
        )
          throw withSuggestions(error, parts, [
            ...(error.suggestions ?? []),
            ...(outerError.suggestions ?? []),
          ]);
        // The qualifier names an outer table, which lacks the column: say so, with its names.
        if (
          outerError instanceof BindError &&
          outerError.code === 'COLUMN_NOT_FOUND' &&
          error.code === 'TABLE_NOT_FOUND'
        )
          throw outerError;
        throw error;
      }
    }
  }

  private resolveHere(parts: readonly NamePart[], position: SqlPosition | undefined): ColumnExpr {
    const wanted = parts[parts.length - 1];
    const qualifier = parts.slice(0, -1);
    let candidates: readonly ScopeColumn[] = this.columns;
    if (qualifier.length > 0) candidates = candidates.filter((c) => !c.functionAlias);
    if (qualifier.length === 1) {
      candidates = matchNames(candidates, (c) => c.qualifier, qualifier[0].text, qualifier[0].quoted);
    } else if (qualifier.length >= 2) {
      const withTable = candidates.filter((c) => c.table !== undefined && c.source !== undefined);
      const bySource = matchNames(
        withTable,
        (c) => c.source ?? '',
        qualifier[qualifier.length - 2].text,
        qualifier[qualifier.length - 2].quoted,
      );
      candidates = matchNames(
        bySource,
        (c) => c.table ?? '',
        qualifier[qualifier.length - 1].text,
        qualifier[qualifier.length - 1].quoted,
      );
    } else {
      candidates = candidates.filter((c) => !c.usingDuplicate);
    }
    const display = parts.map((p) => p.text).join('.');
    if (qualifier.length > 0 && candidates.length === 0) {
      const names = this.columns.map((c) => c.qualifier);
      throw new BindError(
        'TABLE_NOT_FOUND',
        `table "${qualifier.map((p) => p.text).join('.')}" is not in the FROM clause`,
        {
          position,
          suggestions: closestNames(qualifier[qualifier.length - 1].text, names),
        },
      );
    }
    const matches = matchNames(candidates, (c) => c.name, wanted.text, wanted.quoted);
    if (matches.length === 0) {
      const suggestions = closestNames(
        wanted.text,
        candidates.map((c) => c.name),
      );
      const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
      throw new BindError('COLUMN_NOT_FOUND', `column "${display}" not found${hint}`, {
        position,
        suggestions,
        details: { column: wanted.text },
      });
    }
    if (matches.length > 1) {
      throw new BindError(
        'AMBIGUOUS_COLUMN',
        `column reference "${display}" is ambiguous (${matches.map((m) => `${m.qualifier}.${m.name}`).join(', ')})`,
        {
          position,
        },
      );
    }
    const found = matches[0];
    return column(found.index, found.name, found.type);
  }

  /** The columns `*` or `q.*` expands to, in order. */
  star(qualifier: NamePart | undefined, position: SqlPosition | undefined): ScopeColumn[] {
    if (!qualifier) return this.columns.filter((c) => !c.usingDuplicate && !c.functionAlias);
    const found = matchNames(this.columns, (c) => c.qualifier, qualifier.text, qualifier.quoted);
    if (found.length === 0) {
      throw new BindError('TABLE_NOT_FOUND', `table "${qualifier.text}" is not in the FROM clause`, {
        position,
        suggestions: closestNames(
          qualifier.text,
          this.columns.map((c) => c.qualifier),
        ),
      });
    }
    return found;
  }

  /** The same columns shifted right by `offset` (the right side of a join). */
  shifted(offset: number): ScopeColumn[] {
    return this.columns.map((c) => ({ ...c, index: c.index + offset }));
  }
}
