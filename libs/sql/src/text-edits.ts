/**
 * Length-preserving edits of a statement's text before node-sql-parser reads it: every
 * rewrite keeps each character's offset (and each newline), so parser positions stay those
 * of the user's text.
 */

/** `text` with [start, end) replaced by `replacement` padded with blanks to the same length. */
export function overwrite(text: string, start: number, end: number, replacement = ''): string {
  const span = text.slice(start, end);
  if (replacement.length > span.length) throw new Error('an overwrite must not lengthen the text');
  // Newlines stay where they are, so line numbers do too.
  let filler = '';
  for (let i = replacement.length; i < span.length; i++) filler += span[i] === '\n' ? '\n' : ' ';
  return text.slice(0, start) + replacement + filler + text.slice(end);
}

/** Applies `fn` to every string found in a parsed AST (objects and arrays, in place). */
export function mapAstStrings(value: unknown, fn: (text: string) => string): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] === 'string') value[i] = fn(value[i] as string);
      else mapAstStrings(value[i], fn);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'loc') continue;
    if (typeof v === 'string') node[k] = fn(v);
    else mapAstStrings(v, fn);
  }
}
