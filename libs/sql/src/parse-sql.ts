import { refuseParenthesizedSubscripts, subscriptPlaceholders } from './subscript-placeholders.ts';
import { postgresSyntax } from './postgres-syntax.ts';
import pkg from 'node-sql-parser';
import { BindError, ParseError, TributaryError, type SqlPosition } from '@tributary/common';
import { balanceLogicChains } from './balance-logic-chains.ts';
import { markedOperatorCalls } from './marked-operators.ts';
import { naturalJoinsAsUsing } from './natural-joins.ts';
import { semiAntiJoins } from './semi-anti-joins.ts';
import { parenthesizedCasts } from './chained-casts.ts';
import { filterWithWhere } from './filter-without-where.ts';
import { windowFiltersAsCase } from './window-filters.ts';
import { standardRowLimits } from './row-limit-clauses.ts';
import { withoutSelectAll } from './select-all.ts';
import { checkExpressionDepth, expressionTooDeep, isStackOverflow } from './check-expression-depth.ts';
import { cutAggregateClauses, markAggregateClauses, type FilterCondition } from './aggregate-call-clauses.ts';
import { AGGREGATE_NAMES } from './contains-aggregate.ts';
import { elideLiteralLists } from './elide-literal-lists.ts';
import { normalizeGroupingSets } from './normalize-grouping-sets.ts';
import { hasSetOperation, parseSetOperations } from './parse-set-operations.ts';
import { extractAsDatePart } from './extract-as-date-part.ts';
import { rewriteFromFirst } from './from-first.ts';
import { bareListLiterals } from './bare-list-literals.ts';
import { valuesAsQueries } from './values-queries.ts';
import { integerDivisionCalls } from './integer-division.ts';
import { zonedTimestampLiterals } from './zoned-timestamp-literals.ts';
import { thenMoved, type MovedText } from './moved-text.ts';
import { isDistinctFromAsIs } from './is-distinct-from.ts';
import { keywordsAsNames } from './keyword-identifiers.ts';
import { longNamesAsPlaceholders } from './long-names.ts';
import { escapeDoubledQuotes } from './quoted-identifier-escapes.ts';
import { hoistNotOverOperators } from './hoist-not-over-operators.ts';
import { fixOperatorPrecedence } from './operator-precedence.ts';
import type { AstNode, AstSelect } from './sql-ast.ts';
import { positionAt, tokenizeSql, type SqlToken } from './sql-lexer.ts';
import { tokenIndex } from './token-index.ts';
import { extractWindowSyntax } from './window-syntax.ts';
import { markByAll } from './by-all.ts';
import { cutQualifyClauses } from './qualify-clause.ts';
import { cutStarModifiers, type AstColumnLike } from './star-modifiers.ts';

const { Parser } = pkg;
const parser = new Parser();

/** One parsed statement: the AST plus what the binder needs to point back into the text. */
export interface ParsedStatement {
  /** The text parsed: the user's, or the user's with its FROM-first queries rewritten. */
  readonly sql: string;
  readonly explain: boolean;
  /** EXPLAIN ANALYZE: run the query and report what each part did. */
  readonly analyze: boolean;
  readonly ast: AstSelect;
  readonly tokens: readonly SqlToken[];
  /** A position in `sql` as the user's text has it, when `sql` is a rewrite (from-first.ts). */
  readonly userPosition?: (position: SqlPosition) => SqlPosition;
}

interface PegError {
  message: string;
  location?: { start: { offset: number; line: number; column: number } };
}

/** A cast to one of Postgres' internal types (`::regclass`, `::pg_catalog.text`). */
const POSTGRES_CAST = /::\s*(pg_catalog\.|reg|oid\b|name\b|bpchar\b)/i;

function isPegError(error: unknown): error is PegError {
  return typeof error === 'object' && error !== null && 'location' in error && 'message' in error;
}

function syntaxError(sql: string, tokens: readonly SqlToken[], offset: number, cause: unknown): ParseError {
  const token = tokens.find((t) => t.end > offset);
  if (!token) return new ParseError('syntax error at end of input', positionAt(sql, sql.length), { cause });
  const text = token.kind === 'quoted' ? token.text : sql.slice(token.offset, token.end);
  return new ParseError(
    `syntax error at or near "${text}"`,
    { line: token.line, column: token.column },
    { cause },
  );
}

/**
 * Parses one SQL statement (optionally prefixed by EXPLAIN) with node-sql-parser's PostgreSQL
 * grammar. FROM-first queries (DuckDB's `FROM t SELECT a`), bare list literals (`[1, 2]`) and
 * zoned timestamp literals (`TIMESTAMPTZ '…'`) are rewritten first; errors, here and in
 * binding (atUserPositions), point into the user's text all the same.
 */
export function parseSql(sql: string): ParsedStatement {
  let tokens = tokenizeSql(sql);
  let moved: MovedText | undefined;
  // Each only where its token occurs: a long IN list has 100,000 tokens to pass over.
  for (const [present, rewrite] of [
    [() => tokenIndex(tokens).byLowerText.has('from'), rewriteFromFirst],
    [() => sql.includes('['), bareListLiterals],
    [() => tokenIndex(tokens).byLowerText.has('values'), valuesAsQueries],
    [() => sql.includes('//'), integerDivisionCalls],
    [() => /[&|^]|<<|>>|\*\*/.test(sql), markedOperatorCalls],
    [() => tokenIndex(tokens).byLowerText.has('natural'), naturalJoinsAsUsing],
    [
      () => tokenIndex(tokens).byLowerText.has('semi') || tokenIndex(tokens).byLowerText.has('anti'),
      semiAntiJoins,
    ],
    [() => sql.includes('::'), parenthesizedCasts],
    [() => tokenIndex(tokens).byLowerText.has('filter'), filterWithWhere],
    [
      () => tokenIndex(tokens).byLowerText.has('filter') && tokenIndex(tokens).byLowerText.has('over'),
      windowFiltersAsCase,
    ],
    [
      () => tokenIndex(tokens).byLowerText.has('offset') || tokenIndex(tokens).byLowerText.has('fetch'),
      standardRowLimits,
    ],
    [() => tokenIndex(tokens).byLowerText.has('all'), withoutSelectAll],
    [
      () => tokenIndex(tokens).byLowerText.has('timestamptz') || /\bzone\b/i.test(sql),
      zonedTimestampLiterals,
    ],
  ] as const) {
    const text = moved?.text ?? sql;
    const next = present() ? rewrite(text, tokens) : undefined;
    if (!next) continue;
    moved = moved ? thenMoved(moved, next) : next;
    tokens = tokenizeSql(next.text);
  }
  if (!moved) return parseStatement(sql, tokens);
  const { text, userOffset } = moved;
  const userPosition = (position: SqlPosition): SqlPosition =>
    positionAt(sql, userOffset(offsetAt(text, position)));
  const parsed = atUserPositions({ userPosition }, () => parseStatement(text, tokens));
  return { ...parsed, userPosition };
}

/**
 * Runs `step` (binding a parsed statement), taking the position of an error it throws back
 * to the user's text when the statement was rewritten.
 */
export function atUserPositions<T>(parsed: Pick<ParsedStatement, 'userPosition'>, step: () => T): T {
  if (!parsed.userPosition) return step();
  try {
    return step();
  } catch (error) {
    if (error instanceof TributaryError && error.line !== undefined) {
      const at = parsed.userPosition({ line: error.line, column: error.column ?? 1 });
      // The error is new and not yet seen by anyone: it is moved rather than copied, keeping its class.
      Object.assign(error, { line: at.line, column: at.column });
    }
    throw error;
  }
}

/** The offset of a line and column in `text`. */
function offsetAt(text: string, position: SqlPosition): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + position.column - 1;
}

function parseStatement(sql: string, tokens: readonly SqlToken[]): ParsedStatement {
  let text = sql;
  let explain = false;
  const first = tokens[0];
  let analyze = false;
  if (first?.kind === 'word' && first.text.toLowerCase() === 'explain') {
    // Blank the keywords out rather than cut them, so parser offsets stay those of the user's text.
    explain = true;
    const second = tokens[1];
    analyze = second?.kind === 'word' && second.text.toLowerCase() === 'analyze';
    const end = analyze ? second.end : first.end;
    text = sql.slice(0, first.offset) + ' '.repeat(end - first.offset) + sql.slice(end);
  }
  const keywords = explain ? (analyze ? 2 : 1) : 0;
  if (tokens.length === 0 || tokens.length === keywords) {
    throw new ParseError('empty statement', positionAt(sql, sql.length));
  }
  // Each rewrite only where its keyword occurs: a long IN list has 100,000 tokens to pass over.
  const words = tokenIndex(tokens).byLowerText;
  if (words.has('operator') || words.has('collate') || words.has('e') || POSTGRES_CAST.test(sql))
    text = postgresSyntax(text, tokens);
  if (words.has('extract')) text = extractAsDatePart(text, tokens);
  if (words.has('substring') || words.has('substr')) text = substringKeywordsAsCommas(text, tokens);
  if (words.has('like') || words.has('ilike')) text = parenthesizeLikeConcatenation(text, tokens);
  if (words.has('distinct') && words.has('is')) text = isDistinctFromAsIs(text, tokens);
  if (words.has('try_cast')) text = tryCastAsCall(text, tokens);
  if (words.has('hugeint')) text = hugeintAsInt128(text, tokens);
  if (words.has('grouping') || words.has('group')) text = normalizeGroupingSets(text, tokens);
  const quotes = escapeDoubledQuotes(text, tokens);
  const names = keywordsAsNames(quotes.text, tokens);
  const longNames = longNamesAsPlaceholders(names.text, tokens);
  const exactNumbers = exactNumberPlaceholders(longNames.text, tokens);
  text = exactNumbers.text;
  if (text.includes('[')) refuseParenthesizedSubscripts(tokens);
  const subscripts = text.includes('[') ? subscriptPlaceholders(text, tokens) : undefined;
  if (subscripts) text = subscripts.text;
  // After the rewrites above, so window specs read the same rewritten text; their ASTs are
  // attached before the placeholders are restored, so names and numbers in them come back too.
  const windows =
    words.has('over') || words.has('window') ? extractWindowSyntax(sql, text, tokens) : undefined;
  if (windows) text = windows.text;
  // Cut after the other rewrites, so a cut FILTER condition parses like the rest.
  const clauses =
    words.has('distinct') || words.has('filter') || words.has('order')
      ? cutAggregateClauses(text, tokens, AGGREGATE_NAMES)
      : undefined;
  const normalized = text;
  if (clauses) text = clauses.text;
  // DuckDB's clauses the grammar lacks: each leaves a marker the grammar reads in its place.
  const byAll = words.has('all') && words.has('by') ? markByAll(text, tokens) : undefined;
  if (byAll) text = byAll.text;
  const stars =
    words.has('exclude') || words.has('replace') ? cutStarModifiers(sql, text, tokens) : undefined;
  if (stars) text = stars.text;
  const qualify = words.has('qualify') ? cutQualifyClauses(text, tokens) : undefined;
  if (qualify) text = qualify.text;
  const restorePlaceholders = (ast: unknown): void => {
    subscripts?.restore(ast);
    exactNumbers.restore(ast);
    longNames.restore(ast);
    names.restore(ast);
    quotes.restore(ast);
  };
  const parseText = (visible: string): AstSelect[] => {
    const elided = elideLiteralLists(sql, visible, tokens);
    // The grammar reads the text trimmed: its offsets start after the leading blanks.
    const lead = elided.text.length - elided.text.trimStart().length;
    let ast: unknown;
    try {
      ast = parser.astify(elided.text, { database: 'postgresql', parseOptions: { includeLocations: true } });
    } catch (error) {
      if (isPegError(error) && error.location)
        throw syntaxError(sql, tokens, elided.sourceOffset(error.location.start.offset + lead), error);
      // The grammar recurses once per nesting level: deep parentheses overflow its stack.
      if (isStackOverflow(error))
        throw expressionTooDeep(deepestParenthesis(tokens), {
          message: 'the statement nests parentheses too deeply to parse; simplify it',
          cause: error,
        });
      throw new ParseError(
        `syntax error: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        { cause: error },
      );
    }
    elided.restore(ast, lead);
    windows?.attach(ast);
    restorePlaceholders(ast);
    // Long AND/OR chains first, so that they do not count against the depth limit.
    balanceLogicChains(ast);
    fixOperatorPrecedence(ast);
    hoistNotOverOperators(ast);
    checkExpressionDepth(ast);
    byAll?.attach(ast);
    stars?.attach(ast, (range) =>
      parseSelectList(sql, normalized, tokens, range).map((c) => {
        // A replacing expression may be a window call: its OVER spec was cut like the others.
        const holder = [c.expr];
        windows?.attach(holder);
        restorePlaceholders(holder);
        return { ...c, expr: holder[0] };
      }),
    );
    qualify?.attach(ast, (range) => {
      // The condition holds the window calls QUALIFY filters on: their OVER specs were cut too.
      const holder = [parseCondition(sql, normalized, tokens, range)];
      windows?.attach(holder);
      restorePlaceholders(holder);
      return holder[0];
    });
    const statements = (Array.isArray(ast) ? ast : [ast]).filter((s) => s !== null && s !== undefined);
    if (clauses)
      markAggregateClauses(
        statements,
        clauses,
        (condition) => {
          const where = parseCondition(sql, normalized, tokens, condition);
          restorePlaceholders(where);
          return where;
        },
        (range) => {
          const orderBy = parseOrderBy(sql, normalized, tokens, range);
          restorePlaceholders(orderBy);
          return orderBy;
        },
      );
    return statements as AstSelect[];
  };
  let statement: AstSelect | undefined;
  if (hasSetOperation(tokens)) {
    statement = parseSetOperations(sql, text, tokens, (visible) => {
      const [one] = parseText(visible);
      if (!one || one.type !== 'select') throw syntaxErrorAtStart(sql, tokens, visible);
      return one;
    });
  } else {
    const statements = parseText(text);
    if (statements.length > 1) {
      const semicolon = tokens.find((t, i) => t.kind === 'symbol' && t.text === ';' && i < tokens.length - 1);
      throw new ParseError(
        'multiple statements are not supported; send one statement at a time',
        semicolon ? { line: semicolon.line, column: semicolon.column } : undefined,
      );
    }
    statement = statements[0];
  }
  if (!statement) throw new ParseError('empty statement', positionAt(sql, sql.length));
  if (statement.type !== 'select') {
    const at = tokens[keywords];
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      `${String(statement.type).toUpperCase()} statements are not supported; only SELECT is`,
      {
        position: { line: at.line, column: at.column },
      },
    );
  }
  return { sql, explain, analyze, ast: statement, tokens };
}

/** A syntax error at the first visible token of a text the grammar read as no SELECT. */
function syntaxErrorAtStart(sql: string, tokens: readonly SqlToken[], visible: string): ParseError {
  const start = visible.search(/\S/);
  return syntaxError(sql, tokens, start < 0 ? sql.length : start, undefined);
}

/** Where parentheses nest deepest: the first `(` at the greatest depth. */
function deepestParenthesis(tokens: readonly SqlToken[]): SqlPosition | undefined {
  let depth = 0;
  let deepest = 0;
  let at: SqlToken | undefined;
  for (const t of tokens) {
    if (t.kind !== 'symbol') continue;
    if (t.text === '(' && ++depth > deepest) {
      deepest = depth;
      at = t;
    } else if (t.text === ')') depth--;
  }
  return at && { line: at.line, column: at.column };
}

/**
 * The grammar lacks the standard `SUBSTRING(s FROM a [FOR b])`: its FROM and FOR (at the call's
 * own nesting level) become commas padded to the same length, so offsets stay the user's.
 */
function substringKeywordsAsCommas(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const name = tokens[i];
    if (name.kind !== 'word' || !['substring', 'substr'].includes(name.text.toLowerCase())) continue;
    if (tokens[i + 1].kind !== 'symbol' || tokens[i + 1].text !== '(') continue;
    let depth = 0;
    const keywords: SqlToken[] = [];
    for (let k = i + 1; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind === 'symbol' && t.text === '(') depth++;
      else if (t.kind === 'symbol' && t.text === ')' && --depth === 0) break;
      else if (depth === 1 && t.kind === 'word' && ['from', 'for'].includes(t.text.toLowerCase()))
        keywords.push(t);
    }
    if (keywords.length === 0 || keywords[0].text.toLowerCase() !== 'from') continue;
    for (const t of keywords) out = out.slice(0, t.offset) + ','.padEnd(t.end - t.offset) + out.slice(t.end);
  }
  return out;
}

/**
 * The grammar has no TRY_CAST: `TRY_CAST(x AS T)` becomes the call `TRY_CAST(x ,'T')` (the
 * same length, so offsets stay the user's), which the binder turns into a try-cast.
 */
function tryCastAsCall(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const name = tokens[i];
    if (name.kind !== 'word' || name.text.toLowerCase() !== 'try_cast') continue;
    if (tokens[i + 1].kind !== 'symbol' || tokens[i + 1].text !== '(') continue;
    let depth = 0;
    let as: SqlToken | undefined;
    let close: SqlToken | undefined;
    for (let k = i + 1; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind === 'symbol' && t.text === '(') depth++;
      else if (t.kind === 'symbol' && t.text === ')' && --depth === 0) {
        close = t;
        break;
      } else if (depth === 1 && t.kind === 'word' && t.text.toLowerCase() === 'as' && !as) as = t;
    }
    if (!as || !close) continue;
    const typeText = out.slice(as.end, close.offset).trim();
    const width = close.offset - as.offset;
    if (typeText.includes("'") || typeText.length + 3 > width) continue;
    out = out.slice(0, as.offset) + `,'${typeText}'`.padEnd(width) + out.slice(close.offset);
  }
  return out;
}

/**
 * The grammar folds a sign into a JS number (-9007199254740993 loses its last digit) and drops
 * leading zeros (00.50, which DuckDB types DECIMAL(4,2)). Such number tokens become identifiers
 * of the same length, turned back into number nodes carrying the exact text after parsing.
 */
function exactNumberPlaceholders(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore(ast: unknown): void } {
  const numbers = new Map<string, string>();
  let out = text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'number' || !/^\d*\.?\d*$/.test(t.text)) continue;
    // LIMIT and OFFSET take a number, never a name: the grammar reads them as written.
    const before = tokens[i - 1];
    if (before?.kind === 'word' && ['limit', 'offset'].includes(before.text.toLowerCase())) continue;
    const digits = t.text.replace('.', '').length;
    if (digits < 16 && !/^0\d/.test(t.text)) continue;
    const name = `_${numbers.size}`.padEnd(t.text.length, '_');
    if (name.length !== t.text.length || text.includes(name)) continue;
    numbers.set(name, t.text);
    out = out.slice(0, t.offset) + name + out.slice(t.end);
  }
  if (numbers.size === 0) return { text, restore: () => undefined };
  const restore = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(restore);
      return;
    }
    const record = node as Record<string, unknown>;
    if (record.type === 'column_ref' && (record.table === null || record.table === undefined)) {
      const column = record.column as { expr?: { value?: unknown } } | string | undefined;
      const name = typeof column === 'string' ? column : column?.expr?.value;
      const number = typeof name === 'string' ? numbers.get(name) : undefined;
      if (number !== undefined) {
        for (const key of Object.keys(record)) if (key !== 'loc') delete record[key];
        record.type = number.includes('.') ? 'number' : 'bigint';
        record.value = number;
        return;
      }
    }
    for (const value of Object.values(record)) restore(value);
  };
  return { text: out, restore };
}

/** The grammar has no HUGEINT type; it reads DuckDB's other name for it, INT128, as INT(128). */
function hugeintAsInt128(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (const t of tokens) {
    if (t.kind === 'word' && t.text.toLowerCase() === 'hugeint')
      out = out.slice(0, t.offset) + 'INT128 ' + out.slice(t.end);
  }
  return out;
}

/** The index after one operand of a `||` chain starting at `j` (a value, a.b, or f(…)), or -1. */
function operandEnd(tokens: readonly SqlToken[], j: number): number {
  const t = tokens[j];
  if (!t || t.kind === 'symbol') return -1;
  let k = j + 1;
  while (
    tokens[k]?.kind === 'symbol' &&
    tokens[k].text === '.' &&
    tokens[k + 1] &&
    tokens[k + 1].kind !== 'symbol'
  )
    k += 2;
  if (t.kind === 'word' && tokens[k]?.kind === 'symbol' && tokens[k].text === '(') {
    let depth = 0;
    for (; k < tokens.length; k++) {
      if (tokens[k].kind !== 'symbol') continue;
      if (tokens[k].text === '(') depth++;
      else if (tokens[k].text === ')' && --depth === 0) return k + 1;
    }
    return -1;
  }
  return k;
}

/**
 * The grammar rejects `x LIKE '%' || y || '%'`: a LIKE pattern that is a `||` chain is wrapped
 * in parentheses, written over the blanks around it so offsets stay the user's.
 */
function parenthesizeLikeConcatenation(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].kind !== 'word' || !['like', 'ilike'].includes(tokens[i].text.toLowerCase())) continue;
    let end = operandEnd(tokens, i + 1);
    let chained = false;
    while (end > 0) {
      const [a, b] = [tokens[end], tokens[end + 1]];
      const isConcat = a?.text === '|' && b?.text === '|' && a.kind === 'symbol' && b.end === a.end + 1;
      if (!isConcat) break;
      const next = operandEnd(tokens, end + 2);
      if (next < 0) break;
      end = next;
      chained = true;
    }
    if (!chained) continue;
    const open = tokens[i + 1].offset - 1;
    const close = tokens[end - 1].end;
    if (!/[ \t]/.test(out[open] ?? '')) continue;
    // At a line end, ")\n" takes the place of "\n" and the next line's first blank.
    const lineEnd = out[close] === '\n' && /[ \t]/.test(out[close + 1] ?? '');
    if (!lineEnd && close < out.length && !/[ \t]/.test(out[close])) continue;
    const tail = lineEnd ? `)\n${out.slice(close + 2)}` : `)${out.slice(close + 1)}`;
    out = `${out.slice(0, open)}(${out.slice(open + 1, close)}${tail}`;
  }
  return out;
}

/**
 * A FILTER condition cut out of the statement, parsed alone as `SELECT <condition>` with the
 * text before it blanked (newlines kept), so its locations are those of the user's text.
 */
function parseCondition(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
  condition: FilterCondition,
): unknown {
  return parseSelectList(sql, text, tokens, condition)[0]?.expr;
}

/**
 * An aggregate's ORDER BY cut out of its call (`first(x ORDER BY k)`), parsed alone as
 * `SELECT 1 ORDER BY k` at the same offsets: its sort items.
 */
function parseOrderBy(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
  range: FilterCondition,
): unknown {
  const ast = parseBlankedPrefix(sql, text, tokens, range, 'SELECT 1 ') as { orderby?: unknown } | undefined;
  return ast?.orderby ?? [];
}

/** A piece of the statement (a condition, a REPLACE list) parsed alone as `SELECT <piece>`. */
function parseSelectList(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
  range: FilterCondition,
): AstColumnLike[] {
  const select = parseBlankedPrefix(sql, text, tokens, range, 'SELECT ') as
    { columns?: { expr: AstNode; as?: string | null }[] } | undefined;
  return (select?.columns ?? []).map((c) => ({
    expr: c.expr,
    as: c.as ?? null,
    position: positionOfFirstToken(tokens, range.start),
  }));
}

/**
 * `keyword` and the piece of the text in `range` parsed alone, the text before the piece
 * blanked (newlines kept) so that locations are those of the user's text.
 */
function parseBlankedPrefix(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
  range: FilterCondition,
  keyword: string,
): unknown {
  let prefix = text.slice(0, range.start).replace(/[^\n]/g, ' ');
  if (prefix.length < keyword.length || prefix.slice(0, keyword.length).includes('\n'))
    prefix = keyword.padEnd(prefix.length);
  else prefix = keyword + prefix.slice(keyword.length);
  try {
    const ast = parser.astify(prefix + text.slice(range.start, range.end), {
      database: 'postgresql',
      parseOptions: { includeLocations: true },
    }) as unknown;
    return Array.isArray(ast) ? ast[0] : ast;
  } catch (error) {
    if (isPegError(error) && error.location)
      throw syntaxError(sql, tokens, error.location.start.offset, error);
    throw new ParseError('syntax error in a clause read on its own', positionAt(sql, range.start), {
      cause: error,
    });
  }
}

function positionOfFirstToken(tokens: readonly SqlToken[], offset: number): SqlPosition | undefined {
  const t = tokens.find((u) => u.offset >= offset);
  return t && { line: t.line, column: t.column };
}
