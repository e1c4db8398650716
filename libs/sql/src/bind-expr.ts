import {
  BindError,
  BIGINT,
  BOOLEAN,
  DOUBLE,
  INTEGER,
  isInteger,
  parseTypeName,
  sameType,
  typeToString,
  DATE,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIME,
  DAY_MICROS,
  VARCHAR,
  type SqlPosition,
} from '@tributary/common';
import { call, literal, type Expr, type ScalarFunctionName } from '@tributary/plan';
import { logicChainOperands } from './balance-logic-chains.ts';
import {
  bindArithmetic,
  bindBitwise,
  bindBitwiseNot,
  bindIntegerDivision,
  bindNegate,
  bindPower,
  type ArithmeticOperator,
  type BitwiseFunction,
} from './bind-arithmetic.ts';
import { GROUP_BY_ALL, ORDER_BY_ALL } from './by-all.ts';
import {
  positionAtOffset,
  findName,
  isQuotedAt,
  positionOfToken,
  type BindContext,
  type TextRange,
} from './bind-context.ts';
import { bindConcatOperator, bindExtract, bindFunction } from './bind-function.ts';
import {
  bindAnyEquals,
  bindListValue,
  bindSlice,
  bindSubscript,
  bindTimestampSeries,
} from './bind-list-function.ts';
import { SLICE } from './subscript-placeholders.ts';
import { integerDivisor } from './integer-division.ts';
import { catalogOid } from './pg-catalog-tables.ts';
import {
  castTo,
  convertString,
  isStringLiteral as isStringLiteralExpr,
  unify,
  unifyComparison,
} from './coerce.ts';
import { addInterval, parseInterval, seriesStep } from './sql-interval.ts';
import { rewriteLikeEscape } from './like-escape.ts';
import type { OuterResolver } from './correlation.ts';
import type { Scope, NamePart } from './scope.ts';
import {
  argList,
  castTypeName,
  castTypeText,
  functionName,
  stringValue,
  type AstArgs,
  type AstNode,
  type AstOrderBy,
  type AstSelect,
} from './sql-ast.ts';
import type { SubqueryJoiner } from './subquery-joiner.ts';
import { AGGREGATE_NAMES, containsAggregate, containsWindow } from './contains-aggregate.ts';
import { numberLiteral } from './sql-literal.ts';
import { firstInRange, tokenIndex } from './token-index.ts';
import { quantifiedComparison } from './quantified-comparison.ts';
import { notDistinct, rowComparison } from './row-comparison.ts';
import { bindWindowCall } from './bind-window-call.ts';
import type { WindowState } from './window-state.ts';
import type { AstWindowCall } from './window-syntax.ts';

const COMPARISONS: Record<string, ScalarFunctionName> = {
  '=': 'eq',
  '<>': 'neq',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
};
/** The values of a row written `(a, b, …)` (two or more), or undefined. */
function rowItems(node: AstNode): AstNode[] | undefined {
  if (node.type !== 'expr_list') return undefined;
  const items = node.value as AstNode[];
  return items.length >= 2 ? items : undefined;
}

/** `IN (SELECT …)`: an IN list whose only item is a subquery. */
function isSubqueryList(node: AstNode): boolean {
  const items = node.type === 'expr_list' ? (node.value as AstNode[]) : [node];
  return items.length === 1 && isSubquery(items[0]);
}

/**
 * Whether a one-column SELECT only filters and computes per row (no set operation, grouping,
 * aggregate, window, DISTINCT or LIMIT): an aggregate of its column can take its place in the
 * select list, at the level its correlated names resolve at.
 */
function isPlainSelect(ast: AstSelect): boolean {
  const select = ast as unknown as Record<string, unknown> & { columns: { expr: AstNode }[] };
  const limit = select.limit as { value?: unknown[] } | null | undefined;
  return (
    !select._next &&
    !select.set_operation &&
    !select.groupby &&
    !select.having &&
    !(select.distinct as { type?: unknown } | null)?.type &&
    !(limit?.value && limit.value.length > 0) &&
    !containsAggregate(select.columns[0].expr) &&
    !containsWindow(select.columns[0].expr)
  );
}

/** `SELECT <columns> FROM (inner) AS alias`, shaped as the grammar parses it. */
function selectFromSubquery(inner: AstSelect, alias: string, columns: readonly unknown[]): AstSelect {
  return {
    with: null,
    type: 'select',
    options: null,
    distinct: null,
    columns,
    from: [{ expr: { ast: inner }, as: alias }],
    where: null,
    groupby: null,
    having: null,
    orderby: null,
    limit: null,
  } as unknown as AstSelect;
}

/** The column name a subquery after ANY or ALL gives its one column. */
const QUANTIFIED_VALUE = '__quantified_value';
/** The column name ARRAY(subquery) gives its subquery's one column. */
const ARRAY_VALUE = '__array_value';
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

const BITWISE: Record<string, BitwiseFunction> = {
  '&': 'bitwise_and',
  '|': 'bitwise_or',
  '<<': 'shift_left',
  '>>': 'shift_right',
};
/** The current date and time (µs), fixed when the statement is bound (UTC, as the executors'). */
const CLOCK_FUNCTIONS: Record<string, (nowMicros: number) => Expr> = {
  current_date: (now) => literal(Math.floor(now / DAY_MICROS), DATE),
  today: (now) => literal(Math.floor(now / DAY_MICROS), DATE),
  current_timestamp: (now) => literal(now, TIMESTAMPTZ),
  now: (now) => literal(now, TIMESTAMPTZ),
  get_current_timestamp: (now) => literal(now, TIMESTAMPTZ),
  transaction_timestamp: (now) => literal(now, TIMESTAMPTZ),
};

/** ARRAY(subquery) of no rows is the empty list (list() of no rows is NULL). */
function emptyWhenNull(list: Expr): Expr {
  return call('coalesce', [list, call('list_value', [], list.type)], list.type);
}

function isSubquery(node: AstNode): boolean {
  return node.ast !== undefined || node.type === 'select';
}

/** `a IS NOT DISTINCT FROM b` (negated: `IS DISTINCT FROM`), never NULL itself. */
function isNotDistinct(a: Expr, b: Expr, negated: boolean): Expr {
  const test = notDistinct(a, b);
  return negated ? call('not', [test], BOOLEAN) : test;
}

/**
 * Binds AST expressions against a scope: names → column indices, types coerced. Subclasses
 * change how aggregates (and grouped expressions) are treated.
 */
export class ExprBinder {
  /** Where window calls are collected; unset in clauses that do not allow them (WHERE, GROUP BY…). */
  windows: WindowState | undefined;

  constructor(
    readonly ctx: BindContext,
    readonly scope: Scope,
    /** The clause being bound, for messages ("WHERE"). */
    readonly clause: string,
    readonly defaultRange?: TextRange,
    /** Where subqueries in this clause's expressions go; without one they are refused. */
    readonly subqueries?: SubqueryJoiner,
  ) {}

  /** How a subquery of this clause resolves the names it does not have itself. */
  outerResolver(): OuterResolver {
    return (parts, position) => this.resolveForSubquery(parts, position);
  }

  /** A column of this clause's query as a subquery inside it sees it. */
  protected resolveForSubquery(parts: readonly NamePart[], position: SqlPosition | undefined): Expr {
    return this.scope.resolve(parts, position);
  }

  private joiner(node: AstNode, range: TextRange | undefined): SubqueryJoiner {
    if (!this.subqueries) throw this.unsupported(`subqueries in ${this.clause} are`, node, range);
    return this.subqueries;
  }

  private subqueryAst(node: AstNode | undefined, owner: AstNode, range: TextRange | undefined): AstSelect {
    const ast = node?.ast ?? (node?.type === 'select' ? (node as unknown as AstSelect) : undefined);
    if (!ast) throw this.unsupported('EXISTS without a subquery is', owner, range);
    return ast;
  }

  bind(node: AstNode, range: TextRange | undefined = this.defaultRange): Expr {
    try {
      return this.withSubscripts(node, this.bindNode(node, range), range);
    } catch (error) {
      throw this.pointAtLiteral(error, range);
    }
  }

  /** `a[i]`, `f(x)[1][2]`, `list(x)[1:3]`: each subscript of the node applied in turn to its value. */
  protected withSubscripts(node: AstNode, value: Expr, range: TextRange | undefined): Expr {
    const subscripts = node.array_index as { index: AstNode }[] | undefined;
    if (!Array.isArray(subscripts) || subscripts.length === 0) return value;
    const here = this.position(node, range);
    const bound = (b: AstNode | null) => (b ? this.bind(b, range) : undefined);
    return subscripts.reduce(
      (list, s) =>
        s.index.type === SLICE
          ? bindSlice(
              list,
              bound(s.index.begin as AstNode | null),
              bound(s.index.end as AstNode | null),
              here,
            )
          : bindSubscript(list, this.bind(s.index, range), here),
      value,
    );
  }

  /** A string literal that does not convert is reported where the literal is written. */
  protected pointAtLiteral(error: unknown, range: TextRange | undefined): unknown {
    const literalText = error instanceof BindError ? error.details?.literal : undefined;
    if (typeof literalText !== 'string' || !(error instanceof BindError) || error.details?.located)
      return error;
    const position = this.literalPosition(literalText, range);
    if (!position) return error;
    return new BindError(error.code, error.message, {
      position,
      details: { ...error.details, located: true },
      cause: error.cause,
    });
  }

  /** A boolean condition (WHERE, ON, HAVING, CASE WHEN…). */
  bindCondition(node: AstNode, range: TextRange | undefined = this.defaultRange): Expr {
    return this.requireBoolean(this.bind(node, range), this.position(node, range));
  }

  /** Where a node is written: its own location, else its first token found in `range`, else the range's start. */
  position(node: AstNode | undefined, range: TextRange | undefined): SqlPosition | undefined {
    if (node?.loc) return { line: node.loc.start.line, column: node.loc.start.column };
    const found = node ? this.findToken(node, range) : undefined;
    if (found) return found;
    return range ? positionAtOffset(this.ctx, range.start) : undefined;
  }

  private findToken(node: AstNode, range: TextRange | undefined): SqlPosition | undefined {
    const tokens = this.ctx.tokens;
    const index = tokenIndex(tokens);
    const at = (i: number | undefined): SqlPosition | undefined =>
      i === undefined ? undefined : { line: tokens[i].line, column: tokens[i].column };
    switch (node.type) {
      case 'column_ref':
        return typeof node.column === 'object' ? this.columnParts(node, range).position : undefined;
      case 'function':
      case 'aggr_func':
      case 'window_func':
        return positionOfToken(
          this.ctx,
          findName(this.ctx, [node.type === 'function' ? functionName(node) : String(node.name)], range),
        );
      case 'number':
      case 'bigint':
        return at(firstInRange(tokens, index.numbersByValue.get(Number(node.value)), range));
      case GROUP_BY_ALL:
      case ORDER_BY_ALL:
        return positionOfToken(this.ctx, findName(this.ctx, ['all'], range));
      case 'single_quote_string':
        return this.literalPosition(stringValue(node), range);
      case 'case':
        return at(
          firstInRange(tokens, index.byLowerText.get('case'), range, (i) => tokens[i].kind === 'word'),
        );
      default: {
        if (!isSubquery(node)) return undefined;
        // The `(` just before a SELECT keyword.
        const select = firstInRange(
          tokens,
          index.byLowerText.get('select'),
          range && { start: range.start + 1, end: Infinity },
          (i) =>
            tokens[i - 1]?.text === '(' &&
            (!range || (tokens[i - 1].offset >= range.start && tokens[i - 1].offset < range.end)),
        );
        return at(select === undefined ? undefined : select - 1);
      }
    }
  }

  protected rangeOf(node: AstNode, range: TextRange | undefined): TextRange | undefined {
    return node.loc ? { start: node.loc.start.offset, end: node.loc.end.offset } : range;
  }

  requireBoolean(expr: Expr, position: SqlPosition | undefined): Expr {
    if (expr.type.kind === 'BOOLEAN') return expr;
    if (expr.kind === 'literal' && expr.value === null) return literal(null, BOOLEAN);
    throw new BindError(
      'TYPE_MISMATCH',
      `${this.clause} condition must be BOOLEAN, not ${typeToString(expr.type)}`,
      { position },
    );
  }

  /** LIKE ... ESCAPE: the plan's LIKE has no escape, so the pattern is restated without one. */
  private bindEscapedLike(
    value: Expr,
    pattern: Expr,
    escapeNode: AstNode,
    negated: boolean,
    caseInsensitive: boolean,
    node: AstNode,
    range: TextRange | undefined,
  ): Expr {
    const escape = this.bind(escapeNode, range);
    if (!isStringLiteralExpr(pattern) || !isStringLiteralExpr(escape))
      throw this.unsupported('LIKE ... ESCAPE with a non-literal pattern is', node, range);
    if (escape.value.length !== 1)
      throw new BindError('INVALID_ARGUMENT', 'the ESCAPE clause of LIKE must be a single character', {
        position: this.position(node, range),
      });
    const rewritten = rewriteLikeEscape(pattern.value, escape.value);
    if (!rewritten) throw this.unsupported('this LIKE ... ESCAPE pattern is', node, range);
    if (rewritten.kind === 'pattern') {
      const plain = literal(rewritten.pattern, VARCHAR);
      return { kind: 'like', expr: value, pattern: plain, negated, caseInsensitive, type: BOOLEAN };
    }
    const fold = (e: Expr): Expr => (caseInsensitive ? call('lower', [e], VARCHAR) : e);
    const text = literal(caseInsensitive ? rewritten.text.toLowerCase() : rewritten.text, VARCHAR);
    const test =
      rewritten.kind === 'equals'
        ? call('eq', [fold(value), text], BOOLEAN)
        : call(rewritten.kind, [fold(value), text], BOOLEAN);
    return negated ? call('not', [test], BOOLEAN) : test;
  }

  protected unsupported(feature: string, node: AstNode | undefined, range: TextRange | undefined): BindError {
    return new BindError('UNSUPPORTED_FEATURE', `${feature} not supported yet`, {
      position: this.position(node, range),
      details: { feature: feature.replace(/ (is|are)$/, '') },
    });
  }

  /** Aggregates are only valid where an AggregateBinder is used. */
  protected bindAggregate(node: AstNode, range: TextRange | undefined): Expr {
    const name = node.type === 'aggr_func' ? String(node.name) : functionName(node);
    const at = findName(this.ctx, [name], range);
    throw new BindError(
      'INVALID_AGGREGATE',
      `aggregate function ${name.toLowerCase()}() is not allowed in ${this.clause}`,
      {
        position: positionOfToken(this.ctx, at) ?? this.position(node, range),
      },
    );
  }

  /** The parts of a column reference with their quoting, and the token where it is written. */
  columnParts(
    node: AstNode,
    range: TextRange | undefined,
  ): { parts: NamePart[]; position: SqlPosition | undefined } {
    const texts: string[] = [];
    for (const key of ['db', 'schema'] as const) {
      const v = node[key];
      if (typeof v === 'string' && v !== '') texts.push(v);
    }
    const table = node.table;
    if (typeof table === 'string' && table !== '') texts.push(table);
    else if (table && typeof table === 'object' && typeof (table as AstNode).value === 'string')
      texts.push(String((table as AstNode).value));
    const col = node.column;
    let columnQuoted = false;
    if (typeof col === 'string') texts.push(col);
    else if (col && typeof col === 'object') {
      const inner = (col as AstNode).expr;
      texts.push(String(inner?.value ?? (col as AstNode).value));
      columnQuoted = inner?.type === 'double_quote_string';
    }
    const at = findName(
      this.ctx,
      texts.filter((t) => t !== '*'),
      range,
    );
    const parts = texts.map((text, i) => ({
      text,
      quoted:
        i === texts.length - 1 ? columnQuoted || isQuotedAt(this.ctx, at, i) : isQuotedAt(this.ctx, at, i),
    }));
    return { parts, position: positionOfToken(this.ctx, at) ?? this.position(undefined, range) };
  }

  protected bindNode(node: AstNode, range: TextRange | undefined): Expr {
    const value = this.bindLiteral(node, range);
    if (value) return value;
    if (isSubquery(node)) {
      const ast = this.subqueryAst(node, node, range);
      return this.joiner(node, range).scalar(ast, this.outerResolver(), this.position(node, range));
    }
    const inner = this.rangeOf(node, range);
    const here = this.position(node, range);
    switch (node.type) {
      case 'column_ref': {
        const { parts, position } = this.columnParts(node, range);
        if (parts[parts.length - 1].text === '*')
          throw new BindError('UNSUPPORTED_FEATURE', '* is only allowed in the select list and count(*)', {
            position,
          });
        return this.scope.resolve(parts, position);
      }
      case 'binary_expr':
        return this.bindBinary(node, inner);
      case 'unary_expr':
        return this.bindUnary(node, inner);
      case 'aggr_func':
        return this.bindAggregate(node, inner);
      case 'function':
        return this.bindCall(node, inner);
      case 'cast':
        return this.bindCast(node, inner);
      case 'extract': {
        const args = node.args as AstArgs;
        // `EXTRACT(hour FROM TIME '…')`: the grammar keeps the literal's type apart.
        const source = this.bind(args.source as AstNode, inner);
        const literalType = args.cast_type ? parseTypeName(String(args.cast_type)) : undefined;
        return bindExtract(
          String(args.field),
          literalType ? castTo(source, literalType, here) : source,
          here,
        );
      }
      case 'case':
        return this.bindCase(node, inner);
      case 'window_call':
        if (!this.windows)
          throw new BindError('INVALID_WINDOW', `window functions are not allowed in ${this.clause}`, {
            position: this.position((node as unknown as AstWindowCall).call, range),
          });
        return bindWindowCall(this, node as unknown as AstWindowCall, inner, this.windows);
      case 'window_func':
        throw new BindError('UNSUPPORTED_FEATURE', 'window functions are not supported yet', {
          position: positionOfToken(this.ctx, findName(this.ctx, [String(node.name)], range)) ?? here,
          details: { feature: 'window functions' },
        });
      case 'interval':
        throw this.unsupported('INTERVAL values outside date arithmetic are', node, range);
      case 'array': {
        // `ARRAY[]` has no list of items at all.
        const listed = (node.expr_list as AstNode | undefined)?.value;
        const items = (Array.isArray(listed) ? listed : []) as AstNode[];
        return bindListValue(
          items.map((i) => this.bind(i, inner)),
          here,
        );
      }
      case 'expr_list': {
        const list = node.value as AstNode[];
        if (list.length === 1) return this.bind(list[0], inner);
        throw this.unsupported('row values are', node, range);
      }
      default:
        throw this.unsupported(`expressions of kind "${String(node.type)}" are`, node, range);
    }
  }

  /**
   * A literal node's value, or undefined for other nodes. Its position is only looked up when
   * it is wrong: a 100,000-item IN list would otherwise search the tokens 100,000 times.
   */
  private bindLiteral(node: AstNode, range: TextRange | undefined): Expr | undefined {
    switch (node.type) {
      case 'number':
      case 'bigint':
        try {
          return numberLiteral(node.value, undefined);
        } catch (error) {
          if (!(error instanceof BindError)) throw error;
          throw new BindError(error.code, error.message, {
            position: this.position(node, range),
            cause: error,
          });
        }
      case 'single_quote_string':
      case 'string':
      case 'natural_string':
      case 'regex_string':
      case 'hex_string':
      case 'full_hex_string':
      case 'bit_string':
        return literal(stringValue(node), VARCHAR);
      case 'bool':
        return literal(Boolean(node.value), BOOLEAN);
      case 'null':
        return literal(null, { kind: 'NULL' });
      case 'date':
      case 'time':
      case 'timestamp':
      case 'datetime': {
        const text = stringValue(node);
        const type = node.type === 'date' ? DATE : node.type === 'time' ? TIME : TIMESTAMP;
        const value = convertString(text, type);
        if (value === undefined) {
          throw new BindError('TYPE_MISMATCH', `invalid ${typeToString(type)} literal '${text}'`, {
            position: this.literalPosition(text, range) ?? this.position(node, range),
          });
        }
        return literal(value, type);
      }
      default:
        return undefined;
    }
  }

  protected literalPosition(text: string, range: TextRange | undefined): SqlPosition | undefined {
    const tokens = this.ctx.tokens;
    const i = firstInRange(tokens, tokenIndex(tokens).stringsByText.get(text), range);
    return i === undefined ? undefined : { line: tokens[i].line, column: tokens[i].column };
  }

  private bindBinary(node: AstNode, range: TextRange | undefined): Expr {
    const op = String(node.operator).toUpperCase().replace(/\s+/g, ' ');
    const here = this.position(node, range);
    const leftNode = node.left as AstNode;
    const rightNode = node.right as AstNode;
    if (op === 'AND' || op === 'OR') {
      // One n-ary call for a whole chain: a AND b AND c → and(a, b, c), however it nests.
      const fn = op === 'AND' ? 'and' : 'or';
      const operands = logicChainOperands(node, op).flatMap((o) => {
        const bound = this.bindCondition(o, range);
        // A bound operand that is itself an AND (BETWEEN) joins the conjunction; OR likewise.
        return bound.kind === 'call' && bound.fn === fn ? bound.args : [bound];
      });
      return call(fn, operands, BOOLEAN);
    }
    // `x -> x + 1` reaches here as the JSON operator: a lambda (a key would be a literal).
    const lambdaParameters = leftNode.type === 'column_ref' || leftNode.type === 'expr_list';
    if (
      op === '->' &&
      lambdaParameters &&
      rightNode.type !== 'single_quote_string' &&
      rightNode.type !== 'number'
    )
      throw new BindError('UNSUPPORTED_FEATURE', 'lambda functions (x -> …) are not supported yet', {
        position: here,
        details: { feature: 'lambda' },
      });
    if (ARITHMETIC.has(op) && (rightNode.type === 'interval' || leftNode.type === 'interval'))
      return this.bindInterval(op, leftNode, rightNode, range);
    const quantifier = rightNode.type === 'function' ? functionName(rightNode).toLowerCase() : '';
    if (
      (op === '=' && (quantifier === 'any' || quantifier === 'some')) ||
      ((op === '<>' || op === '!=') && quantifier === 'all')
    ) {
      // `x = ANY(array)` (a subquery: IN), `x <> ALL(…)` its negation.
      const [arg] = argList(rightNode);
      const value = this.bind(leftNode, range);
      const test =
        arg !== undefined && isSubquery(arg)
          ? this.joiner(node, range).in(
              [value],
              this.subqueryAst(arg, node, range),
              this.outerResolver(),
              here,
            )
          : bindAnyEquals(value, this.bind(arg, range), here);
      return op === '=' ? test : call('not', [test], BOOLEAN);
    }
    if (COMPARISONS[op] && (quantifier === 'any' || quantifier === 'some' || quantifier === 'all')) {
      const [arg] = argList(rightNode);
      if (arg !== undefined && isSubquery(arg))
        return this.bindQuantified(op, quantifier === 'all', leftNode, arg, node, range);
    }
    const row = rowItems(leftNode);
    if (row && (COMPARISONS[op] || ((op === 'IN' || op === 'NOT IN') && !isSubqueryList(rightNode))))
      return this.bindRowComparison(op, row, rightNode, range);
    if (op === 'IN' || op === 'NOT IN') {
      const items = rightNode.type === 'expr_list' ? (rightNode.value as AstNode[]) : [rightNode];
      if (items.length === 1 && isSubquery(items[0])) {
        const ast = this.subqueryAst(items[0], node, range);
        const valueNodes = leftNode.type === 'expr_list' ? (leftNode.value as AstNode[]) : [leftNode];
        const bound = valueNodes.map((v) => this.bind(v, range));
        const test = this.joiner(node, range).in(bound, ast, this.outerResolver(), here);
        return op === 'NOT IN' ? call('not', [test], BOOLEAN) : test;
      }
      if (items.some(isSubquery))
        throw this.unsupported('IN with a subquery among other values is', node, range);
      const unified = unify(
        [this.bind(leftNode, range), ...items.map((i) => this.bind(i, range))],
        'IN list',
        here,
      );
      return {
        kind: 'in-list',
        expr: unified.exprs[0],
        list: unified.exprs.slice(1),
        negated: op === 'NOT IN',
        type: BOOLEAN,
      };
    }
    if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
      const [lowNode, highNode] = rightNode.value as AstNode[];
      const value = this.bind(leftNode, range);
      const [a, low] = unifyComparison(value, this.bind(lowNode, range), here);
      const [b, high] = unifyComparison(value, this.bind(highNode, range), here);
      if (op === 'BETWEEN')
        return call('and', [call('gte', [a, low], BOOLEAN), call('lte', [b, high], BOOLEAN)], BOOLEAN);
      return call('or', [call('lt', [a, low], BOOLEAN), call('gt', [b, high], BOOLEAN)], BOOLEAN);
    }
    if (op === 'IS' || op === 'IS NOT') {
      const value = this.bind(leftNode, range);
      const negated = op === 'IS NOT';
      if (rightNode.type === 'null') return { kind: 'is-null', expr: value, negated, type: BOOLEAN };
      if (rightNode.type === 'bool') {
        // x IS TRUE never yields NULL: coalesce(x, false); IS FALSE likewise on NOT x.
        const cond = this.requireBoolean(value, here);
        const test = call(
          'coalesce',
          [rightNode.value ? cond : call('not', [cond], BOOLEAN), literal(false, BOOLEAN)],
          BOOLEAN,
        );
        return negated ? call('not', [test], BOOLEAN) : test;
      }
      // `a IS [NOT] b` is what the parse makes of `a IS [NOT] DISTINCT FROM b` (is-distinct-from.ts).
      const [a, b] = unifyComparison(value, this.bind(rightNode, range), here);
      return isNotDistinct(a, b, negated);
    }
    if (op === '~' || op === '!~') {
      // DuckDB's reading of the regular-expression operators: the pattern must match the whole
      // text (regexp_full_match). Postgres matches anywhere; its clients' catalog queries anchor
      // their patterns (psql's '^(name)$'), where the two agree.
      const test = bindFunction(
        'regexp_full_match',
        [this.bind(leftNode, range), this.bind(rightNode, range)],
        here,
      );
      return op.startsWith('!') ? call('not', [test], BOOLEAN) : test;
    }
    if (op === '~*' || op === '!~*') {
      // DuckDB has no case-insensitive regular-expression operator; Postgres' (the only reading
      // of it) matches anywhere in the text, ignoring case: regexp_matches with option 'i'.
      const test = bindFunction(
        'regexp_matches',
        [this.bind(leftNode, range), this.bind(rightNode, range), literal('i', VARCHAR)],
        here,
      );
      return op.startsWith('!') ? call('not', [test], BOOLEAN) : test;
    }
    if (op === 'SIMILAR TO' || op === 'NOT SIMILAR TO') {
      // DuckDB reads the pattern as a regular expression that must match the whole text.
      const test = bindFunction(
        'regexp_full_match',
        [this.bind(leftNode, range), this.bind(rightNode, range)],
        here,
      );
      return op === 'NOT SIMILAR TO' ? call('not', [test], BOOLEAN) : test;
    }
    if (op === 'LIKE' || op === 'NOT LIKE' || op === 'ILIKE' || op === 'NOT ILIKE') {
      const value = castTo(this.bind(leftNode, range), VARCHAR, here);
      const pattern = castTo(this.bind(rightNode, range), VARCHAR, here);
      for (const side of [value, pattern]) {
        if (side.type.kind !== 'VARCHAR')
          throw new BindError(
            'TYPE_MISMATCH',
            `${op} needs VARCHAR operands, not ${typeToString(side.type)}`,
            { position: here },
          );
      }
      const negated = op.startsWith('NOT');
      const caseInsensitive = op.endsWith('ILIKE');
      const escape = (rightNode as { escape?: { value?: AstNode } }).escape?.value;
      if (escape) return this.bindEscapedLike(value, pattern, escape, negated, caseInsensitive, node, range);
      return { kind: 'like', expr: value, pattern, negated, caseInsensitive, type: BOOLEAN };
    }
    const divisor = op === '/' ? integerDivisor(rightNode) : undefined;
    if (divisor) return bindIntegerDivision(this.bind(leftNode, range), this.bind(divisor, range), here);
    const left = this.bind(leftNode, range);
    const right = this.bind(rightNode, range);
    const comparison = COMPARISONS[op];
    if (comparison) return call(comparison, unifyComparison(left, right, here), BOOLEAN);
    if (ARITHMETIC.has(op)) return bindArithmetic(op as ArithmeticOperator, left, right, here);
    if (op === '||') return bindConcatOperator(left, right);
    if (BITWISE[op]) return bindBitwise(BITWISE[op], left, right, here);
    if (op === '^' || op === '**') return bindPower(op, left, right, here);
    throw this.unsupported(`operator ${op} is`, node, range);
  }

  /** `(a, b) op (x, y)` and `(a, b) [NOT] IN ((x, y), …)`: see row-comparison.ts. */
  private bindRowComparison(
    op: string,
    row: AstNode[],
    rightNode: AstNode,
    range: TextRange | undefined,
  ): Expr {
    const here = this.position(rightNode, range);
    const left = row.map((n) => this.bind(n, range));
    const compare = (rightRow: AstNode, cmp: string): Expr => {
      const items = rowItems(rightRow);
      if (!items || items.length !== left.length)
        throw new BindError(
          'TYPE_MISMATCH',
          `a row of ${left.length} values compared with ${items ? `one of ${items.length}` : 'a single value'}`,
          { position: this.position(rightRow, range) },
        );
      return rowComparison(
        cmp,
        items.map((n, i) => unifyComparison(left[i], this.bind(n, range), here)),
      );
    };
    if (op !== 'IN' && op !== 'NOT IN') return compare(rightNode, op);
    const rows = rightNode.type === 'expr_list' ? (rightNode.value as AstNode[]) : [rightNode];
    const any = call(
      'or',
      rows.map((r) => compare(r, '=')),
      BOOLEAN,
    );
    return op === 'IN' ? any : call('not', [any], BOOLEAN);
  }

  /**
   * `x op ANY (subquery)` and `x op ALL (subquery)` beyond `= ANY` and `<> ALL` (IN and NOT
   * IN), from the subquery's count(*), count, min and max, each a scalar subquery (see
   * quantified-comparison.ts).
   */
  private bindQuantified(
    op: string,
    all: boolean,
    leftNode: AstNode,
    arg: AstNode,
    node: AstNode,
    range: TextRange | undefined,
  ): Expr {
    const inner = this.subqueryAst(arg, node, range);
    const position = this.position(arg, range);
    // A set operation's columns are named by its leftmost SELECT.
    let leaf = inner;
    while (leaf.set_operation) leaf = leaf.set_operation.left;
    const columns = (leaf as unknown as { columns?: { as?: unknown }[] }).columns;
    if (!Array.isArray(columns) || columns.length !== 1)
      throw new BindError(
        'SUBQUERY_COLUMNS',
        `a subquery after ${all ? 'ALL' : 'ANY'} must return one column`,
        {
          position,
        },
      );
    // A plain subquery aggregates its own column, where a correlated one keeps its outer names;
    // any other is aggregated as a derived table.
    const plain = isPlainSelect(inner);
    if (!plain) columns[0].as = QUANTIFIED_VALUE;
    const value = plain
      ? (columns[0] as { expr: AstNode }).expr
      : { type: 'column_ref', table: null, column: QUANTIFIED_VALUE };
    const over = (name: string, argument: unknown): Expr => {
      const aggregate = [
        { expr: { type: 'aggr_func', name, args: { expr: structuredClone(argument) } }, as: null },
      ];
      // Each aggregate binds the subquery anew: a copy, as binding may rewrite its AST.
      const ast = plain
        ? { ...structuredClone(inner), columns: aggregate, orderby: null }
        : selectFromSubquery(structuredClone(inner), QUANTIFIED_VALUE, aggregate);
      return this.joiner(node, range).scalar(ast as unknown as AstSelect, this.outerResolver(), position);
    };
    const x = this.bind(leftNode, range);
    return quantifiedComparison(
      COMPARISONS[op],
      all,
      x,
      {
        rows: over('COUNT', { type: 'star', value: '*' }),
        values: over('COUNT', value),
        min: () => over('MIN', value),
        max: () => over('MAX', value),
      },
      (fn, bound) => call(fn, unifyComparison(x, bound, position), BOOLEAN),
    );
  }

  private bindInterval(
    op: string,
    leftNode: AstNode,
    rightNode: AstNode,
    range: TextRange | undefined,
  ): Expr {
    const intervalOnRight = rightNode.type === 'interval';
    const intervalNode = intervalOnRight ? rightNode : leftNode;
    if (
      (op !== '+' && op !== '-') ||
      (!intervalOnRight && op === '-') ||
      (intervalOnRight && leftNode.type === 'interval')
    ) {
      throw this.unsupported(`INTERVAL arithmetic with ${op} is`, intervalNode, range);
    }
    const interval = parseInterval(intervalNode);
    if (!interval) throw this.unsupported('this INTERVAL is', intervalNode, range);
    const base = this.bind(intervalOnRight ? leftNode : rightNode, range);
    return addInterval(base, interval, op === '-' ? -1 : 1, this.position(leftNode, range));
  }

  private bindUnary(node: AstNode, range: TextRange | undefined): Expr {
    const op = String(node.operator).toUpperCase().replace(/\s+/g, ' ');
    if (op === 'NOT EXISTS') {
      const ast = this.subqueryAst(node.expr as AstNode, node, range);
      const position = this.position(node.expr as AstNode, range);
      return call('not', [this.joiner(node, range).exists(ast, this.outerResolver(), position)], BOOLEAN);
    }
    const operand = this.bind(node.expr as AstNode, range);
    const here = this.position(node, range);
    if (op === 'NOT') return call('not', [this.requireBoolean(operand, here)], BOOLEAN);
    if (op === '-') {
      // A negative number as written is one literal, typed again as DuckDB types it
      // (-2147483648 BIGINT, -9223372036854775808 BIGINT, not HUGEINT); -CAST(…) is negation.
      const written = (node.expr as AstNode).type === 'number' || (node.expr as AstNode).type === 'bigint';
      if (written && operand.kind === 'literal' && operand.value !== null) {
        if (isInteger(operand.type))
          return numberLiteral(String(-BigInt(operand.value as number | string)), here);
        if (typeof operand.value === 'number') return literal(-operand.value, operand.type);
        if (typeof operand.value === 'string')
          return literal(
            operand.value.startsWith('-') ? operand.value.slice(1) : `-${operand.value}`,
            operand.type,
          );
      }
      return bindNegate(operand, here);
    }
    if (op === '+') return operand;
    if (op === '~') return bindBitwiseNot(operand, here);
    throw this.unsupported(`unary operator ${op} is`, node, range);
  }

  private bindCall(node: AstNode, range: TextRange | undefined): Expr {
    const name = functionName(node);
    const lower = name.toLowerCase();
    if (AGGREGATE_NAMES.has(lower)) return this.bindAggregate(node, range);
    if (node.over) throw this.unsupported('window functions are', node, range);
    const argNodes = argList(node);
    if (lower === 'exists') {
      const ast = this.subqueryAst(argNodes[0], node, range);
      return this.joiner(node, range).exists(ast, this.outerResolver(), this.position(argNodes[0], range));
    }
    const at = findName(this.ctx, [name], range);
    const position = positionOfToken(this.ctx, at) ?? this.position(node, range);
    // Expanded before binding where it may stand (columns-expression.ts); anywhere else it cannot.
    if (lower === 'columns')
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'COLUMNS(…) is supported in the select list and in WHERE only',
        {
          position,
        },
      );
    if (lower.replace(/^"?pg_catalog"?\./, '') === 'pg_get_viewdef' && argNodes.length >= 1)
      return this.bindViewDefinition(this.bind(argNodes[0], range));
    if (lower === 'regclass' && argNodes.length === 1 && argNodes[0].type === 'single_quote_string')
      return this.bindRegclass(stringValue(argNodes[0]), position);
    if (lower === 'array' && argNodes.length === 1 && isSubquery(argNodes[0]))
      return this.bindArraySubquery(argNodes[0], node, range);
    if (lower === 'not' && argNodes.length === 1) {
      // `NOT (x)` reaches us as a call of a function named "not".
      return call('not', [this.bindCondition(argNodes[0], range)], BOOLEAN);
    }
    const step = seriesStep(lower, argNodes);
    if (step) {
      const ends = argNodes.slice(0, 2).map((a) => this.bind(a, range));
      return bindTimestampSeries(lower, ends, step, position);
    }
    // date_add(d, INTERVAL …) is d + INTERVAL …, as in DuckDB.
    if (lower === 'date_add' && argNodes.length === 2 && argNodes[1].type === 'interval')
      return this.bindInterval('+', argNodes[0], argNodes[1], range);
    const clock = CLOCK_FUNCTIONS[lower];
    if (clock && argNodes.length === 0) {
      const statement = this.ctx.statement;
      statement.volatile = true;
      // To the microsecond, as DuckDB's clock.
      statement.nowMicros ??= Math.round((performance.timeOrigin + performance.now()) * 1000);
      return clock(statement.nowMicros);
    }
    if (lower === 'random' && argNodes.length === 0) {
      // A new value per row and per call (random() + random() adds two), drawn where the row is computed.
      const statement = this.ctx.statement;
      statement.volatile = true;
      statement.randomCalls = (statement.randomCalls ?? 0) + 1;
      return call('random', [literal(statement.randomCalls, INTEGER)], DOUBLE);
    }
    if (lower === 'try_cast' && argNodes.length === 2 && argNodes[1].type === 'single_quote_string')
      return this.bindCastTo(
        argNodes[0],
        String(argNodes[1].value),
        String(argNodes[1].value),
        node,
        range,
        true,
      );
    if (lower === 'position') {
      // POSITION(needle IN haystack) arrives as [needle, 'in', haystack].
      const parts = argNodes.filter((a) => !(a.type === 'origin' && String(a.value).toLowerCase() === 'in'));
      const [needle, haystack] = parts.map((a) => this.bind(a, range));
      return bindFunction('strpos', [haystack, needle], position);
    }
    if (lower === 'trim' && argNodes.some((a) => a.type === 'origin')) {
      // TRIM([BOTH|LEADING|TRAILING] [chars] FROM s) arrives as keywords mixed with the operands.
      const word = (a: AstNode): string => (a.type === 'origin' ? String(a.value).toLowerCase() : '');
      const side = word(argNodes[0]);
      const rest = ['both', 'leading', 'trailing'].includes(side) ? argNodes.slice(1) : argNodes;
      const from = rest.findIndex((a) => word(a) === 'from');
      const operands = from >= 0 ? [rest[from + 1], ...rest.slice(0, from)] : rest;
      if (operands.some((a) => a === undefined || a.type === 'origin'))
        throw this.unsupported('this form of TRIM is', node, range);
      const fn = side === 'leading' ? 'ltrim' : side === 'trailing' ? 'rtrim' : 'trim';
      return bindFunction(
        fn,
        operands.map((a) => this.bind(a, range)),
        position,
      );
    }
    return bindFunction(
      name,
      argNodes.map((a) => this.bind(a, range)),
      position,
    );
  }

  /** pg_get_viewdef(oid): the SQL a view was created with (psql's \d+ of a view), NULL for other OIDs. */
  private bindViewDefinition(oid: Expr): Expr {
    const views = this.ctx.catalog.listing().views();
    if (views.length === 0) return literal(null, VARCHAR);
    const id = castTo(oid, BIGINT);
    return {
      kind: 'case',
      whens: views.map((v) => ({
        when: call(
          'eq',
          [
            id,
            literal(
              catalogOid('class', `${v.path.slice(0, -1).join('.')}.${v.path[v.path.length - 1]}`),
              BIGINT,
            ),
          ],
          BOOLEAN,
        ),
        then: literal(v.sql, VARCHAR),
      })),
      otherwise: literal(null, VARCHAR),
      type: VARCHAR,
    };
  }

  /**
   * An unqualified `'name'::regclass` (postgres-syntax.ts makes it `regclass('name')`): the OID
   * of the table of that name along the search path after pg_catalog: the sources' tables, in
   * the catalog's order. A name no table has is Postgres' "relation does not exist".
   */
  private bindRegclass(name: string, position: SqlPosition | undefined): Expr {
    const bare = name.replace(/^"(.*)"$/, '$1');
    const [table] = this.ctx.catalog.findTables(bare);
    if (!table) throw new BindError('TABLE_NOT_FOUND', `relation "${bare}" does not exist`, { position });
    return literal(catalogOid('class', `${table.source}.${table.table}`), INTEGER);
  }

  /**
   * `ARRAY(subquery)`: every value of the subquery's one column, in its order, as one list. A
   * plain SELECT becomes `SELECT list(v ORDER BY its ORDER BY) …` (correlated ones too); any
   * other the scalar subquery `SELECT list(v) FROM (subquery)`.
   */
  private bindArraySubquery(arg: AstNode, node: AstNode, range: TextRange | undefined): Expr {
    const inner = this.subqueryAst(arg, node, range);
    const select = inner as unknown as Record<string, unknown> & {
      columns?: { expr: AstNode; as?: unknown }[];
    };
    const columns = select.columns;
    if (!Array.isArray(columns) || columns.length !== 1)
      throw new BindError('SUBQUERY_COLUMNS', 'ARRAY(subquery) needs a subquery of one column', {
        position: this.position(node, range),
      });
    if (isPlainSelect(inner)) {
      const value = columns[0].expr;
      const order = ((select.orderby ?? []) as AstOrderBy[]).map((o) =>
        // ORDER BY 1 names the one column.
        o.expr.type === 'number' && Number(o.expr.value) === 1 ? { ...o, expr: value } : o,
      );
      const rewritten = {
        ...select,
        columns: [
          { expr: { type: 'aggr_func', name: 'LIST', args: { expr: value, orderby: order } }, as: null },
        ],
        orderby: null,
      } as unknown as AstSelect;
      return emptyWhenNull(
        this.joiner(node, range).scalar(rewritten, this.outerResolver(), this.position(arg, range)),
      );
    }
    columns[0].as = ARRAY_VALUE;
    const column = { type: 'column_ref', table: null, column: ARRAY_VALUE };
    const outer = selectFromSubquery(inner, ARRAY_VALUE, [
      { expr: { type: 'aggr_func', name: 'LIST', args: { expr: column } }, as: null },
    ]);
    const position = this.position(arg, range);
    return emptyWhenNull(this.joiner(node, range).scalar(outer, this.outerResolver(), position));
  }

  private bindCast(node: AstNode, range: TextRange | undefined): Expr {
    const targets = (node.target ?? []) as AstNode['target'] & unknown[];
    const named = (target: (typeof targets)[number] | undefined) => {
      const dataType = castTypeName(target);
      const text = castTypeText(target);
      // `::int2[]`, `::text[][]`: node-sql-parser keeps the brackets apart, as a dimension.
      const dimensions = Number(
        (target as { array?: { dimension?: number } } | undefined)?.array?.dimension ?? 0,
      );
      return { text: text + '[]'.repeat(dimensions), dataType: dataType + '[]'.repeat(dimensions) };
    };
    const first = named(targets[0]);
    const isRegtype = (t: { dataType: string }) => t.dataType.toUpperCase() === 'REGTYPE';
    const operand = node.expr as AstNode;
    // Postgres' regtype: a type's OID, read from its name and written as it (format_type).
    const asText = /^(TEXT|VARCHAR|NAME)$/i.test(first.dataType);
    const innerTargets = operand.type === 'cast' ? ((operand.target ?? []) as typeof targets) : [];
    let expr =
      isRegtype(first) && operand.type === 'single_quote_string'
        ? bindFunction('to_regtype', [this.bind(operand, range)], this.position(node, range))
        : asText && innerTargets.length > 0 && isRegtype(named(innerTargets[innerTargets.length - 1]))
          ? bindFunction('format_type', [this.bind(operand, range)], this.position(node, range))
          : this.bindCastTo(operand, first.text, first.dataType, node, range, false);
    // `x::a::b` is one node with a target per cast, applied in turn.
    for (const [k, target] of targets.slice(1).entries()) {
      const { text, dataType } = named(target);
      if (isRegtype(named(targets[k])) && /^(TEXT|VARCHAR|NAME)$/i.test(dataType)) {
        expr = bindFunction('format_type', [expr], this.position(node, range));
        continue;
      }
      const type = parseTypeName(text) ?? parseTypeName(dataType.replace(/PRECISION$/i, '').trim());
      if (!type)
        throw new BindError('UNKNOWN_TYPE', `type "${text}" is not supported`, {
          position: this.position(node, range),
        });
      expr = castTo(expr, type, this.position(node, range));
    }
    return expr;
  }

  /** CAST or TRY_CAST of `operand` to the type named `text`. */
  private bindCastTo(
    operand: AstNode,
    text: string,
    dataType: string,
    node: AstNode,
    range: TextRange | undefined,
    tryCast: boolean,
  ): Expr {
    const here = this.position(node, range);
    const type = parseTypeName(text) ?? parseTypeName(dataType.replace(/PRECISION$/i, '').trim());
    if (!type)
      throw new BindError('UNKNOWN_TYPE', `type "${text}" is not supported`, {
        position: positionOfToken(this.ctx, findName(this.ctx, [dataType.split(' ')[0]], range)) ?? here,
      });
    const value = this.bind(operand, range);
    if (!tryCast) return castTo(value, type, here);
    if (sameType(value.type, type)) return value;
    // A string literal that does not convert is NULL rather than a bind error.
    if (value.kind === 'literal' && (value.value === null || value.type.kind === 'VARCHAR')) {
      try {
        return castTo(value, type, here);
      } catch (error) {
        if (error instanceof BindError) return literal(null, type);
        throw error;
      }
    }
    return { kind: 'cast', expr: value, type, try: true };
  }

  private bindCase(node: AstNode, range: TextRange | undefined): Expr {
    const here = this.position(node, range);
    const branches = (node.args as unknown as AstNode[]) ?? [];
    const whenNodes = branches.filter((b) => b.type === 'when');
    const elseNode = branches.find((b) => b.type === 'else');
    let conditions: Expr[];
    if (node.expr) {
      const base = this.bind(node.expr, range);
      conditions = whenNodes.map((w) =>
        call('eq', unifyComparison(base, this.bind(w.cond as AstNode, range), here), BOOLEAN),
      );
    } else {
      conditions = whenNodes.map((w) => this.bindCondition(w.cond as AstNode, range));
    }
    const results = [
      ...whenNodes.map((w) => this.bind(w.result as AstNode, range)),
      ...(elseNode ? [this.bind(elseNode.result as AstNode, range)] : []),
    ];
    const unified = unify(results, 'CASE branches', here);
    const type = unified.type.kind === 'NULL' ? VARCHAR : unified.type;
    const exprs = unified.exprs.map((e) => castTo(e, type));
    return {
      kind: 'case',
      whens: conditions.map((when, i) => ({ when, then: exprs[i] })),
      otherwise: elseNode ? exprs[exprs.length - 1] : null,
      type,
    };
  }
}
