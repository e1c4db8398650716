import { ParseError, type SqlPosition } from '@tributary/common';
import { visitAstPostOrder, type AstNode } from './sql-ast.ts';
import { closing, isSymbol, isWord, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/** One name of `* EXCLUDE (…)`, possibly qualified (`t.a`). */
export interface ExcludedName {
  readonly parts: readonly { readonly text: string; readonly quoted: boolean }[];
  readonly position: SqlPosition;
}

/** One `expr AS name` of `* REPLACE (…)`. */
export interface ReplacedColumn {
  readonly expr: AstNode;
  readonly name: string;
  readonly position: SqlPosition | undefined;
}

/** What DuckDB's `*` modifiers ask of one star: columns to leave out and columns to recompute. */
export interface StarModifiers {
  readonly exclude: readonly ExcludedName[];
  readonly replace: readonly ReplacedColumn[];
}

/** A REPLACE list cut out of the text, to be parsed as a select list on its own. */
export interface ReplaceListRange {
  readonly start: number;
  readonly end: number;
}

interface PendingModifiers {
  readonly exclude: ExcludedName[];
  readonly replace: ReplaceListRange[];
}

/** `*` as a select item (not a product): after SELECT, DISTINCT, ALL, a comma, or `q.`. */
function isStarItem(tokens: readonly SqlToken[], i: number): boolean {
  if (!isSymbol(tokens[i], '*')) return false;
  const before = tokens[i - 1];
  if (!before) return false;
  if (isSymbol(before, ',') || isSymbol(before, '.')) return true;
  return isWord(before, 'select') || isWord(before, 'distinct') || isWord(before, 'all');
}

function nameAt(t: SqlToken): { text: string; quoted: boolean } | undefined {
  if (t.kind === 'word') return { text: t.text, quoted: false };
  if (t.kind === 'quoted') return { text: t.text, quoted: true };
  return undefined;
}

/** The names of an EXCLUDE list: tokens [from, to), `a, t.b, "C"`. */
function excludedNames(sql: string, tokens: readonly SqlToken[], from: number, to: number): ExcludedName[] {
  const names: ExcludedName[] = [];
  let k = from;
  while (k < to) {
    const first = tokens[k];
    const parts = [];
    for (;;) {
      const part = tokens[k] && nameAt(tokens[k]);
      if (!part || k >= to) throw syntaxErrorAt(sql, tokens[k]);
      parts.push(part);
      k++;
      if (k < to && isSymbol(tokens[k], '.')) k++;
      else break;
    }
    names.push({ parts, position: { line: first.line, column: first.column } });
    if (k < to && !isSymbol(tokens[k], ',')) throw syntaxErrorAt(sql, tokens[k]);
    k++;
  }
  return names;
}

function syntaxErrorAt(sql: string, t: SqlToken | undefined): ParseError {
  if (!t) return new ParseError('syntax error at end of input', undefined);
  return new ParseError(`syntax error at or near "${sql.slice(t.offset, t.end)}"`, {
    line: t.line,
    column: t.column,
  });
}

/**
 * The grammar lacks DuckDB's `* EXCLUDE (…)` and `* REPLACE (… AS …)`: each such run of
 * modifiers becomes a select item `,_sN` (a name placed in the blanked text, which keeps
 * its length), so the parsed select list holds a marker right after the star it modifies.
 * `attach` moves the modifiers onto that star's column entry and drops the marker.
 */
export function cutStarModifiers(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
): {
  text: string;
  attach(ast: unknown, parseReplaceList: (range: ReplaceListRange) => AstColumnLike[]): void;
} {
  const lower = text.toLowerCase();
  const prefix = ['_s', '_sm', '_star'].find((p) => !lower.includes(p)) ?? '_star_modifier';
  const pending = new Map<string, PendingModifiers>();
  let out = text;
  for (let i = 0; i < tokens.length; i++) {
    if (!isStarItem(tokens, i)) continue;
    let k = i + 1;
    const modifiers: PendingModifiers = { exclude: [], replace: [] };
    while (isWord(tokens[k], 'exclude') || isWord(tokens[k], 'replace')) {
      const keyword = tokens[k].text.toLowerCase();
      let end: number;
      if (isSymbol(tokens[k + 1], '(')) {
        end = closing(tokens, k + 1);
        if (end < 0) throw syntaxErrorAt(sql, undefined);
        if (keyword === 'exclude') modifiers.exclude.push(...excludedNames(sql, tokens, k + 2, end));
        else if (end > k + 2)
          modifiers.replace.push({ start: tokens[k + 2].offset, end: tokens[end - 1].end });
        else throw syntaxErrorAt(sql, tokens[end]);
      } else if (keyword === 'exclude' && tokens[k + 1] && nameAt(tokens[k + 1])) {
        // EXCLUDE a: one name without parentheses (possibly qualified).
        end = k + 1;
        while (isSymbol(tokens[end + 1], '.') && tokens[end + 2] && nameAt(tokens[end + 2])) end += 2;
        modifiers.exclude.push(...excludedNames(sql, tokens, k + 1, end + 1));
      } else break;
      k = end + 1;
    }
    if (k === i + 1) continue;
    const marker = `${prefix}${pending.size}`;
    const start = tokens[i + 1].offset;
    const stop = tokens[k - 1].end;
    if (marker.length + 1 > stop - start) throw syntaxErrorAt(sql, tokens[i + 1]);
    pending.set(marker, modifiers);
    out = overwrite(out, start, stop, `,${marker}`);
    i = k - 1;
  }
  if (pending.size === 0) return { text, attach: () => undefined };
  return {
    text: out,
    attach(ast, parseReplaceList) {
      const visit = (node: Record<string, unknown>): void => {
        const columns = node.columns;
        if (node.type !== 'select' || !Array.isArray(columns)) return;
        for (let c = columns.length - 1; c >= 1; c--) {
          const entry = columns[c] as { expr?: AstNode };
          const name = entry.expr ? markerName(entry.expr) : undefined;
          const found = name !== undefined ? pending.get(name) : undefined;
          if (!found) continue;
          const star = columns[c - 1] as { starModifiers?: StarModifiers };
          star.starModifiers = {
            exclude: found.exclude,
            replace: found.replace.flatMap((range) =>
              parseReplaceList(range).map((item) => {
                if (!item.as) throw new ParseError('REPLACE needs `expression AS column`', item.position);
                return { expr: item.expr, name: item.as, position: item.position };
              }),
            ),
          };
          columns.splice(c, 1);
        }
      };
      visitAstPostOrder(ast, visit);
    },
  };
}

/** One select item of a REPLACE list as parsed on its own. */
export interface AstColumnLike {
  readonly expr: AstNode;
  readonly as: string | null;
  readonly position: SqlPosition | undefined;
}

function markerName(node: AstNode): string | undefined {
  if (node.type !== 'column_ref' || node.table) return undefined;
  const column = node.column;
  if (typeof column === 'string') return column;
  const value = (column as AstNode | undefined)?.expr?.value;
  return typeof value === 'string' ? value : undefined;
}
