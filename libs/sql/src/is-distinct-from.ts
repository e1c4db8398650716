import { isWord, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/**
 * The grammar lacks `a IS [NOT] DISTINCT FROM b` but reads `a IS [NOT] b` with any operand.
 * `IS DISTINCT FROM` becomes `IS NOT` and `IS NOT DISTINCT FROM` becomes `IS` (blank-padded):
 * for NULL, TRUE and FALSE operands these mean the same, and the binder reads `IS [NOT]` with
 * any other operand as the NULL-safe comparison.
 */
export function isDistinctFromAsIs(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (!isWord(tokens[i], 'is')) continue;
    const negated = isWord(tokens[i + 1], 'not');
    const distinct = tokens[i + (negated ? 2 : 1)];
    const from = tokens[i + (negated ? 3 : 2)];
    if (!isWord(distinct, 'distinct') || !isWord(from, 'from')) continue;
    // IS DISTINCT FROM → IS NOT; IS NOT DISTINCT FROM → IS.
    out = overwrite(out, tokens[i + 1].offset, from.end, negated ? '' : 'not');
  }
  return out;
}
