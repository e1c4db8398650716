import { tokenizeSql, type SqlToken } from '@tributary/sql';
import { PG_OID } from './pg-types.ts';

/** What a parameter's type can be told from: a fixed type, or the column it is compared with. */
export type ParameterHint = { readonly oid: number } | { readonly column: string; readonly quoted: boolean };

/** Type names a cast may give a parameter (`$1::int`, `CAST($1 AS date)`), as OIDs. */
const CAST_OIDS: Record<string, number> = {
  int: PG_OID.int4,
  integer: PG_OID.int4,
  int4: PG_OID.int4,
  bigint: PG_OID.int8,
  int8: PG_OID.int8,
  smallint: PG_OID.int2,
  int2: PG_OID.int2,
  text: PG_OID.text,
  varchar: PG_OID.varchar,
  numeric: PG_OID.numeric,
  decimal: PG_OID.numeric,
  double: PG_OID.float8,
  float8: PG_OID.float8,
  float: PG_OID.float8,
  real: PG_OID.float4,
  float4: PG_OID.float4,
  bool: PG_OID.bool,
  boolean: PG_OID.bool,
  date: PG_OID.date,
  timestamp: PG_OID.timestamp,
  oid: PG_OID.oid,
};

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
const MATCHES = new Set(['like', 'ilike']);

const isWord = (t: SqlToken | undefined, ...words: string[]) =>
  t?.kind === 'word' && words.includes(t.text.toLowerCase());
const isSymbol = (t: SqlToken | undefined, text: string) => t?.kind === 'symbol' && t.text === text;
const isName = (t: SqlToken | undefined) => t?.kind === 'word' || t?.kind === 'quoted';

/** A comparison operator ending at token `end` (inclusive), read backwards: its first token's index. */
function operatorBefore(tokens: readonly SqlToken[], end: number): number | undefined {
  const last = tokens[end];
  if (last?.kind !== 'symbol') return undefined;
  const previous = tokens[end - 1];
  if (
    previous?.kind === 'symbol' &&
    previous.end === last.offset &&
    COMPARISONS.has(previous.text + last.text)
  )
    return end - 1;
  return COMPARISONS.has(last.text) ? end : undefined;
}

type ColumnHint = { readonly column: string; readonly quoted: boolean };

/** The column reference (`c`, `t.c`, `"T"."c"`) ending at token `end`: its column's name. */
function columnEndingAt(tokens: readonly SqlToken[], end: number): ColumnHint | undefined {
  const t = tokens[end];
  if (!isName(t) || (t.kind === 'word' && KEYWORDS.has(t.text.toLowerCase()))) return undefined;
  return { column: t.text, quoted: t.kind === 'quoted' };
}

/** The column reference starting at token `start`: its last part (a call's name is no column). */
function columnStartingAt(tokens: readonly SqlToken[], start: number): ColumnHint | undefined {
  let i = start;
  if (!isName(tokens[i]) || (tokens[i].kind === 'word' && KEYWORDS.has(tokens[i].text.toLowerCase())))
    return undefined;
  while (isSymbol(tokens[i + 1], '.') && isName(tokens[i + 2])) i += 2;
  if (isSymbol(tokens[i + 1], '(')) return undefined;
  return { column: tokens[i].text, quoted: tokens[i].kind === 'quoted' };
}

/** Words that end an operand rather than name a column. */
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'where',
  'select',
  'from',
  'on',
  'when',
  'then',
  'else',
  'case',
  'end',
  'null',
  'true',
  'false',
  'having',
  'in',
  'between',
  'like',
  'ilike',
  'is',
]);

/**
 * How each `$n` of a statement is used, where the text tells: `LIMIT $n`/`OFFSET $n` are
 * bigints, `$n::int` and `CAST($n AS date)` the type cast to; `col = $n` (any comparison, either side), `col [NOT] IN (…, $n, …)`, `col BETWEEN
 * $n AND $m` and `col LIKE $n` take the type of `col`. Read from tokens, so strings, comments
 * and quoted names never count; the column's type is the caller's to find.
 */
export function parameterHints(sql: string): Map<number, ParameterHint> {
  const tokens = tokenizeSql(sql);
  const hints = new Map<number, ParameterHint>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    const n = tokens[i + 1];
    if (!isSymbol(t, '$') || n.kind !== 'number' || n.offset !== t.end || !/^\d+$/.test(n.text)) continue;
    const index = Number(n.text);
    if (hints.has(index)) continue;
    const hint = hintAt(tokens, i, i + 1);
    if (hint) hints.set(index, hint);
  }
  return hints;
}

function hintAt(tokens: readonly SqlToken[], start: number, end: number): ParameterHint | undefined {
  const before = tokens[start - 1];
  if (isWord(before, 'limit', 'offset')) return { oid: PG_OID.int8 };
  const castTo =
    isSymbol(tokens[end + 1], ':') && isSymbol(tokens[end + 2], ':')
      ? tokens[end + 3]
      : isSymbol(before, '(') && isWord(tokens[start - 2], 'cast') && isWord(tokens[end + 1], 'as')
        ? tokens[end + 2]
        : undefined;
  const cast = castTo?.kind === 'word' ? CAST_OIDS[castTo.text.toLowerCase()] : undefined;
  if (cast !== undefined) return { oid: cast };
  const operator = operatorBefore(tokens, start - 1);
  if (operator !== undefined) {
    const column = columnEndingAt(tokens, operator - 1);
    if (column !== undefined) return column;
  }
  if (isWord(before, ...MATCHES) || (isWord(before, 'between') && tokens[start - 2])) {
    const at = isWord(tokens[start - 2], 'not') ? start - 3 : start - 2;
    const column = columnEndingAt(tokens, at);
    if (column !== undefined) return column;
  }
  // The upper bound of a BETWEEN: `col BETWEEN x AND $n`.
  if (isWord(before, 'and')) {
    for (let k = start - 2; k >= 0 && k > start - 12; k--) {
      if (isWord(tokens[k], 'between')) {
        const at = isWord(tokens[k - 1], 'not') ? k - 2 : k - 1;
        const column = columnEndingAt(tokens, at);
        if (column !== undefined) return column;
        break;
      }
      if (isWord(tokens[k], 'and', 'or', 'where')) break;
    }
  }
  // An IN list: back to its parenthesis, which must follow IN.
  let depth = 0;
  for (let k = start - 1; k >= 0; k--) {
    const token = tokens[k];
    if (isSymbol(token, ')')) depth++;
    else if (isSymbol(token, '(')) {
      if (depth > 0) depth--;
      else {
        if (!isWord(tokens[k - 1], 'in')) break;
        const at = isWord(tokens[k - 2], 'not') ? k - 3 : k - 2;
        const column = columnEndingAt(tokens, at);
        if (column !== undefined) return column;
        break;
      }
    } else if (depth === 0 && !isSymbol(token, ',') && !(token.kind === 'symbol' && token.text === '$')) {
      if (token.kind !== 'number' && token.kind !== 'string') break;
    }
  }
  // `$n = col`.
  const after = tokens[end + 1];
  if (after?.kind === 'symbol') {
    const next = tokens[end + 2];
    const joined =
      next?.kind === 'symbol' && next.offset === after.end && COMPARISONS.has(after.text + next.text);
    if (joined || COMPARISONS.has(after.text)) {
      const column = columnStartingAt(tokens, end + (joined ? 3 : 2));
      if (column !== undefined) return column;
    }
  }
  return undefined;
}
