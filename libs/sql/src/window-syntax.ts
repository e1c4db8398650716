import pkg from 'node-sql-parser';
import { BindError, ParseError, type SqlPosition } from '@tributary/common';
import { functionName, type AstNode, type AstSelect } from './sql-ast.ts';
import { closing, isSymbol, isWord, opening, positionAt, type SqlToken } from './sql-lexer.ts';

const { Parser } = pkg;
const parser = new Parser();

/** A frame edge as written; `offset` is a number or an interval (parsed by the binder). */
export interface AstFrameBound {
  readonly kind: 'unbounded-preceding' | 'preceding' | 'current-row' | 'following' | 'unbounded-following';
  readonly offset?: AstFrameOffset;
  readonly position: SqlPosition;
}

export type AstFrameOffset =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'interval'; readonly text: string; readonly unit: string };

export interface AstFrame {
  readonly units: 'rows' | 'range';
  readonly start: AstFrameBound;
  readonly end: AstFrameBound;
  readonly position: SqlPosition;
}

export interface AstWindowOrder {
  readonly expr: AstNode;
  readonly ascending: boolean;
  /** ASC or DESC as written, if written (DuckDB's column names repeat it). */
  readonly direction: 'ASC' | 'DESC' | undefined;
  readonly nullsFirst: boolean | undefined;
}

/** A window specification with every part spelled out (named windows already resolved). */
export interface AstWindowSpec {
  readonly partitionBy: readonly AstNode[];
  readonly orderBy: readonly AstWindowOrder[];
  readonly frame: AstFrame | null;
  /** `f(x IGNORE NULLS) OVER …`: written inside the call, kept with its window. */
  readonly ignoreNulls?: boolean;
}

/**
 * `f(args) OVER (…)` in the AST: node-sql-parser reads too little of the standard window
 * syntax (no frames with RANGE or offsets, no PARTITION BY expressions, no NTILE), so the
 * OVER clauses and the WINDOW clause are cut out of the text before parsing (blanked, so
 * offsets stay the user's), read here, and put back around the parsed call.
 */
export interface AstWindowCall {
  readonly type: 'window_call';
  readonly call: AstNode;
  readonly window: AstWindowSpec;
  readonly loc?: AstNode['loc'];
  readonly [key: string]: unknown;
}

interface PendingSpec {
  readonly base: { name: string; position: SqlPosition } | null;
  readonly spec: AstWindowSpec;
}

export interface WindowSyntax {
  /** The text with OVER clauses and the WINDOW clause blanked out. */
  readonly text: string;
  /** Attaches the window specifications to the parsed calls. */
  attach(ast: unknown): void;
}

const at = (t: SqlToken): SqlPosition => ({ line: t.line, column: t.column });

function blank(text: string, from: number, to: number): string {
  return text.slice(0, from) + text.slice(from, to).replace(/[^\n]/g, ' ') + text.slice(to);
}

/** Splits tokens[from, to) at commas outside parentheses. */
function splitAtCommas(tokens: readonly SqlToken[], from: number, to: number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    if (isSymbol(tokens[k], '(')) depth++;
    else if (isSymbol(tokens[k], ')')) depth--;
    else if (depth === 0 && isSymbol(tokens[k], ',')) {
      parts.push([start, k]);
      start = k + 1;
    }
  }
  if (start < to) parts.push([start, to]);
  return parts;
}

/** The first index in [from, to) of a word at depth 0 among `words`, else `to`. */
function findWord(tokens: readonly SqlToken[], from: number, to: number, words: readonly string[]): number {
  let depth = 0;
  for (let k = from; k < to; k++) {
    if (isSymbol(tokens[k], '(')) depth++;
    else if (isSymbol(tokens[k], ')')) depth--;
    else if (depth === 0 && tokens[k].kind === 'word' && words.includes(tokens[k].text.toLowerCase()))
      return k;
  }
  return to;
}

function syntaxErrorAt(sql: string, token: SqlToken | undefined): ParseError {
  if (!token) return new ParseError('syntax error at end of input', positionAt(sql, sql.length));
  return new ParseError(`syntax error at or near "${sql.slice(token.offset, token.end)}"`, at(token));
}

/**
 * Parses expressions written at token ranges of the user's text in one SELECT list, then
 * moves every location in the result back to where the expression is written.
 */
function parseExpressions(
  sql: string,
  source: string,
  tokens: readonly SqlToken[],
  ranges: readonly [number, number][],
): AstNode[] {
  if (ranges.length === 0) return [];
  let text = 'SELECT ';
  const pieces: { at: number; from: number; length: number }[] = [];
  ranges.forEach(([a, b], i) => {
    if (i > 0) text += ', ';
    const from = tokens[a].offset;
    const piece = source.slice(from, tokens[b - 1].end);
    pieces.push({ at: text.length, from, length: piece.length });
    text += piece;
  });
  const original = (offset: number): number => {
    let best = pieces[0];
    for (const p of pieces) if (p.at <= offset) best = p;
    return best.from + Math.max(0, Math.min(offset - best.at, best.length));
  };
  let ast: AstSelect;
  try {
    ast = parser.astify(text, {
      database: 'postgresql',
      parseOptions: { includeLocations: true },
    }) as unknown as AstSelect;
  } catch (error) {
    const offset = (error as { location?: { start: { offset: number } } }).location?.start.offset;
    const target = offset === undefined ? tokens[ranges[0][0]] : tokens.find((t) => t.end > original(offset));
    throw syntaxErrorAt(sql, target);
  }
  relocate(ast, sql, original);
  const columns = (ast.columns as readonly { expr: AstNode }[]).map((c) => c.expr);
  if (columns.length !== ranges.length) throw syntaxErrorAt(sql, tokens[ranges[0][0]]);
  return columns;
}

function relocate(value: unknown, sql: string, original: (offset: number) => number): void {
  if (Array.isArray(value)) {
    for (const v of value) relocate(v, sql, original);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as { loc?: { start: { offset: number }; end: { offset: number } } };
  if (node.loc) {
    const start = original(node.loc.start.offset);
    const end = original(node.loc.end.offset);
    node.loc = {
      start: { offset: start, ...positionAt(sql, start) },
      end: { offset: end, ...positionAt(sql, end) },
    };
  }
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') relocate(v, sql, original);
}

/** Reads a frame clause at tokens[from, to): ROWS|RANGE [BETWEEN] bound [AND bound]. */
function parseFrame(sql: string, tokens: readonly SqlToken[], from: number, to: number): AstFrame {
  const unitsToken = tokens[from];
  const units = unitsToken.text.toLowerCase() as 'rows' | 'range';
  let k = from + 1;
  const bound = (): AstFrameBound => {
    const t = tokens[k];
    if (k >= to) throw syntaxErrorAt(sql, tokens[to]);
    if (isWord(t, 'unbounded')) {
      const dir = tokens[k + 1];
      k += 2;
      if (isWord(dir, 'preceding')) return { kind: 'unbounded-preceding', position: at(t) };
      if (isWord(dir, 'following')) return { kind: 'unbounded-following', position: at(t) };
      throw syntaxErrorAt(sql, dir);
    }
    if (isWord(t, 'current')) {
      if (!isWord(tokens[k + 1], 'row')) throw syntaxErrorAt(sql, tokens[k + 1]);
      k += 2;
      return { kind: 'current-row', position: at(t) };
    }
    const end = findWord(tokens, k, to, ['preceding', 'following']);
    if (end >= to) throw syntaxErrorAt(sql, tokens[to]);
    const offset = frameOffset(tokens, k, end);
    const kind = tokens[end].text.toLowerCase() as 'preceding' | 'following';
    k = end + 1;
    return { kind, offset, position: at(t) };
  };
  let start: AstFrameBound;
  let end: AstFrameBound;
  if (isWord(tokens[k], 'between')) {
    k++;
    start = bound();
    if (!isWord(tokens[k], 'and')) throw syntaxErrorAt(sql, tokens[k]);
    k++;
    end = bound();
  } else {
    start = bound();
    end = { kind: 'current-row', position: start.position };
  }
  if (k !== to) throw syntaxErrorAt(sql, tokens[k]);
  return { units, start, end, position: at(unitsToken) };
}

function frameOffset(tokens: readonly SqlToken[], from: number, to: number): AstFrameOffset {
  const t = tokens[from];
  if (to - from === 1 && t.kind === 'number') return { kind: 'number', value: Number(t.text) };
  if (isWord(t, 'interval')) {
    const value = tokens[from + 1];
    const unit = from + 2 < to ? tokens[from + 2] : undefined;
    if (value && (value.kind === 'string' || value.kind === 'number') && from + 2 + (unit ? 1 : 0) === to) {
      const text = value.kind === 'string' ? value.text.replace(/^'|'$/g, '') : value.text;
      return { kind: 'interval', text, unit: unit?.text.toLowerCase() ?? '' };
    }
  }
  throw new BindError(
    'UNSUPPORTED_FEATURE',
    'a window frame offset must be a number or an INTERVAL literal',
    { position: at(t), details: { feature: 'window frame offset expression' } },
  );
}

/**
 * Reads the inside of `( … )` of an OVER or WINDOW clause: tokens[from, to). Expressions are
 * read from `source`, the text after parse-sql's other rewrites (same offsets as `sql`).
 */
function parseSpec(
  sql: string,
  source: string,
  tokens: readonly SqlToken[],
  from: number,
  to: number,
): PendingSpec {
  let k = from;
  let base: PendingSpec['base'] = null;
  const clauseWords = ['partition', 'order', 'rows', 'range', 'groups'];
  if (k < to && tokens[k].kind !== 'symbol' && !clauseWords.includes(tokens[k].text.toLowerCase())) {
    base = { name: tokens[k].text, position: at(tokens[k]) };
    k++;
  }
  let partitionRanges: [number, number][] = [];
  const orderRanges: {
    range: [number, number];
    direction: 'ASC' | 'DESC' | undefined;
    nullsFirst: boolean | undefined;
  }[] = [];
  if (isWord(tokens[k], 'partition')) {
    if (!isWord(tokens[k + 1], 'by')) throw syntaxErrorAt(sql, tokens[k + 1]);
    const end = findWord(tokens, k + 2, to, ['order', 'rows', 'range', 'groups']);
    partitionRanges = splitAtCommas(tokens, k + 2, end);
    k = end;
  }
  if (isWord(tokens[k], 'order')) {
    if (!isWord(tokens[k + 1], 'by')) throw syntaxErrorAt(sql, tokens[k + 1]);
    const end = findWord(tokens, k + 2, to, ['rows', 'range', 'groups']);
    for (const [a, b] of splitAtCommas(tokens, k + 2, end)) {
      let e = b;
      let nullsFirst: boolean | undefined;
      if (e - a > 2 && isWord(tokens[e - 2], 'nulls')) {
        const which = tokens[e - 1].text.toLowerCase();
        if (which !== 'first' && which !== 'last') throw syntaxErrorAt(sql, tokens[e - 1]);
        nullsFirst = which === 'first';
        e -= 2;
      }
      let direction: 'ASC' | 'DESC' | undefined;
      if (e - a > 1 && (isWord(tokens[e - 1], 'asc') || isWord(tokens[e - 1], 'desc'))) {
        direction = isWord(tokens[e - 1], 'asc') ? 'ASC' : 'DESC';
        e--;
      }
      if (e <= a) throw syntaxErrorAt(sql, tokens[a]);
      orderRanges.push({ range: [a, e], direction, nullsFirst });
    }
    k = end;
  }
  let frame: AstFrame | null = null;
  if (isWord(tokens[k], 'groups'))
    throw new BindError('UNSUPPORTED_FEATURE', 'GROUPS frames are not supported yet', {
      position: at(tokens[k]),
      details: { feature: 'GROUPS frame' },
    });
  if (isWord(tokens[k], 'rows') || isWord(tokens[k], 'range')) {
    frame = parseFrame(sql, tokens, k, to);
    k = to;
  }
  if (k !== to) throw syntaxErrorAt(sql, tokens[k]);
  if (partitionRanges.some(([a, b]) => a >= b)) throw syntaxErrorAt(sql, tokens[k]);
  const exprs = parseExpressions(sql, source, tokens, [
    ...partitionRanges,
    ...orderRanges.map((o) => o.range),
  ]);
  const partitionBy = exprs.slice(0, partitionRanges.length);
  const orderBy = orderRanges.map((o, i) => ({
    expr: exprs[partitionRanges.length + i],
    ascending: o.direction !== 'DESC',
    direction: o.direction,
    nullsFirst: o.nullsFirst,
  }));
  return { base, spec: { partitionBy, orderBy, frame } };
}

/** A spec over a named base window: the base gives PARTITION BY and ORDER BY it lacks, as in SQL. */
function resolve(
  named: ReadonlyMap<string, PendingSpec>,
  pending: PendingSpec,
  seen = new Set<string>(),
): AstWindowSpec {
  if (!pending.base) return pending.spec;
  const key = pending.base.name.toLowerCase();
  const base = named.get(key);
  if (!base || seen.has(key))
    throw new BindError('UNKNOWN_WINDOW', `window "${pending.base.name}" does not exist`, {
      position: pending.base.position,
      details: { window: pending.base.name },
    });
  const resolved = resolve(named, base, new Set([...seen, key]));
  const spec = pending.spec;
  if (spec.partitionBy.length > 0 && resolved.partitionBy.length > 0)
    throw new BindError('INVALID_WINDOW', `cannot override PARTITION BY of window "${pending.base.name}"`, {
      position: pending.base.position,
    });
  if (spec.orderBy.length > 0 && resolved.orderBy.length > 0)
    throw new BindError('INVALID_WINDOW', `cannot override ORDER BY of window "${pending.base.name}"`, {
      position: pending.base.position,
    });
  return {
    partitionBy: spec.partitionBy.length > 0 ? spec.partitionBy : resolved.partitionBy,
    orderBy: spec.orderBy.length > 0 ? spec.orderBy : resolved.orderBy,
    frame: spec.frame ?? resolved.frame,
  };
}

/**
 * Finds OVER clauses (`f(…) OVER (spec)`, `f(…) OVER name`) and WINDOW clauses (`WINDOW name
 * AS (spec), …`), blanks them out of `text` and reads them; `attach` then wraps each call
 * they followed in the parsed AST as an AstWindowCall. The whole text is scanned in one pass;
 * a WINDOW clause names windows for its own SELECT only, as in SQL.
 */
export function extractWindowSyntax(sql: string, text: string, tokens: readonly SqlToken[]): WindowSyntax {
  // Each token's SELECT: parentheses opening with SELECT or WITH start a new one.
  const scopeOf: number[] = [];
  const stack = [0];
  let scopes = 0;
  tokens.forEach((t, i) => {
    if (isSymbol(t, ')') && stack.length > 1) stack.pop();
    scopeOf.push(stack[stack.length - 1]);
    if (isSymbol(t, '(')) {
      const next = tokens[i + 1];
      stack.push(isWord(next, 'select') || isWord(next, 'with') ? ++scopes : stack[stack.length - 1]);
    }
  });
  // Named windows by the SELECT whose WINDOW clause defines them.
  const namedByScope = new Map<number, Map<string, PendingSpec>>();
  const calls: {
    callOffset: number;
    scope: number;
    over: PendingSpec | { name: string; position: SqlPosition };
    ignoreNulls: boolean;
  }[] = [];
  let out = text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (isWord(t, 'window') && tokens[i + 1]?.kind !== 'symbol' && isWord(tokens[i + 2], 'as')) {
      // WINDOW w AS (…) [, w2 AS (…)]…
      const named = namedByScope.get(scopeOf[i]) ?? new Map<string, PendingSpec>();
      namedByScope.set(scopeOf[i], named);
      let k = i + 1;
      for (;;) {
        const name = tokens[k];
        if (!isWord(tokens[k + 1], 'as') || !isSymbol(tokens[k + 2], '('))
          throw syntaxErrorAt(sql, tokens[k + 1]);
        const close = closing(tokens, k + 2);
        if (close < 0) throw syntaxErrorAt(sql, undefined);
        named.set(name.text.toLowerCase(), parseSpec(sql, text, tokens, k + 3, close));
        k = close + 1;
        if (!isSymbol(tokens[k], ',')) break;
        k++;
      }
      out = blank(out, t.offset, tokens[k - 1].end);
      i = k - 1;
      continue;
    }
    if (!isWord(t, 'over') || !isSymbol(tokens[i - 1], ')')) continue;
    const open = opening(tokens, i - 1);
    const name = tokens[open - 1];
    if (open < 1 || !name || (name.kind !== 'word' && name.kind !== 'quoted')) continue;
    if (isWord(name, 'filter') && isSymbol(tokens[open - 2], ')'))
      throw new BindError('UNSUPPORTED_FEATURE', 'FILTER on window functions is not supported yet', {
        position: at(name),
        details: { feature: 'FILTER with OVER' },
      });
    if (isWord(name, 'count') && name.end - name.offset === COUNT_STAND_IN.length) {
      // The grammar gives COUNT calls no location to find them by: a plain function call
      // of the same length stands in for it while parsing.
      if (isWord(tokens[open + 1], 'distinct'))
        throw new BindError(
          'UNSUPPORTED_FEATURE',
          'DISTINCT in window function count() is not supported yet',
          {
            position: at(tokens[open + 1]),
            details: { feature: 'DISTINCT window aggregate' },
          },
        );
      out = out.slice(0, name.offset) + COUNT_STAND_IN + out.slice(name.end);
    }
    // `f(x IGNORE NULLS)` (or RESPECT NULLS, the default): the grammar reads neither.
    const nullsWord = tokens[i - 3];
    const ignoreNulls = isWord(nullsWord, 'ignore') && isWord(tokens[i - 2], 'nulls') && i - 3 > open;
    if ((ignoreNulls || isWord(nullsWord, 'respect')) && isWord(tokens[i - 2], 'nulls') && i - 3 > open)
      out = blank(out, nullsWord.offset, tokens[i - 2].end);
    const next = tokens[i + 1];
    if (isSymbol(next, '(')) {
      const close = closing(tokens, i + 1);
      if (close < 0) throw syntaxErrorAt(sql, undefined);
      calls.push({
        callOffset: name.offset,
        scope: scopeOf[i],
        over: parseSpec(sql, text, tokens, i + 2, close),
        ignoreNulls,
      });
      out = blank(out, t.offset, tokens[close].end);
      i = close;
    } else if (next && (next.kind === 'word' || next.kind === 'quoted')) {
      calls.push({
        callOffset: name.offset,
        scope: scopeOf[i],
        over: { name: next.text, position: at(next) },
        ignoreNulls,
      });
      out = blank(out, t.offset, next.end);
      i++;
    } else throw syntaxErrorAt(sql, next);
  }
  const specs = new Map<number, AstWindowSpec>();
  for (const c of calls) {
    const named = namedByScope.get(c.scope) ?? new Map<string, PendingSpec>();
    const pending: PendingSpec =
      'spec' in c.over ? c.over : { base: c.over, spec: { partitionBy: [], orderBy: [], frame: null } };
    const spec = resolve(named, pending);
    specs.set(c.callOffset, c.ignoreNulls ? { ...spec, ignoreNulls: true } : spec);
  }
  return {
    text: out,
    attach(ast: unknown): void {
      if (specs.size > 0) wrapCalls(ast, specs);
    },
  };
}

const CALL_TYPES = new Set(['function', 'aggr_func', 'window_func']);
const COUNT_STAND_IN = 'c_wnd';

/** The stand-in call back as the COUNT aggregate node the grammar makes. */
function restoreCount(node: AstNode): AstNode {
  const args = (node.args as { value?: AstNode[] } | undefined)?.value ?? [];
  const arg = args[0];
  const star = !arg || (arg.type === 'column_ref' && arg.column === '*');
  return {
    type: 'aggr_func',
    name: 'COUNT',
    args: { expr: star ? { type: 'star', value: '*' } : arg },
    over: null,
    loc: node.loc,
  };
}

function wrapCalls(value: unknown, specs: ReadonlyMap<number, AstWindowSpec>): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = wrapCalls(value[i], specs);
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown> & AstNode;
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') node[k] = wrapCalls(v, specs);
  const start = node.loc?.start.offset;
  if (start !== undefined && typeof node.type === 'string' && CALL_TYPES.has(node.type)) {
    const spec = specs.get(start);
    if (spec) {
      const isStandIn = node.type === 'function' && functionName(node) === COUNT_STAND_IN;
      const call = isStandIn ? restoreCount(node) : node;
      const wrapped: AstWindowCall = { type: 'window_call', call, window: spec, loc: node.loc };
      return wrapped;
    }
  }
  return node;
}
