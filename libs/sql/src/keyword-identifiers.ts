import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';
import { mapAstStrings, overwrite } from './text-edits.ts';

/** Words node-sql-parser's PostgreSQL grammar never reads as a name, unquoted. */
const GRAMMAR_RESERVED = new Set([
  'alter',
  'all',
  'add',
  'and',
  'as',
  'asc',
  'at',
  'between',
  'by',
  'call',
  'case',
  'create',
  'contains',
  'constraint',
  'current_date',
  'current_time',
  'current_timestamp',
  'current_user',
  'delete',
  'desc',
  'distinct',
  'drop',
  'else',
  'end',
  'exists',
  'explain',
  'except',
  'false',
  'from',
  'full',
  'group',
  'having',
  'in',
  'inner',
  'insert',
  'intersect',
  'into',
  'is',
  'ilike',
  'join',
  'json',
  'left',
  'like',
  'limit',
  'not',
  'null',
  'nulls',
  'offset',
  'on',
  'or',
  'order',
  'outer',
  'partition',
  'recursive',
  'rename',
  'right',
  'select',
  'session_user',
  'set',
  'show',
  'system_user',
  'table',
  'then',
  'true',
  'truncate',
  'union',
  'update',
  'using',
  'with',
  'when',
  'where',
  'window',
  'global',
  'session',
  'local',
  'persist',
  'persist_only',
]);

/**
 * Of those, the ones DuckDB reads as a plain column or table name even unquoted and outside
 * a qualified name (`SELECT nulls FROM t`); the others it takes as names only after AS or
 * next to a dot.
 */
const DUCKDB_UNRESERVED = new Set([
  'nulls',
  'partition',
  'alter',
  'add',
  'call',
  'delete',
  'drop',
  'insert',
  'rename',
  'truncate',
  'update',
  'global',
  'session',
  'local',
  'persist',
  'persist_only',
  'json',
  'set',
  'show',
  'contains',
  'recursive',
  'explain',
]);

/** Unquoted keywords that keep their keyword meaning when the next word is one of these. */
const KEYWORD_BEFORE: Record<string, readonly string[]> = {
  nulls: ['first', 'last'],
  partition: ['by'],
};

/** The first code unit of placeholders: CJK ideographs, which the grammar reads as letters. */
const PLACEHOLDER_BASE = 0x4e00;

/** Whether the word at `i` stands for a name although it is a keyword of the grammar. */
function isNameHere(tokens: readonly SqlToken[], i: number): boolean {
  const word = tokens[i].text.toLowerCase();
  if (!GRAMMAR_RESERVED.has(word)) return false;
  const [before, after] = [tokens[i - 1], tokens[i + 1]];
  // A part of a qualified name (`nulls.t`, `t.order`), or an alias after AS.
  if (isSymbol(before, '.') || isSymbol(after, '.') || isWord(before, 'as')) return true;
  if (!DUCKDB_UNRESERVED.has(word) || isSymbol(after, '(') || i === 0) return false;
  if (word === 'recursive' && isWord(before, 'with')) return false;
  const keywordBefore = KEYWORD_BEFORE[word];
  return !(keywordBefore && isWord(after, ...keywordBefore));
}

/**
 * A name spelled like a keyword of node-sql-parser's grammar (a source `nulls`, an alias
 * `AS order`, `t.left`) is replaced by a placeholder of the same length that the grammar
 * reads as a name, and `restore` puts the user's spelling back into the parsed AST. Only
 * where DuckDB also reads the word as a name: elsewhere the keyword keeps its meaning.
 */
export function keywordsAsNames(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore: (ast: unknown) => void } {
  const originals = new Map<string, string>();
  let out = text;
  let next = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' || !isNameHere(tokens, i)) continue;
    let placeholder: string;
    do placeholder = placeholderOf(next++, t.text.length);
    while (text.includes(placeholder));
    originals.set(placeholder, t.text);
    out = overwrite(out, t.offset, t.end, placeholder);
  }
  if (originals.size === 0) return { text, restore: () => undefined };
  const pattern = new RegExp([...originals.keys()].join('|'), 'g');
  return {
    text: out,
    restore: (ast) =>
      mapAstStrings(ast, (s) =>
        /[\u4e00-\u9fa5]/.test(s) ? s.replace(pattern, (p) => originals.get(p) ?? p) : s,
      ),
  };
}

/**
 * The n-th placeholder of a given length: n in base (0x9fa5 - base), in CJK ideographs from
 * `base` up. Each rewrite that hides names from the parser takes its own range (long-names.ts).
 */
export function placeholderOf(n: number, length: number, base = PLACEHOLDER_BASE): string {
  const range = 0x9fa5 - base;
  let out = '';
  let rest = n;
  for (let k = 0; k < length; k++) {
    out += String.fromCharCode(base + (rest % range));
    rest = Math.floor(rest / range);
  }
  return out;
}
