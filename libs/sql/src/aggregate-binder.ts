import {
  BIGINT,
  BindError,
  BOOLEAN,
  HUGEINT,
  INTEGER,
  isNumeric,
  typeToString,
  VARCHAR,
  type SqlPosition,
} from '@tributary/common';
import {
  AGGREGATE_FUNCTION_NAMES,
  call,
  column,
  exprToString,
  literal,
  referencedColumns,
  type AggregateCall,
  type AggregateFunctionName,
  type AggregateOrderKey,
  type Expr,
  type LiteralValue,
} from '@tributary/plan';
import { aggregateArgument, aggregateType } from './aggregate-type.ts';
import { castTo } from './coerce.ts';
import { AggregateState } from './aggregate-state.ts';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import {
  AGGREGATE_ALIASES,
  AGGREGATE_NAMES,
  containsAggregate,
  containsWindow,
  DISTINCT_ALIASES,
  GROUPING_FUNCTIONS,
} from './contains-aggregate.ts';
import { exprName } from './expr-name.ts';
import { bindSubscript } from './bind-list-function.ts';
import { containsSubquery } from './contains-subquery.ts';
import { isCorrelatedIndex } from './correlation.ts';
import type { NamePart, Scope } from './scope.ts';
import type { SubqueryJoiner } from './subquery-joiner.ts';
import { argList, bareName, functionName, type AstArgs, type AstNode, type AstOrderBy } from './sql-ast.ts';

/** Aggregates of two values per row: (value, ordering value) or (a, b) of a covariance. */
const TWO_ARGUMENTS = new Set<string>([
  'arg_max',
  'arg_min',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
]);

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
    return this.withSubscripts(node, this.bindNode(node, range), range);
  }

  protected override bindAggregate(
    node: AstNode,
    range: TextRange | undefined,
    name: string = exprName(node),
  ): Expr {
    if (node.over) throw this.unsupported('window functions are', node, range);
    const written = (node.type === 'aggr_func' ? String(node.name) : functionName(node)).toLowerCase();
    const withinGroup = node.within_group_orderby as readonly AstOrderBy[] | null | undefined;
    if (withinGroup && withinGroup.length > 0) return this.bindOrderedSet(node, written, withinGroup, range);
    if (GROUPING_FUNCTIONS.includes(written)) return this.bindGrouping(node, range);
    if (written === 'count_if') return this.bindCountIf(node, range);
    const canonical = AGGREGATE_ALIASES[written] ?? written;
    const args = node.args as AstArgs | undefined;
    const distinct =
      DISTINCT_ALIASES.has(written) ||
      (typeof args?.distinct === 'string' && args.distinct.toUpperCase() === 'DISTINCT');
    const argNodes = node.type === 'aggr_func' ? aggrFuncArgs(args) : argList(node);
    const position = this.position(node, range);
    if (!AGGREGATE_NAMES.has(written) || !(AGGREGATE_FUNCTION_NAMES as readonly string[]).includes(canonical))
      // The grammar reads some aggregates (ARRAY_AGG, …) itself: say so instead of failing later.
      throw new BindError('UNSUPPORTED_FEATURE', `aggregate function ${written}() is not supported yet`, {
        position,
        details: { feature: `${written}()` },
      });
    const star =
      argNodes.length === 1 &&
      (argNodes[0].type === 'star' || (argNodes[0].type === 'column_ref' && argNodes[0].column === '*'));
    let fn = canonical as AggregateFunctionName;
    let arg: Expr | null = null;
    let param: LiteralValue | undefined;
    let arg2: Expr | undefined;
    if (canonical === 'count' && (star || argNodes.length === 0)) {
      fn = 'count_star';
    } else {
      const [min, max] =
        fn === 'string_agg' ? [1, 2] : fn.startsWith('quantile') || TWO_ARGUMENTS.has(fn) ? [2, 2] : [1, 1];
      if (argNodes.length < min || argNodes.length > max)
        throw new BindError(
          'WRONG_ARGUMENT_COUNT',
          `aggregate ${written}() takes ${min === max ? min : `${min} or ${max}`} argument${max > 1 ? 's' : ''}`,
          { position },
        );
      if (argNodes.some(containsAggregate))
        throw new BindError('INVALID_AGGREGATE', 'aggregate function calls cannot be nested', { position });
      arg = aggregateArgument(fn, this.inputBinder.bind(argNodes[0], range), written, position);
      if (TWO_ARGUMENTS.has(fn)) {
        if (distinct)
          throw new BindError('UNSUPPORTED_FEATURE', `DISTINCT in ${written}() is not supported yet`, {
            position,
            details: { feature: `${written}(DISTINCT …)` },
          });
        arg2 = aggregateArgument(fn, this.inputBinder.bind(argNodes[1], range), written, position);
      } else if (argNodes.length > 1)
        param = this.constantArgument(fn, argNodes[1], range, written, position);
      else if (fn === 'string_agg') param = ',';
    }
    let orderBy = this.aggregateOrderBy(args, range, position);
    // first/last/any_value(x ORDER BY k): the first or last element of list(x ORDER BY k)
    // (any_value's of its values that are not NULL).
    let pick: number | undefined;
    if (orderBy.length > 0 && (fn === 'first' || fn === 'last' || fn === 'any_value')) {
      pick = fn === 'last' ? -1 : 1;
      if (fn === 'any_value') arg2 = { kind: 'is-null', expr: arg!, negated: true, type: BOOLEAN };
      fn = 'list';
    }
    // Only string_agg's and list's results depend on the order; and, ordered by their own
    // argument, a quantile's when descending (percentile_cont(f) WITHIN GROUP (ORDER BY x
    // DESC), DuckDB's quantile_cont(x, f ORDER BY x DESC)) and mode's, whose ties go to the
    // first value in the order (mode() WITHIN GROUP (ORDER BY x)). Elsewhere it changes nothing.
    const byArgument =
      orderBy.length === 1 && arg !== null && exprToString(orderBy[0].expr) === exprToString(arg);
    const descendingQuantile =
      (fn === 'quantile_cont' || fn === 'quantile_disc') && byArgument && !orderBy[0].ascending;
    const orderedMode = fn === 'mode' && byArgument;
    if (fn !== 'string_agg' && fn !== 'list' && !descendingQuantile && !orderedMode) orderBy = [];
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
      // first/last/list keep NULL values: their filter is a second argument saying which rows count.
      if (fn === 'list' && arg2) arg2 = call('and', [arg2, when], BOOLEAN);
      else if (fn === 'first' || fn === 'last' || fn === 'list') arg2 = when;
      else arg = { kind: 'case', whens: [{ when, then }], otherwise: null, type: then.type };
      if (arg2 && TWO_ARGUMENTS.has(fn))
        arg2 = { kind: 'case', whens: [{ when, then: arg2 }], otherwise: null, type: arg2.type };
    }
    const type = aggregateType(fn, arg);
    const aggregateCall: AggregateCall = {
      fn,
      arg,
      distinct: distinct && fn !== 'count_star',
      type,
      ...(arg2 === undefined ? {} : { arg2 }),
      ...(param === undefined ? {} : { param }),
      ...(orderBy.length > 0 ? { orderBy } : {}),
    };
    const index = this.state.addAggregate(aggregateCall, name);
    const result = column(index, name, type);
    return pick === undefined ? result : bindSubscript(result, literal(pick, INTEGER), position);
  }

  /**
   * The ordered-set aggregates `percentile_cont(f) WITHIN GROUP (ORDER BY x)` and
   * `percentile_disc(…)` (SQL's, Postgres's and DuckDB's): quantile_cont(x, f ORDER BY x)
   * and quantile_disc(…), the quantile among the values in that order (descending is not
   * 1 - f: the positions round the other way), named as DuckDB names them
   * (`quantile_cont(0.5 ORDER BY x)`); and `mode() WITHIN GROUP (ORDER BY x)`, mode(x) whose
   * ties go to the first value in that order. FILTER applies as to any aggregate.
   */
  private bindOrderedSet(
    node: AstNode,
    written: string,
    withinGroup: readonly AstOrderBy[],
    range: TextRange | undefined,
  ): Expr {
    const position = this.position(node, range);
    const fn = ORDERED_SET_AGGREGATES[written];
    if (!fn)
      throw new BindError('UNSUPPORTED_FEATURE', `${written}() WITHIN GROUP is not supported`, {
        position,
        details: { feature: `${written}() WITHIN GROUP` },
      });
    // The grammar reads mode()'s missing argument as {}.
    const fraction = aggrFuncArgs(node.args as AstArgs | undefined).filter((a) => a.type !== undefined);
    const fractions = fn === 'mode' ? 0 : 1;
    if (fraction.length !== fractions || withinGroup.length !== 1)
      throw new BindError(
        'WRONG_ARGUMENT_COUNT',
        `${written}() takes ${fractions === 1 ? 'one fraction' : 'no argument'} and WITHIN GROUP one ORDER BY key`,
        { position },
      );
    const [key] = withinGroup;
    const call: AstNode = {
      type: 'function',
      name: { name: [{ type: 'default', value: fn }] },
      args: { type: 'expr_list', value: [key.expr, ...fraction], orderby: [key] },
      over: null,
      filter: node.filter,
    };
    return this.bindAggregate(call, range, exprName(node));
  }

  /**
   * count_if(c): DuckDB sums 1 for rows where c is true and 0 elsewhere, so its result is a
   * HUGEINT that is NULL without rows (or without rows passing a FILTER).
   */
  private bindCountIf(node: AstNode, range: TextRange | undefined): Expr {
    const position = this.position(node, range);
    const argNodes = argList(node);
    if (argNodes.length !== 1)
      throw new BindError('WRONG_ARGUMENT_COUNT', 'aggregate count_if() takes 1 argument', { position });
    if (containsAggregate(argNodes[0]))
      throw new BindError('INVALID_AGGREGATE', 'aggregate function calls cannot be nested', { position });
    const condition = this.inputBinder.bind(argNodes[0], range);
    if (condition.type.kind !== 'BOOLEAN' && condition.type.kind !== 'NULL')
      throw new BindError(
        'TYPE_MISMATCH',
        `count_if() needs a BOOLEAN argument, not ${typeToString(condition.type)}`,
        { position },
      );
    const when = castTo(condition, BOOLEAN, position);
    let arg: Expr = {
      kind: 'case',
      whens: [{ when, then: literal(1, INTEGER) }],
      otherwise: literal(0, INTEGER),
      type: INTEGER,
    };
    const filterWhere = (node.filter as { where?: AstNode } | null | undefined)?.where;
    if (filterWhere) {
      if (containsAggregate(filterWhere))
        throw new BindError('INVALID_AGGREGATE', 'aggregate functions are not allowed in FILTER', {
          position,
        });
      const passes = this.inputBinder.bindCondition(filterWhere, range);
      arg = { kind: 'case', whens: [{ when: passes, then: arg }], otherwise: null, type: INTEGER };
    }
    const name = exprName(node);
    const index = this.state.addAggregate({ fn: 'sum', arg, distinct: false, type: HUGEINT }, name);
    return column(index, name, HUGEINT);
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

  /** The argument checked and converted to what the accumulator reads. */
  /** string_agg's separator or a quantile's fraction: a constant, as DuckDB requires. */
  private constantArgument(
    fn: AggregateFunctionName,
    node: AstNode,
    range: TextRange | undefined,
    name: string,
    position: SqlPosition | undefined,
  ): LiteralValue {
    const bound = this.inputBinder.bind(node, range);
    if (fn === 'string_agg') {
      const separator = castTo(bound, VARCHAR, position);
      if (separator.kind !== 'literal')
        throw new BindError('TYPE_MISMATCH', `the separator of ${name}() must be a constant`, { position });
      return separator.value;
    }
    const fraction =
      bound.kind === 'literal' && typeof bound.value === 'number' && isNumeric(bound.type)
        ? bound.type.kind === 'DECIMAL'
          ? bound.value / 10 ** bound.type.scale
          : bound.value
        : undefined;
    if (fraction === undefined || !(fraction >= 0 && fraction <= 1))
      throw new BindError(
        'INVALID_ARGUMENT',
        `the quantile of ${name}() must be a constant between 0 and 1`,
        {
          position,
        },
      );
    return fraction;
  }

  /** `agg(x ORDER BY …)`: keys bound against the input, DuckDB's default NULLS LAST. */
  private aggregateOrderBy(
    args: AstArgs | undefined,
    range: TextRange | undefined,
    position: SqlPosition | undefined,
  ): AggregateOrderKey[] {
    const items = (args?.orderby ?? null) as readonly AstOrderBy[] | null;
    if (!items || items.length === 0) return [];
    return items.map((item) => {
      if (containsAggregate(item.expr))
        throw new BindError('INVALID_AGGREGATE', 'aggregate function calls cannot be nested', { position });
      const ascending = String(item.type ?? 'ASC').toUpperCase() !== 'DESC';
      const nulls = String(item.nulls ?? '').toUpperCase();
      return {
        expr: this.inputBinder.bind(item.expr, range),
        ascending,
        nullsFirst: nulls.includes('FIRST'),
      };
    });
  }
}

/** Ordered-set aggregates (WITHIN GROUP) by name, and the aggregate each is. */
const ORDERED_SET_AGGREGATES: Readonly<Record<string, AggregateFunctionName>> = {
  percentile_cont: 'quantile_cont',
  percentile_disc: 'quantile_disc',
  mode: 'mode',
};

/** The arguments of a call the grammar reads as an aggregate: the value, then string_agg's separator. */
function aggrFuncArgs(args: AstArgs | undefined): AstNode[] {
  if (!args?.expr) return [];
  const separator = (args.separator as { delimiter?: AstNode } | null | undefined)?.delimiter;
  return separator ? [args.expr as AstNode, separator] : [args.expr as AstNode];
}
