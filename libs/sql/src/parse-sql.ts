import pkg from 'node-sql-parser';
import { BindError, ParseError } from '@tributary/common';
import type { AstSelect } from './sql-ast.ts';
import { positionAt, tokenizeSql, type SqlToken } from './sql-lexer.ts';

const { Parser } = pkg;
const parser = new Parser();

/** One parsed statement: the AST plus what the binder needs to point back into the text. */
export interface ParsedStatement {
  readonly sql: string;
  readonly explain: boolean;
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
  if (first?.kind === 'word' && first.text.toLowerCase() === 'explain') {
    // Blank the keyword out rather than cut it, so parser offsets stay those of the user's text.
    explain = true;
    text = sql.slice(0, first.offset) + ' '.repeat(first.end - first.offset) + sql.slice(first.end);
  }
  if (tokens.length === 0 || (explain && tokens.length === 1)) {
    throw new ParseError('empty statement', positionAt(sql, sql.length));
  }
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'postgresql', parseOptions: { includeLocations: true } });
  } catch (error) {
    if (isPegError(error) && error.location)
      throw syntaxError(sql, tokens, error.location.start.offset, error);
    throw new ParseError(
      `syntax error: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      { cause: error },
    );
  }
  const statements = (Array.isArray(ast) ? ast : [ast]).filter((s) => s !== null && s !== undefined);
  if (statements.length > 1) {
    const semicolon = tokens.find((t, i) => t.kind === 'symbol' && t.text === ';' && i < tokens.length - 1);
    throw new ParseError(
      'multiple statements are not supported; send one statement at a time',
      semicolon ? { line: semicolon.line, column: semicolon.column } : undefined,
    );
  }
  const statement = statements[0] as AstSelect | undefined;
  if (!statement) throw new ParseError('empty statement', positionAt(sql, sql.length));
  if (statement.type !== 'select') {
    const at = explain ? tokens[1] : tokens[0];
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      `${String(statement.type).toUpperCase()} statements are not supported; only SELECT is`,
      {
        position: { line: at.line, column: at.column },
      },
    );
  }
  return { sql, explain, ast: statement, tokens };
}
