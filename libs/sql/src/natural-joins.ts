import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { CLAUSE_WORDS, JOIN_WORDS, SET_OPERATION_WORDS } from './clause-words.ts';
import { closing, isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/** The one USING column that stands for NATURAL: the binder joins on the names both sides share. */
export const NATURAL_USING = '__tributary_natural';

/** Words that end a FROM item (after its alias, if any). */
const AFTER_ITEM = [
  'on',
  'using',
  'positional',
  'asof',
  'lateral',
  ...JOIN_WORDS,
  ...CLAUSE_WORDS,
  ...SET_OPERATION_WORDS,
];

/** The index of the last token of the FROM item starting at `k`, its alias included; -1 if unclear. */
function itemEnd(tokens: readonly SqlToken[], k: number): number {
  let end: number;
  if (isSymbol(tokens[k], '(')) end = closing(tokens, k);
  else if (tokens[k]?.kind === 'word' || tokens[k]?.kind === 'quoted') {
    end = k;
    while (isSymbol(tokens[end + 1], '.') && tokens[end + 2] && tokens[end + 2].kind !== 'symbol') end += 2;
    if (isSymbol(tokens[end + 1], '(')) end = closing(tokens, end + 1);
  } else return -1;
  if (end < 0) return -1;
  if (isWord(tokens[end + 1], 'as')) end++;
  const alias = tokens[end + 1];
  if (alias && (alias.kind === 'quoted' || (alias.kind === 'word' && !isWord(alias, ...AFTER_ITEM)))) {
    end++;
    if (isSymbol(tokens[end + 1], '(')) end = closing(tokens, end + 1);
  }
  return end;
}

/**
 * `a NATURAL [INNER | LEFT | RIGHT | FULL [OUTER]] JOIN b`, which the grammar reads only in its
 * plainest form, as `a … JOIN b USING (__tributary_natural)`: the binder then joins on every
 * column name the two sides share, as DuckDB does. Undefined when the text has no NATURAL JOIN.
 */
export function naturalJoinsAsUsing(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isWord(tokens[i], 'natural')) continue;
    let join = i + 1;
    while (isWord(tokens[join], 'inner', 'left', 'right', 'full', 'outer')) join++;
    if (!isWord(tokens[join], 'join')) continue;
    const end = itemEnd(tokens, join + 1);
    if (end < 0 || isWord(tokens[end + 1], 'on', 'using')) continue;
    edits.push(
      { offset: tokens[i].offset, end: tokens[i + 1].offset, text: '' },
      { offset: tokens[end].end, end: tokens[end].end, text: ` USING (${NATURAL_USING})` },
    );
  }
  return editedText(sql, edits);
}
