import pkg from 'node-sql-parser';
import { BindError, ParseError, type SqlPosition } from '@tributary/common';
import { balanceLogicChains } from './balance-logic-chains.ts';
import { checkExpressionDepth, expressionTooDeep, isStackOverflow } from './check-expression-depth.ts';
import { elideLiteralLists } from './elide-literal-lists.ts';
import { hoistNotOverOperators } from './hoist-not-over-operators.ts';
import type { AstSelect } from './sql-ast.ts';
import { positionAt, tokenizeSql, type SqlToken } from './sql-lexer.ts';
import { tokenIndex } from './token-index.ts';

const { Parser } = pkg;
const parser = new Parser();

/** One parsed statement: the AST plus what the binder needs to point back into the text. */
export interface ParsedStatement {
  readonly sql: string;
  readonly explain: boolean;
  /** EXPLAIN ANALYZE: run the query and report what each part did. */
  readonly analyze: boolean;
  readonly ast: AstSelect;
  readonly tokens: readonly SqlToken[];
}

interface PegError {
  message: string;
  location?: { start: { offset: number; line: number; column: number } };
}

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

/** Parses one SQL statement (optionally prefixed by EXPLAIN) with node-sql-parser's PostgreSQL grammar. */
export function parseSql(sql: string): ParsedStatement {
  const tokens = tokenizeSql(sql);
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
  if (words.has('substring') || words.has('substr')) text = substringKeywordsAsCommas(text, tokens);
  if (words.has('like') || words.has('ilike')) text = parenthesizeLikeConcatenation(text, tokens);
  const distinctAggregates = words.has('distinct')
    ? blankDistinctInAggregates(text, tokens)
    : { text, at: new Set<number>() };
  const elided = elideLiteralLists(sql, distinctAggregates.text, tokens);
  let ast: unknown;
  try {
    ast = parser.astify(elided.text, { database: 'postgresql', parseOptions: { includeLocations: true } });
  } catch (error) {
    if (isPegError(error) && error.location)
      throw syntaxError(sql, tokens, elided.sourceOffset(error.location.start.offset), error);
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
  elided.restore(ast);
  // Long AND/OR chains first, so that they do not count against the depth limit.
  balanceLogicChains(ast);
  hoistNotOverOperators(ast);
  checkExpressionDepth(ast);
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((s) => s !== null && s !== undefined);
  if (statements.length > 1) {
    const semicolon = tokens.find((t, i) => t.kind === 'symbol' && t.text === ';' && i < tokens.length - 1);
    throw new ParseError(
      'multiple statements are not supported; send one statement at a time',
      semicolon ? { line: semicolon.line, column: semicolon.column } : undefined,
    );
  }
  if (distinctAggregates.at.size > 0) markDistinct(statements, distinctAggregates.at);
  const statement = statements[0] as AstSelect | undefined;
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

const DISTINCT_AGGREGATES = new Set(['sum', 'avg', 'min', 'max']);

/**
 * node-sql-parser's PostgreSQL grammar accepts DISTINCT only in COUNT(…). For SUM/AVG/MIN/MAX
 * the keyword is blanked out (offsets stay the user's) and the function start remembered, so
 * the parsed call can be marked DISTINCT afterwards.
 */
function blankDistinctInAggregates(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; at: Set<number> } {
  const at = new Set<number>();
  let out = text;
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [name, open, keyword] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (
      name.kind === 'word' &&
      DISTINCT_AGGREGATES.has(name.text.toLowerCase()) &&
      open.kind === 'symbol' &&
      open.text === '(' &&
      keyword.kind === 'word' &&
      keyword.text.toLowerCase() === 'distinct'
    ) {
      at.add(name.offset);
      out = out.slice(0, keyword.offset) + ' '.repeat(keyword.end - keyword.offset) + out.slice(keyword.end);
    }
  }
  return { text: out, at };
}

function markDistinct(value: unknown, at: ReadonlySet<number>): void {
  if (Array.isArray(value)) {
    for (const v of value) markDistinct(v, at);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as {
    type?: unknown;
    loc?: { start?: { offset?: number } };
    args?: { distinct?: unknown };
  };
  const start = node.loc?.start?.offset;
  if (node.type === 'aggr_func' && start !== undefined && at.has(start) && node.args)
    node.args.distinct = 'DISTINCT';
  for (const [k, v] of Object.entries(node)) if (k !== 'loc') markDistinct(v, at);
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
