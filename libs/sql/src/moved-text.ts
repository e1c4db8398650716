/**
 * A rewrite of SQL text that moves or inserts text (FROM-first, bare list literals), unlike
 * the rewrites of parse-sql.ts that keep every offset: the rewritten text, and the way from
 * an offset in it back to the user's text.
 */
export interface MovedText {
  readonly text: string;
  /** The offset in the user's text of an offset in `text`. */
  userOffset(offset: number): number;
}

/** A run of rewritten text: the user's text from offset `at`, or inserted text (`at` undefined). */
export interface TextPiece {
  readonly text: string;
  readonly at: number | undefined;
}

/** The text the pieces make, mapped back: inserted text maps to where the next original run starts. */
export function movedText(userLength: number, pieces: readonly TextPiece[]): MovedText {
  const starts: number[] = [];
  let length = 0;
  for (const p of pieces) {
    starts.push(length);
    length += p.text.length;
  }
  const userOffset = (offset: number): number => {
    let lo = 0;
    let hi = pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    for (let p = lo; p < pieces.length; p++) {
      const at = pieces[p].at;
      if (at !== undefined) return p === lo ? at + Math.min(offset - starts[p], pieces[p].text.length) : at;
    }
    return userLength;
  };
  return { text: pieces.map((p) => p.text).join(''), userOffset };
}

/** A replacement of the user's text from `offset` to `end` by `text` (an insertion where they are equal). */
export interface TextEdit {
  readonly offset: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The user's text with `edits` made (taken in order of offset, none overlapping another);
 * undefined when there are none.
 */
export function editedText(sql: string, edits: readonly TextEdit[]): MovedText | undefined {
  if (edits.length === 0) return undefined;
  const pieces: TextPiece[] = [];
  let copied = 0;
  for (const edit of [...edits].sort((x, y) => x.offset - y.offset)) {
    pieces.push({ text: sql.slice(copied, edit.offset), at: copied }, { text: edit.text, at: undefined });
    copied = edit.end;
  }
  pieces.push({ text: sql.slice(copied), at: copied });
  return movedText(sql.length, pieces);
}

/** `second` applied to the text `first` made, mapped back through both. */
export function thenMoved(first: MovedText, second: MovedText): MovedText {
  return { text: second.text, userOffset: (offset) => first.userOffset(second.userOffset(offset)) };
}
