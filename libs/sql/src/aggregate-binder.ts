import {
  BIGINT,
  BindError,
  BOOLEAN,
  HUGEINT,
  INTEGER,
  decimal,
  DOUBLE,
  isNumeric,
  MAX_DECIMAL_PRECISION,
  typeToString,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import {
  call,
  column,
  literal,
  referencedColumns,
  type AggregateFunctionName,
  type Expr,
} from '@tributary/plan';
import { AggregateState } from './aggregate-state.ts';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import {
  AGGREGATE_NAMES,
  containsAggregate,
  containsWindow,
  GROUPING_FUNCTIONS,
} from './contains-aggregate.ts';
import { exprName } from './expr-name.ts';
import { containsSubquery } from './contains-subquery.ts';
import { isCorrelatedIndex } from './correlation.ts';
import type { NamePart, Scope } from './scope.ts';
import type { SubqueryJoiner } from './subquery-joiner.ts';
import { argList, bareName, functionName, type AstArgs, type AstNode } from './sql-ast.ts';

function aggregateType(fn: AggregateFunctionName, arg: Expr | null): SqlType {
  if (fn === 'count' || fn === 'count_star') return BIGINT;
  const t = (arg as Expr).type;
  if (fn === 'avg') return DOUBLE;
  if (fn === 'sum') {
    if (t.kind === 'DECIMAL') return decimal(MAX_DECIMAL_PRECISION, t.scale);
    // DuckDB sums integers into a 128-bit HUGEINT, so a sum never overflows 64 bits.
    if (t.kind === 'INTEGER' || t.kind === 'BIGINT' || t.kind === 'HUGEINT') return HUGEINT;
    return t;
  }
  return t.kind === 'NULL' ? BIGINT : t;
}

/**
 * Binds expressions above an Aggregate: aggregate calls become references to aggregate
 * outputs, expressions equal to a group key references to that key, and any other column
 * is an error (it would need GROUP BY).
 */
export class AggregateBinder extends ExprBinder {
  /** Binds aggregate arguments and group-key candidates against the FROM clause. */
  readonly inputBinder: ExprBinder;

  constructor(
    ctx: BindContext,
    inputScope: Scope,
    readonly state: AggregateState,
    clause: string,
    defaultRange?: TextRange,
    subqueries?: SubqueryJoiner,
  ) {
    super(ctx, inputScope, clause, defaultRange, subqueries);
    this.inputBinder = new ExprBinder(ctx, inputScope, clause, defaultRange);
  }

  /** Above an Aggregate a subquery sees the group keys only. */
  protected override resolveForSubquery(parts: readonly NamePart[], position: SqlPosition | undefined): Expr {
    const bound = this.scope.resolve(parts, position);
    const key = this.state.keyIndex(bound);
    if (key >= 0) return column(key, this.state.keyNames[key], bound.type);
    if (bound.kind === 'column' && isCorrelatedIndex(bound.index)) return bound;
    const name = parts.map((p) => p.text).join('.');
    throw new BindError(
      'GROUP_BY_REQUIRED',
      `column "${name}" must appear in the GROUP BY clause or be used in an aggregate function`,
      { position },
    );
  }

  override bind(node: AstNode, range: TextRange | undefined = this.defaultRange): Expr {
    try {
      return this.bindGrouped(node, range);
    } catch (error) {
      throw this.pointAtLiteral(error, range);
    }
  }

  private bindGrouped(node: AstNode, range: TextRange | undefined): Expr {
    if (!containsAggregate(node) && !containsWindow(node) && !containsSubquery(node)) {
      const bound = this.inputBinder.bind(node, range);
      const key = this.state.keyIndex(bound);
      if (key >= 0) return column(key, this.state.keyNames[key], bound.type);
      // Columns of an enclosing query (correlation) are one value per group, like constants.
      if ([...referencedColumns(bound)].every(isCorrelatedIndex)) return bound;
      if (node.type === 'column_ref') {
        const { parts, position } = this.columnParts(node, range);
        const name = parts.map((p) => p.text).join('.');
        throw new BindError(
          'GROUP_BY_REQUIRED',
          `column "${name}" must appear in the GROUP BY clause or be used in an aggregate function`,
          { position },
        );
      }
    }
    return this.bindNode(node, range);
  }

  protected override bindAggregate(node: AstNode, range: TextRange | undefined): Expr {
    if (node.over) throw this.unsupported('window functions are', node, range);
    const name = (node.type === 'aggr_func' ? String(node.name) : functionName(node)).toLowerCase();
    if (GROUPING_FUNCTIONS.includes(name)) return this.bindGrouping(node, range);
    const args = node.args as AstArgs | undefined;
    const distinct = typeof args?.distinct === 'string' && args.distinct.toUpperCase() === 'DISTINCT';
    const argNodes = node.type === 'aggr_func' ? (args?.expr ? [args.expr as AstNode] : []) : argList(node);
    const position = this.position(node, range);
    if (!AGGREGATE_NAMES.has(name))
      // The grammar reads some aggregates (STRING_AGG, ARRAY_AGG, …) itself: say so instead of failing later.
      throw new BindError('UNSUPPORTED_FEATURE', `aggregate function ${name}() is not supported yet`, {
        position,
        details: { feature: `${name}()` },
      });
    const star =
      argNodes.length === 1 &&
      (argNodes[0].type === 'star' || (argNodes[0].type === 'column_ref' && argNodes[0].column === '*'));
    let fn: AggregateFunctionName;
    let arg: Expr | null = null;
    if (name === 'count' && (star || argNodes.length === 0)) {
      fn = 'count_star';
    } else {
      if (argNodes.length !== 1)
        throw new BindError('WRONG_ARGUMENT_COUNT', `aggregate ${name}() takes one argument`, { position });
      if (containsAggregate(argNodes[0]))
        throw new BindError('INVALID_AGGREGATE', 'aggregate function calls cannot be nested', { position });
      fn = name as AggregateFunctionName;
      arg = this.inputBinder.bind(argNodes[0], range);
      if ((fn === 'sum' || fn === 'avg') && !isNumeric(arg.type) && arg.type.kind !== 'NULL') {
        throw new BindError(
          'TYPE_MISMATCH',
          `${fn}() needs a numeric argument, not ${typeToString(arg.type)}`,
          { position },
        );
      }
    }
    const filterWhere = (node.filter as { where?: AstNode } | null | undefined)?.where;
    if (filterWhere) {
      // agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END): aggregates skip the NULLs.
      if (containsAggregate(filterWhere))
        throw new BindError('INVALID_AGGREGATE', 'aggregate functions are not allowed in FILTER', {
          position,
        });
      const when = this.inputBinder.bindCondition(filterWhere, range);
      const then = arg ?? literal(1, INTEGER);
      if (fn === 'count_star') fn = 'count';
      arg = { kind: 'case', whens: [{ when, then }], otherwise: null, type: then.type };
    }
    const type = aggregateType(fn, arg);
    const index = this.state.addAggregate(
      { fn, arg, distinct: distinct && fn !== 'count_star', type },
      exprName(node),
    );
    return column(index, exprName(node), type);
  }

  /**
   * GROUPING(a, b, …): a bit per argument, the first the most significant, set where the
   * row's grouping set lacks that key. A function of the grouping set, so a CASE over the
   * set's index; 0 without grouping sets.
   */
  private bindGrouping(node: AstNode, range: TextRange | undefined): Expr {
    const position = this.position(node, range);
    const argNodes = argList(node);
    if (argNodes.length === 0)
      throw new BindError('WRONG_ARGUMENT_COUNT', 'GROUPING() needs at least one argument', { position });
    const bindArg = (a: AstNode): Expr => {
      try {
        return this.inputBinder.bind(a, range);
      } catch (error) {
        // Not an input column: a select alias, as in GROUP BY.
        const alias = bareName(a);
        const node = alias && this.state.selectAliases.get(alias.text.toLowerCase());
        if (!node || !(error instanceof BindError) || error.code !== 'COLUMN_NOT_FOUND') throw error;
        return this.inputBinder.bind(node, range);
      }
    };
    const keys = argNodes.map((a) => {
      const k = this.state.keyIndex(bindArg(a));
      if (k < 0)
        throw new BindError('INVALID_GROUPING', 'the arguments of GROUPING() must be GROUP BY keys', {
          position: this.position(a, range),
        });
      return k;
    });
    const sets = this.state.groupingSets;
    if (!sets) return literal(0, BIGINT);
    const id = column(this.state.groupingIdKey, this.state.keyNames[this.state.groupingIdKey], INTEGER);
    const valueOf = (set: readonly number[]) =>
      keys.reduce((bits, k) => bits * 2 + (set.includes(k) ? 0 : 1), 0);
    const whens = sets.map((set, s) => ({
      when: call('eq', [id, literal(s, INTEGER)], BOOLEAN),
      then: literal(valueOf(set), BIGINT),
    }));
    return { kind: 'case', whens, otherwise: null, type: BIGINT };
  }
}
