import { ParseError } from '@tributary/common';
import type { AstOrderBy, AstSelect, AstSetOperation, SetOperator } from './sql-ast.ts';
import type { SqlToken } from './sql-lexer.ts';
import { walkAst } from './walk-ast.ts';

const SET_OPERATORS = new Set(['union', 'intersect', 'except']);
const TAIL_WORDS = new Set(['order', 'limit', 'offset']);
const PLACEHOLDER_TABLE = '__so';

/** Parses the text of one SELECT: `text` is the user's text with everything else blanked out. */
export type ParseText = (text: string) => AstSelect;

/**
 * node-sql-parser reads set operations as a flat chain, without INTERSECT ALL / EXCEPT ALL,
 * without a parenthesized first operand, and takes `a UNION (SELECT …)` for a join. So
 * statements with set operations are split here, over our tokens: every query expression
 * becomes a tree of set operations (INTERSECT binding tighter than UNION and EXCEPT, left
 * to right otherwise) whose leaves are plain SELECTs parsed by the grammar, each from the
 * user's text with everything outside it blanked, so that every offset stays the user's.
 * A set operation nested inside a SELECT (a derived table, a CTE body, an IN or scalar
 * subquery) is replaced for the grammar by a placeholder `SELECT * FROM …` of no greater
 * length, whose parsed node is then swapped for the tree.
 */
export function parseSetOperations(
  sql: string,
  text: string,
  tokens: readonly SqlToken[],
  parseText: ParseText,
): AstSelect {
  return new SetOperationParser(sql, text, tokens, parseText).statement();
}

/** Whether the statement has a set operation anywhere (else the grammar reads it alone). */
export function hasSetOperation(tokens: readonly SqlToken[]): boolean {
  return tokens.some((t) => t.kind === 'word' && SET_OPERATORS.has(t.text.toLowerCase()));
}

class SetOperationParser {
  private readonly close: number[];
  private placeholders = 0;

  constructor(
    private readonly sql: string,
    private readonly text: string,
    private readonly tokens: readonly SqlToken[],
    private readonly parseText: ParseText,
  ) {
    this.close = new Array<number>(tokens.length).fill(-1);
    const open: number[] = [];
    tokens.forEach((t, i) => {
      if (t.kind !== 'symbol') return;
      if (t.text === '(') open.push(i);
      else if (t.text === ')' && open.length > 0) this.close[open.pop()!] = i;
    });
  }

  statement(): AstSelect {
    let hi = this.tokens.length;
    while (hi > 0 && this.isSymbol(hi - 1, ';')) hi--;
    for (let i = 0; i < hi; i++) {
      if (this.isSymbol(i, '(') && this.close[i] > 0) i = this.close[i];
      else if (this.isSymbol(i, ';'))
        throw new ParseError('multiple statements are not supported; send one statement at a time', {
          line: this.tokens[i].line,
          column: this.tokens[i].column,
        });
    }
    return this.queryExpression(0, hi);
  }

  private isSymbol(i: number, s: string): boolean {
    const t = this.tokens[i];
    return t !== undefined && t.kind === 'symbol' && t.text === s;
  }

  private word(i: number): string | undefined {
    const t = this.tokens[i];
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  }

  /** Whether tokens [lo, hi) start a query: SELECT, WITH, or a parenthesized query. */
  private startsQuery(lo: number, hi: number): boolean {
    if (lo >= hi) return false;
    const w = this.word(lo);
    if (w === 'select' || w === 'with') return true;
    return this.isSymbol(lo, '(') && this.close[lo] > lo && this.startsQuery(lo + 1, this.close[lo]);
  }

  /** The set-operation keywords of [lo, hi) outside parentheses. */
  private operatorsAt(lo: number, hi: number): number[] {
    const found: number[] = [];
    for (let i = lo; i < hi; i++) {
      if (this.isSymbol(i, '(') && this.close[i] > i) i = this.close[i];
      else if (SET_OPERATORS.has(this.word(i) ?? '')) found.push(i);
    }
    return found;
  }

  private queryExpression(lo: number, hi: number): AstSelect {
    if (lo >= hi) throw this.syntaxError(lo);
    const ops = this.operatorsAt(lo, hi);
    if (ops.length === 0) {
      if (this.isSymbol(lo, '(') && this.close[lo] === hi - 1) return this.queryExpression(lo + 1, hi - 1);
      return this.select(lo, hi);
    }
    const operands: { lo: number; hi: number }[] = [];
    const operators: { op: SetOperator; all: boolean; byName: boolean; offset: number }[] = [];
    let start = lo;
    for (const at of ops) {
      operands.push({ lo: start, hi: at });
      const next = this.word(at + 1);
      start = next === 'all' || next === 'distinct' ? at + 2 : at + 1;
      // DuckDB's UNION [ALL] BY NAME: columns matched by name, not position.
      const byName =
        this.word(at) === 'union' && this.word(start) === 'by' && this.word(start + 1) === 'name';
      if (byName) start += 2;
      operators.push({
        op: this.word(at) as SetOperator,
        all: next === 'all',
        byName,
        offset: this.tokens[at].offset,
      });
    }
    // ORDER BY / LIMIT / OFFSET after the last operand apply to the whole set operation.
    let tail = hi;
    for (let i = start; i < hi; i++) {
      if (this.isSymbol(i, '(') && this.close[i] > i) i = this.close[i];
      else if (TAIL_WORDS.has(this.word(i) ?? '')) {
        tail = i;
        break;
      }
    }
    operands.push({ lo: start, hi: tail });
    const parsed = operands.map((o) => this.operand(o.lo, o.hi));
    // INTERSECT first, then UNION and EXCEPT from left to right.
    const terms: AstSelect[] = [parsed[0]];
    const termOps: (typeof operators)[number][] = [];
    operators.forEach((o, i) => {
      if (o.op === 'intersect')
        terms[terms.length - 1] = setOperation(o, terms[terms.length - 1], parsed[i + 1]);
      else {
        termOps.push(o);
        terms.push(parsed[i + 1]);
      }
    });
    let tree = terms[0];
    termOps.forEach((o, i) => {
      tree = setOperation(o, tree, terms[i + 1]);
    });
    // WITH before the first operand scopes the whole statement.
    const first = leftmost(tree);
    const withList = first.with;
    if (withList && withList.length > 0) (first as { with?: unknown }).with = null;
    const clauses = tail < hi ? this.tail(tail, hi) : { orderby: null, limit: null };
    return { ...tree, with: withList ?? null, orderby: clauses.orderby, limit: clauses.limit };
  }

  private operand(lo: number, hi: number): AstSelect {
    if (lo >= hi) throw this.syntaxError(lo);
    if (this.isSymbol(lo, '(') && this.close[lo] === hi - 1) return this.queryExpression(lo + 1, hi - 1);
    return this.select(lo, hi);
  }

  /** ORDER BY / LIMIT / OFFSET of a set operation, parsed as those of `SELECT 1`. */
  private tail(lo: number, hi: number): { orderby: readonly AstOrderBy[] | null; limit: AstSelect['limit'] } {
    const from = this.tokens[lo].offset;
    const to = this.tokens[hi - 1].end;
    const prefix = 'select 1';
    let visible = this.blankOutside(from, to);
    // There is always room before the tail: a whole set operation stands there.
    visible = prefix + visible.slice(prefix.length);
    const ast = this.parseText(visible);
    return { orderby: ast.orderby ?? null, limit: ast.limit ?? null };
  }

  /** One SELECT: nested query expressions with set operations become placeholders first. */
  private select(lo: number, hi: number): AstSelect {
    let visible = this.blankOutside(this.tokens[lo].offset, this.tokens[hi - 1].end);
    const nested = new Map<string, AstSelect>();
    for (let i = lo; i < hi; i++) {
      if (!this.isSymbol(i, '(') || this.close[i] <= i + 1) continue;
      const end = this.close[i];
      if (!this.startsQuery(i + 1, end) || this.operatorsAt(i + 1, end).length === 0) continue;
      const name = `${PLACEHOLDER_TABLE}${this.placeholders++}`;
      const placeholder = `select * from ${name}`;
      const from = this.tokens[i].end;
      const to = this.tokens[end].offset;
      if (to - from < placeholder.length) throw this.syntaxError(i + 1);
      nested.set(name, this.queryExpression(i + 1, end));
      visible = visible.slice(0, from) + placeholder.padEnd(to - from) + visible.slice(to);
      i = end;
    }
    const ast = this.parseText(visible);
    if (nested.size > 0) replacePlaceholders(ast, nested);
    return ast;
  }

  /** The text with everything outside [from, to) turned into spaces (line breaks kept). */
  private blankOutside(from: number, to: number): string {
    const blank = (s: string) => s.replace(/[^\n]/g, ' ');
    return blank(this.text.slice(0, from)) + this.text.slice(from, to) + blank(this.text.slice(to));
  }

  private syntaxError(i: number): ParseError {
    const t = this.tokens[Math.min(i, this.tokens.length - 1)];
    if (!t) return new ParseError('syntax error at end of input', undefined);
    const text = t.kind === 'quoted' ? t.text : this.sql.slice(t.offset, t.end);
    return new ParseError(`syntax error at or near "${text}"`, { line: t.line, column: t.column });
  }
}

function setOperation(
  o: { op: SetOperator; all: boolean; byName: boolean; offset: number },
  left: AstSelect,
  right: AstSelect,
): AstSelect {
  const node: AstSetOperation = {
    op: o.op,
    all: o.all,
    offset: o.offset,
    left,
    right,
    ...(o.byName ? { byName: true } : {}),
  };
  return { type: 'select', columns: [], set_operation: node, with: null, orderby: null, limit: null };
}

function leftmost(tree: AstSelect): AstSelect {
  let node = tree;
  while (node.set_operation && !(node.orderby?.length || node.limit?.value?.length))
    node = node.set_operation.left;
  return node;
}

/** Swaps every placeholder SELECT in a parsed AST for the set operation it stands for. */
function replacePlaceholders(ast: unknown, nested: ReadonlyMap<string, AstSelect>): void {
  walkAst(ast, (node) => {
    const from = node.from as { table?: unknown }[] | undefined;
    const table =
      node.type === 'select' && Array.isArray(from) && from.length === 1 ? from[0].table : undefined;
    const replacement = typeof table === 'string' ? nested.get(table) : undefined;
    if (!replacement) return;
    for (const k of Object.keys(node)) delete node[k];
    Object.assign(node, replacement);
    return [];
  });
}
