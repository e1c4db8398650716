import type { SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/** EXTRACT fields node-sql-parser's grammar reads; any other word is rewritten. */
const GRAMMAR_FIELDS = new Set([
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'dow',
  'doy',
  'hour',
  'minute',
  'second',
  'epoch',
  'isodow',
  'isoyear',
  'century',
  'decade',
  'milliseconds',
  'microseconds',
]);

function isSymbol(t: SqlToken | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

/**
 * The grammar reads `EXTRACT(field FROM x)` only for the fields above; for others
 * (millisecond, dayofweek…) `extract(field from ` becomes `date_part('field', ` padded to the
 * same length, which binds the same way, so offsets stay the user's. Left as written when the
 * span is too short to hold the call (no blank after FROM).
 */
export function extractAsDatePart(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 4 < tokens.length; i++) {
    const [name, open, field, from, next] = tokens.slice(i, i + 5);
    if (name.kind !== 'word' || name.text.toLowerCase() !== 'extract' || !isSymbol(open, '(')) continue;
    if (field.kind !== 'word' || from.kind !== 'word' || from.text.toLowerCase() !== 'from') continue;
    if (GRAMMAR_FIELDS.has(field.text.toLowerCase())) continue;
    const replacement = `date_part('${field.text}',`;
    if (next.offset - name.offset < replacement.length) continue;
    out = overwrite(out, name.offset, next.offset, replacement);
  }
  return out;
}
