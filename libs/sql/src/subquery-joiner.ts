import { BindError, BOOLEAN, type SqlPosition } from '@tributary/common';
import { call, column, referencedColumns, transformExpr, type Expr, type LogicalPlan } from '@tributary/plan';
import type { BindContext, SubqueryUse } from './bind-context.ts';
import { subqueryWidth, type BoundSubquery } from './bound-subquery.ts';
import {
  Correlation,
  CORRELATED_BASE,
  CrossLevelCorrelation,
  SUBQUERY_BASE,
  type OuterResolver,
} from './correlation.ts';
import type { AstSelect } from './sql-ast.ts';
import { attachExists, attachIn, attachScalar, type Attached, type OuterMapping } from './subquery-joins.ts';

type PendingJoin = (plan: LogicalPlan, outer: OuterMapping) => Attached;

/** What one collected subquery reads of the clause's columns, and where it is written. */
export interface SubqueryFootprint {
  readonly reads: ReadonlySet<number>;
  readonly position: SqlPosition | undefined;
}

function readsOf(exprs: readonly Expr[]): Set<number> {
  const reads = new Set<number>();
  for (const e of exprs) for (const i of referencedColumns(e)) if (i < SUBQUERY_BASE) reads.add(i);
  return reads;
}

function outerExprs(correlation: Correlation): Expr[] {
  return correlation.refs.map((r) => r.outer);
}

/**
 * Collects the subqueries written inside the expressions of one clause group (WHERE, or the
 * clauses above FROM/GROUP BY) while they are bound. Each stands for a placeholder column
 * (SUBQUERY_BASE + j) until `apply` joins them, in order, to the plan the clause reads
 * (the FROM clause, or the Aggregate's output): every join keeps that plan's columns where
 * they are, so what was bound against them stays valid.
 */
export class SubqueryJoiner {
  private readonly pending: PendingJoin[] = [];
  private readonly footprints: SubqueryFootprint[] = [];

  constructor(private readonly ctx: BindContext) {}

  /** A scalar subquery: its one column's value, NULL when it has no row. */
  scalar(ast: AstSelect, resolver: OuterResolver, position: SqlPosition | undefined): Expr {
    const { bound, correlation } = this.bind(ast, resolver, position);
    const width = subqueryWidth(bound);
    if (width !== 1)
      throw new BindError('SUBQUERY_COLUMNS', `a scalar subquery must return one column, not ${width}`, {
        position,
      });
    const type = firstValueType(bound);
    return this.add(
      (plan, outer) => attachScalar(plan, bound, correlation.refs, outer),
      type,
      readsOf(outerExprs(correlation)),
      position,
    );
  }

  exists(ast: AstSelect, resolver: OuterResolver, position: SqlPosition | undefined): Expr {
    const { bound, correlation } = this.bind(ast, resolver, position, 'exists');
    return this.add(
      (plan, outer) => attachExists(plan, bound, correlation.refs, outer),
      BOOLEAN,
      readsOf(outerExprs(correlation)),
      position,
    );
  }

  /** `(values…) IN (subquery)`; `values` are bound in the same clause. */
  in(
    values: readonly Expr[],
    ast: AstSelect,
    resolver: OuterResolver,
    position: SqlPosition | undefined,
  ): Expr {
    const { bound, correlation } = this.bind(ast, resolver, position);
    checkInWidth(values.length, subqueryWidth(bound), position);
    return this.add(
      (plan, outer) => attachIn(plan, values.map(outer), bound, correlation.refs, outer, position),
      BOOLEAN,
      readsOf([...values, ...outerExprs(correlation)]),
      position,
    );
  }

  get isEmpty(): boolean {
    return this.pending.length === 0;
  }

  /** The collected subqueries' footprints, in the order of their placeholders. */
  get collected(): readonly SubqueryFootprint[] {
    return this.footprints;
  }

  /**
   * Joins the collected subqueries to `base`. `shift` renumbers the clause's own columns when
   * base's columns are not where they were bound (a correlated subquery's extra group keys).
   * `resolve` maps an expression of the clause onto the joined plan. `only` picks the
   * subqueries to join (by placeholder number); the others' values stay unknown.
   */
  apply(
    base: LogicalPlan,
    shift: (index: number) => number = (i) => i,
    only: (j: number) => boolean = () => true,
  ): { plan: LogicalPlan; resolve: (expr: Expr) => Expr } {
    const values: (Expr | undefined)[] = [];
    const resolve = (expr: Expr): Expr =>
      transformExpr(expr, (e) => {
        if (e.kind !== 'column' || e.index >= CORRELATED_BASE) return e;
        if (e.index >= SUBQUERY_BASE) {
          const value = values[e.index - SUBQUERY_BASE];
          if (!value) throw new Error(`subquery value #${e.index - SUBQUERY_BASE} used before it is joined`);
          return value;
        }
        const to = shift(e.index);
        return to === e.index ? e : column(to, e.name, e.type);
      });
    let plan = base;
    this.pending.forEach((build, j) => {
      if (!only(j)) {
        values.push(undefined);
        return;
      }
      const attached = build(plan, resolve);
      plan = attached.plan;
      values.push(attached.expr);
    });
    return { plan, resolve };
  }

  private add(
    build: PendingJoin,
    type: Expr['type'],
    reads: ReadonlySet<number>,
    position: SqlPosition | undefined,
  ): Expr {
    const j = this.pending.length;
    this.pending.push(build);
    this.footprints.push({ reads, position });
    return column(SUBQUERY_BASE + j, `subquery_${j}`, type);
  }

  private bind(
    ast: AstSelect,
    resolver: OuterResolver,
    position: SqlPosition | undefined,
    use: SubqueryUse = 'values',
  ): { bound: BoundSubquery; correlation: Correlation } {
    const correlation = new Correlation(resolver);
    const bound = bindLocated(this.ctx, ast, correlation, position, use);
    return { bound, correlation };
  }
}

function firstValueType(bound: BoundSubquery): Expr['type'] {
  switch (bound.kind) {
    case 'plain':
      return bound.plan.schema[0].type;
    case 'direct':
      return bound.values[0].type;
    case 'keyed':
      return bound.plan.schema[bound.outerKeys.length].type;
  }
}

/** Binds a subquery; what it cannot do yet is reported where the subquery is written. */
export function bindLocated(
  ctx: BindContext,
  ast: AstSelect,
  correlation: Correlation,
  position: SqlPosition | undefined,
  use: SubqueryUse,
): BoundSubquery {
  try {
    return ctx.bindSubquery(ast, correlation, use);
  } catch (error) {
    if (
      error instanceof BindError &&
      !(error instanceof CrossLevelCorrelation) &&
      error.line === undefined &&
      position
    )
      throw new BindError(error.code, error.message, {
        position,
        details: error.details,
        suggestions: error.suggestions,
        cause: error.cause,
      });
    throw error;
  }
}

export function checkInWidth(values: number, width: number, position: SqlPosition | undefined): void {
  if (values !== width)
    throw new BindError(
      'SUBQUERY_COLUMNS',
      `IN compares ${values} value${values === 1 ? '' : 's'} with a subquery returning ${width} column${width === 1 ? '' : 's'}`,
      { position },
    );
}

/** NOT over a subquery's three-valued answer. */
export function negate(expr: Expr): Expr {
  return call('not', [expr], BOOLEAN);
}
