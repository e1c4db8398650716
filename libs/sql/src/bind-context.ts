import type { SqlPosition } from '@tributary/common';
import type { CatalogRead, CatalogView, LogicalPlan } from '@tributary/plan';
import type { ColumnDescriptor } from '@tributary/common';
import type { BoundSubquery } from './bound-subquery.ts';
import type { Correlation } from './correlation.ts';
import type { AstSelect } from './sql-ast.ts';
import type { SqlToken } from './sql-lexer.ts';
import { firstInRange, firstTokenAtOrAfter, tokenEndingAfter, tokenIndex } from './token-index.ts';

/** A span of the SQL text (character offsets) that names are first looked for in. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface CteDefinition {
  readonly name: string;
  readonly ast: AstSelect;
  /** `WITH name (a, b) AS …`: new names of its first columns. */
  readonly columnNames: readonly string[];
  bound?: LogicalPlan;
  /** Set while its body is being bound, to catch self-references. */
  binding?: boolean;
}

/** What a subquery's rows are for: only whether there is one (EXISTS), or their values. */
export type SubqueryUse = 'exists' | 'values';

/** A view whose columns, derived again at this use, differ from those the catalog holds. */
export interface ViewColumnsChange {
  readonly path: readonly string[];
  /** The SQL they were derived from (a view replaced meanwhile is left alone). */
  readonly sql: string;
  readonly columns: readonly ColumnDescriptor[];
}

/** What the binding of one statement collects, across the views it expands. */
export interface StatementState {
  /** Every table and view the statement reads (CatalogRead). */
  readonly reads: CatalogRead[];
  readonly viewColumnChanges: ViewColumnsChange[];
  /** Set when its plan holds what may change with no catalog write (see StatementReads.volatile). */
  volatile: boolean;
  /** The clock (µs since the epoch), read at its first use: now() is one instant in a statement, as in DuckDB. */
  nowMicros?: number;
  /** random() calls bound so far: each is numbered, so that no two are taken for one expression. */
  randomCalls?: number;
}

/** The view whose SQL is being bound, and those it is nested in (outermost first). */
export interface ViewScope {
  readonly path: readonly string[];
  readonly owner: string | null;
  readonly outer?: ViewScope;
}

/** What every binding step shares for one statement (or for one view's SQL inside it). */
export interface BindContext {
  readonly sql: string;
  readonly tokens: readonly SqlToken[];
  readonly catalog: CatalogView;
  readonly defaultPath: readonly string[];
  readonly ctes: Map<string, CteDefinition>;
  /** Binds and decorrelates a subquery written inside an expression (bindSubquery). */
  readonly bindSubquery: (ast: AstSelect, correlation: Correlation, use: SubqueryUse) => BoundSubquery;
  readonly statement: StatementState;
  /** Set while a view's SQL is bound: what it reads, it reads through that view. */
  readonly view?: ViewScope;
}

function sameName(token: SqlToken, part: string): boolean {
  if (token.kind === 'quoted') return token.text === part;
  return token.kind === 'word' && token.text.toLowerCase() === part.toLowerCase();
}

/**
 * Finds `a.b.c` in the token stream, preferring an occurrence inside `range`; returns the
 * index of its first token. node-sql-parser keeps no positions for names, hence this search.
 */
export function findName(ctx: BindContext, parts: readonly string[], range?: TextRange): number | undefined {
  const tokens = ctx.tokens;
  if (parts.length === 0) {
    // Nothing to match (a bare `*`): the first token of the range stands for it.
    if (tokens.length === 0) return undefined;
    const first = range ? firstTokenAtOrAfter(tokens, range.start) : 0;
    return first < tokens.length && (!range || tokens[first].offset < range.end) ? first : 0;
  }
  const candidates = tokenIndex(tokens).byLowerText.get(parts[0].toLowerCase());
  if (!candidates) return undefined;
  const matches = (i: number): boolean => {
    for (let p = 0; p < parts.length; p++) {
      const t = tokens[i + p * 2];
      const ok =
        t !== undefined &&
        sameName(t, parts[p]) &&
        (p === parts.length - 1 || tokens[i + p * 2 + 1]?.text === '.');
      if (!ok) return false;
    }
    return true;
  };
  // The first occurrence anywhere is the answer when none is inside the range.
  let fallback: number | undefined;
  for (const i of candidates) {
    if (matches(i)) {
      fallback = i;
      break;
    }
  }
  if (fallback === undefined || !range) return fallback;
  // A bare name preceded by a dot is the tail of a longer name: only taken as the first one.
  const tail = (i: number): boolean => parts.length === 1 && tokens[i - 1]?.text === '.';
  return (
    firstInRange(tokens, candidates, range, (i) => matches(i) && (!tail(i) || i === fallback)) ?? fallback
  );
}

export function positionOfToken(ctx: BindContext, index: number | undefined): SqlPosition | undefined {
  if (index === undefined) return undefined;
  const t = ctx.tokens[index];
  return { line: t.line, column: t.column };
}

export function positionOfName(
  ctx: BindContext,
  parts: readonly string[],
  range?: TextRange,
): SqlPosition | undefined {
  return positionOfToken(ctx, findName(ctx, parts, range));
}

/** Whether the `partIndex`-th part of the name found at token `index` was written in double quotes. */
export function isQuotedAt(ctx: BindContext, index: number | undefined, partIndex: number): boolean {
  if (index === undefined) return false;
  return ctx.tokens[index + partIndex * 2]?.kind === 'quoted';
}

export function positionAtOffset(ctx: BindContext, offset: number): SqlPosition | undefined {
  const i = tokenEndingAfter(ctx.tokens, offset);
  return i < 0 ? undefined : { line: ctx.tokens[i].line, column: ctx.tokens[i].column };
}

const CLAUSE_WORDS = new Set([
  'select',
  'from',
  'where',
  'group',
  'having',
  'order',
  'limit',
  'offset',
  'window',
  'union',
  'except',
  'intersect',
]);

/** The text ranges of the top-level clauses (by keyword) of the outermost SELECT. */
export function clauseRanges(ctx: BindContext): Map<string, TextRange> {
  const starts: { word: string; offset: number }[] = [];
  let depth = 0;
  for (const t of ctx.tokens) {
    if (t.kind === 'symbol' && t.text === '(') depth++;
    else if (t.kind === 'symbol' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && CLAUSE_WORDS.has(t.text.toLowerCase()))
      starts.push({ word: t.text.toLowerCase(), offset: t.offset });
  }
  const ranges = new Map<string, TextRange>();
  starts.forEach((s, i) => {
    if (!ranges.has(s.word))
      ranges.set(s.word, { start: s.offset, end: starts[i + 1]?.offset ?? ctx.sql.length });
  });
  return ranges;
}
