import type { AstNode } from './sql-ast.ts';
import type { SqlToken } from './sql-lexer.ts';

/** Lists shorter than this are left to the grammar: parsing them costs little. */
export const MIN_ELIDED_LIST = 64;

const MARKER = 'tributary__in_list__';

/**
 * The text handed to node-sql-parser with long literal lists cut out, and how to undo it.
 * node-sql-parser's PEG grammar takes about a second for a 100,000-item IN list; our lexer
 * reads the same literals in milliseconds.
 */
export interface LiteralListElision {
  readonly text: string;
  /** The offset in the user's text of an offset in `text`. */
  sourceOffset(offset: number): number;
  /**
   * Puts the cut-out literals back into the parsed AST (as the nodes the grammar would have
   * made) and moves every node location back onto the user's text. `lead` is how many
   * leading blanks the grammar trimmed before counting its offsets.
   */
  restore(ast: unknown, lead?: number): void;
}

interface Hole {
  /** Offsets in the user's text of the cut span (between the list's parentheses). */
  readonly start: number;
  readonly end: number;
  /** Where the placeholder starts in the parser's text, and its length. */
  readonly at: number;
  readonly length: number;
  readonly placeholder: string;
  readonly items: AstNode[];
}

const PLAIN_NUMBER = /^(\d+(\.\d+)?|\.\d+)$/;

/**
 * One literal of an IN list as node-sql-parser's PostgreSQL grammar would give it, and the
 * index of the token after it; undefined for anything else (the list then stays as written).
 */
function literalAt(tokens: readonly SqlToken[], i: number, sql: string): [AstNode, number] | undefined {
  const t = tokens[i];
  if (!t) return undefined;
  if (t.kind === 'symbol' && (t.text === '-' || t.text === '+')) {
    const n = tokens[i + 1];
    if (n?.kind !== 'number' || !PLAIN_NUMBER.test(n.text)) return undefined;
    return [numberNode(t.text === '-' ? '-' : '', n.text), i + 2];
  }
  if (t.kind === 'number') return PLAIN_NUMBER.test(t.text) ? [numberNode('', t.text), i + 1] : undefined;
  if (t.kind === 'string') {
    // The grammar reads backslash escapes; the lexer does not. Such lists stay as written.
    const raw = sql.slice(t.offset, t.end);
    if (raw.includes('\\')) return undefined;
    return [{ type: 'single_quote_string', value: t.text.replace(/'/g, "''") }, i + 1];
  }
  if (t.kind !== 'word') return undefined;
  const word = t.text.toLowerCase();
  if (word === 'null') return [{ type: 'null', value: null }, i + 1];
  if (word === 'true' || word === 'false') return [{ type: 'bool', value: word === 'true' }, i + 1];
  if (word === 'date' || word === 'timestamp') {
    const s = tokens[i + 1];
    if (s?.kind !== 'string' || sql.slice(s.offset, s.end).includes('\\')) return undefined;
    return [{ type: word, value: s.text.replace(/'/g, "''") }, i + 2];
  }
  return undefined;
}

/** A number node the way the grammar makes it: safe integers as numbers, decimals as text. */
function numberNode(sign: string, digits: string): AstNode {
  if (!digits.includes('.')) {
    const n = Number(sign + digits);
    return Number.isSafeInteger(n)
      ? { type: 'number', value: n === 0 ? 0 : n }
      : { type: 'bigint', value: sign + digits.replace(/^0+(?=\d)/, '') };
  }
  // Decimal digits as written: DuckDB types 00.10 DECIMAL(4,2) (see parse-sql's exact numbers).
  const [whole, fraction] = digits.split('.');
  return { type: 'number', value: `${sign}${whole || '0'}.${fraction}` };
}

/** The literals of a list opening at token `open` (a `(`), and the index of its `)`. */
function literalList(
  tokens: readonly SqlToken[],
  open: number,
  sql: string,
): { items: AstNode[]; close: number } | undefined {
  const items: AstNode[] = [];
  let i = open + 1;
  for (;;) {
    const item = literalAt(tokens, i, sql);
    if (!item) return undefined;
    items.push(item[0]);
    i = item[1];
    const sep = tokens[i];
    if (sep?.kind !== 'symbol') return undefined;
    if (sep.text === ')') return { items, close: i };
    if (sep.text !== ',') return undefined;
    i++;
  }
}

/**
 * Cuts the items of every `IN (literal, …)` list of at least MIN_ELIDED_LIST literals out of
 * `text` (the user's text, or one of the same length), leaving a string placeholder.
 */
export function elideLiteralLists(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
): LiteralListElision {
  const holes: Hole[] = [];
  if (!sql.includes(MARKER)) {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const open = tokens[i + 1];
      if (tokens[i].kind !== 'word' || tokens[i].text.toLowerCase() !== 'in') continue;
      if (open.kind !== 'symbol' || open.text !== '(' || text[open.offset] !== '(') continue;
      const list = literalList(tokens, i + 1, sql);
      if (!list || list.items.length < MIN_ELIDED_LIST) continue;
      const close = tokens[list.close];
      if (text[close.offset] !== ')') continue;
      const placeholder = `${MARKER}${holes.length}`;
      holes.push({
        start: open.end,
        end: close.offset,
        at: 0,
        length: placeholder.length + 2,
        placeholder,
        items: list.items,
      });
      i = list.close;
    }
  }

  const parts: string[] = [];
  let from = 0;
  let shift = 0;
  const placed: Hole[] = holes.map((h) => {
    parts.push(text.slice(from, h.start), `'${h.placeholder}'`);
    from = h.end;
    const at = h.start - shift;
    shift += h.end - h.start - h.length;
    return { ...h, at };
  });
  parts.push(text.slice(from));

  const sourceOffset = (offset: number): number => {
    let delta = 0;
    for (const h of placed) {
      if (offset < h.at) break;
      // Inside a placeholder: the start of the list it stands for.
      if (offset < h.at + h.length) return h.start;
      delta = h.end - h.at - h.length;
    }
    return offset + delta;
  };

  const lineStarts = [0];
  for (let i = sql.indexOf('\n'); i >= 0; i = sql.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const point = (offset: number): { offset: number; line: number; column: number } => {
    const o = sourceOffset(offset);
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, column: o - lineStarts[lo] + 1 };
  };

  const byPlaceholder = new Map(placed.map((h) => [h.placeholder, h.items]));
  const restore = (ast: unknown, lead = 0): void => {
    // Iterative: the AST of a statement that is too deep must not overflow the stack here.
    const stack: unknown[] = [ast];
    while (stack.length > 0) {
      const value = stack.pop();
      if (typeof value !== 'object' || value === null) continue;
      if (Array.isArray(value)) {
        for (const v of value) stack.push(v);
        continue;
      }
      const node = value as Record<string, unknown>;
      const loc = node.loc as { start?: { offset?: number }; end?: { offset?: number } } | undefined;
      if (typeof loc?.start?.offset === 'number' && typeof loc.end?.offset === 'number')
        node.loc = { start: point(loc.start.offset + lead), end: point(loc.end.offset + lead) };
      if (node.type === 'expr_list' && Array.isArray(node.value)) {
        const list = node.value as AstNode[];
        const spliced = list.flatMap((item) =>
          item?.type === 'single_quote_string' && byPlaceholder.has(String(item.value))
            ? (byPlaceholder.get(String(item.value)) as AstNode[])
            : [item],
        );
        if (spliced.length !== list.length) {
          node.value = spliced;
          continue;
        }
      }
      for (const k in node) {
        const v = node[k];
        if (k !== 'loc' && typeof v === 'object' && v !== null) stack.push(v);
      }
    }
  };
  return { text: parts.join(''), sourceOffset, restore };
}
