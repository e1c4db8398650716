import { BIGINT, BOOLEAN, type SqlPosition, type SqlType } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  filter,
  join,
  literal,
  transformExpr,
  transformPlan,
  type Expr,
  type JoinType,
  type LogicalPlan,
} from '@tributary/plan';
import { subqueryWidth, type BoundSubquery } from './bound-subquery.ts';
import { unifyComparison } from './coerce.ts';
import { CORRELATED_BASE, type OuterReference } from './correlation.ts';

/**
 * Joins that compute a decorrelated subquery's value for every row of the plan it stands in
 * (`base`), in DuckDB's manner: a single join for a scalar subquery, a mark join for EXISTS
 * and IN, a left join on the correlation keys for an aggregate without GROUP BY (with the
 * COUNT bug mended by the empty group's values). Each returns the joined plan, whose first
 * columns are still base's, and the value as an expression over it.
 */
export interface Attached {
  readonly plan: LogicalPlan;
  readonly expr: Expr;
}

/** Maps an expression of the enclosing query (as bound) onto the plan the subquery is joined to. */
export type OuterMapping = (expr: Expr) => Expr;

const TRUE = literal(true, BOOLEAN);
const FALSE = literal(false, BOOLEAN);
const NULL_BOOLEAN = literal(null, BOOLEAN);

const and = (args: readonly Expr[]): Expr => conjunction(args) ?? TRUE;
const or = (args: readonly Expr[]): Expr => (args.length === 1 ? args[0] : call('or', args, BOOLEAN));
const isNull = (expr: Expr, negated = false): Expr => ({ kind: 'is-null', expr, negated, type: BOOLEAN });

function caseWhen(
  whens: readonly { when: Expr; then: Expr }[],
  otherwise: Expr | null,
  type = whens[0].then.type,
): Expr {
  return { kind: 'case', whens, otherwise, type };
}

/**
 * The subquery with its domain (if it has one) computed from `base`: the distinct values of
 * the outer columns it reads. The placeholder is replaced by identity, wherever it sits.
 */
function instantiate(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
): BoundSubquery {
  if (bound.kind !== 'keyed' || !bound.domain) return bound;
  const placeholder = bound.domain;
  const values = bound.outerKeys.map((k) => placementOf(refs, outer).map(k));
  const domain = aggregate(
    base,
    values,
    [],
    placeholder.schema.map((f) => f.name),
  );
  const plan = transformPlan(bound.plan, (node) => (node === placeholder ? domain : node));
  return { ...bound, plan, domain: undefined };
}

function placementOf(refs: readonly OuterReference[], outer: OuterMapping): Placement {
  return new Placement(0, refs, outer);
}

/** Where the subquery's plan lands once joined to `base`, and its outer references. */
class Placement {
  constructor(
    readonly offset: number,
    private readonly refs: readonly OuterReference[],
    private readonly outer: OuterMapping,
  ) {}

  /** An expression over the subquery's plan and outer placeholders, over the joined plan. */
  map(expr: Expr): Expr {
    return transformExpr(expr, (e) => {
      if (e.kind !== 'column') return e;
      if (e.index >= CORRELATED_BASE) return this.outer(this.refs[e.index - CORRELATED_BASE].outer);
      return column(this.offset + e.index, e.name, e.type);
    });
  }

  /** The condition joining base's rows to their subquery rows (null: every row). */
  condition(bound: BoundSubquery): Expr | null {
    switch (bound.kind) {
      case 'plain':
        return null;
      case 'direct':
        return bound.condition && this.map(bound.condition);
      case 'keyed':
        return and(
          bound.outerKeys.flatMap((k, i) => {
            const f = bound.plan.schema[i];
            const outer = this.map(k);
            const inner = column(this.offset + i, f.name, f.type);
            if (!bound.nullSafeKeys) return [call('eq', [outer, inner], BOOLEAN)];
            // Equal, or both NULL: as two hash keys, (value or a stand-in) and NULL-ness.
            const stand = standIn(f.type);
            return [
              call(
                'eq',
                [call('coalesce', [outer, stand], f.type), call('coalesce', [inner, stand], f.type)],
                BOOLEAN,
              ),
              call('eq', [isNull(outer), isNull(inner)], BOOLEAN),
            ];
          }),
        );
    }
  }

  /** The subquery's i-th output value over the joined plan. */
  value(bound: BoundSubquery, i: number): Expr {
    switch (bound.kind) {
      case 'plain': {
        const f = bound.plan.schema[i];
        return column(this.offset + i, f.name, f.type);
      }
      case 'direct':
        return this.map(bound.values[i]);
      case 'keyed': {
        const at = bound.outerKeys.length + i;
        const f = bound.plan.schema[at];
        return column(this.offset + at, f.name, f.type);
      }
    }
  }
}

function placement(base: LogicalPlan, refs: readonly OuterReference[], outer: OuterMapping): Placement {
  return new Placement(base.schema.length, refs, outer);
}

/** Some value of the type, standing in for NULL where NULLs must compare equal. */
function standIn(type: SqlType): Expr {
  switch (type.kind) {
    case 'BOOLEAN':
      return FALSE;
    case 'VARCHAR':
      return literal('', type);
    case 'NULL':
      return literal(null, type);
    case 'LIST':
      return call('list_value', [], type);
    default:
      return literal(0, type);
  }
}

/** Whether each row of base meets at most one row of the subquery, whatever its data. */
function atMostOneRow(bound: BoundSubquery): boolean {
  return (bound.kind === 'plain' && bound.oneRow) || (bound.kind === 'keyed' && bound.oneRowPerKey);
}

/**
 * An aggregate without GROUP BY under correlation keys: left-joined on the keys, a row whose
 * key found no group takes the empty group's values. Returns each value and whether the
 * subquery has its row (HAVING may drop it).
 */
function joinOneRowPerKey(
  base: LogicalPlan,
  bound: BoundSubquery & { kind: 'keyed' },
  refs: readonly OuterReference[],
  outer: OuterMapping,
): { plan: LogicalPlan; values: Expr[]; exists: Expr } {
  const at = placement(base, refs, outer);
  const plan = join('left', base, bound.plan, at.condition(bound));
  const width = bound.plan.schema.length;
  const passed = column(at.offset + width - 1, bound.plan.schema[width - 1].name, BOOLEAN);
  // A NULL key may be a domain's key that matched: the HAVING column, never NULL on a row, tells.
  const matched = bound.nullSafeKeys
    ? isNull(passed, true)
    : isNull(column(at.offset, bound.plan.schema[0].name, bound.plan.schema[0].type), true);
  const emptyExists = at.map(bound.emptyExists);
  const exists =
    emptyExists.kind === 'literal' && emptyExists.value === true && isTrueLiteral(bound, width)
      ? TRUE
      : caseWhen(
          [{ when: matched, then: call('coalesce', [passed, FALSE], BOOLEAN) }],
          call('coalesce', [emptyExists, FALSE], BOOLEAN),
        );
  const count = width - bound.outerKeys.length - 1;
  const values = Array.from({ length: count }, (_, i) => {
    const empty = at.map(bound.emptyValues[i]);
    // A key without rows gets NULL from the left join already unless the empty group says otherwise (COUNT).
    const value =
      empty.kind === 'literal' && empty.value === null
        ? at.value(bound, i)
        : caseWhen([{ when: matched, then: at.value(bound, i) }], empty);
    return exists === TRUE ? value : caseWhen([{ when: exists, then: value }], null);
  });
  return { plan, values, exists };
}

/** Whether the keyed plan's HAVING column is the constant TRUE (no HAVING). */
function isTrueLiteral(bound: BoundSubquery & { kind: 'keyed' }, width: number): boolean {
  const plan = bound.plan;
  if (plan.kind !== 'project') return false;
  const e = plan.exprs[width - 1];
  return e.kind === 'literal' && e.value === true;
}

/** A scalar subquery's (first) value for each row of base; several rows for one fail at run time. */
export function attachScalar(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
): Attached {
  bound = instantiate(base, bound, refs, outer);
  if (bound.kind === 'keyed' && bound.oneRowPerKey) {
    const joined = joinOneRowPerKey(base, bound, refs, outer);
    return { plan: joined.plan, expr: joined.values[0] };
  }
  const at = placement(base, refs, outer);
  const type: JoinType = bound.kind === 'plain' && bound.oneRow ? 'cross' : 'single';
  const plan = join(type, base, bound.plan, at.condition(bound));
  return { plan, expr: at.value(bound, 0) };
}

/**
 * A WHERE conjunct [NOT] EXISTS as a semi (anti) join of base, which keeps base's columns;
 * undefined when the subquery's rows do not decide it alone (an aggregate without GROUP BY).
 */
export function semiJoinExists(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
  negated: boolean,
): LogicalPlan | undefined {
  bound = instantiate(base, bound, refs, outer);
  if (atMostOneRow(bound)) return undefined;
  return join(negated ? 'anti' : 'semi', base, bound.plan, placement(base, refs, outer).condition(bound));
}

/**
 * A WHERE conjunct `x [NOT] IN (subquery)` as a semi (anti) join of base. NOT IN also drops
 * the rows it makes NULL: those whose set is not empty and either holds a NULL or x is NULL.
 */
export function semiJoinIn(
  base: LogicalPlan,
  values: readonly Expr[],
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
  negated: boolean,
  position: SqlPosition | undefined,
): LogicalPlan | undefined {
  bound = instantiate(base, bound, refs, outer);
  if (atMostOneRow(bound)) return undefined;
  const at = placement(base, refs, outer);
  const ys = values.map((_, i) => at.value(bound, i));
  const correlation = at.condition(bound);
  const match = and([...(correlation ? [correlation] : []), ...equalities(values, ys, position)]);
  if (!negated) return join('semi', base, bound.plan, match);
  const kept = join('anti', base, bound.plan, match);
  if (bound.kind === 'plain' && values.length === 1) return notInNulls(kept, bound.plan, values[0]);
  const maybe = values.map((x, i) =>
    or([isNull(x), isNull(ys[i]), ...(values.length > 1 ? [equalities([x], [ys[i]], position)[0]] : [])]),
  );
  return join('anti', kept, bound.plan, and([...(correlation ? [correlation] : []), ...maybe]));
}

/**
 * `x NOT IN (S)` is NULL, so filters the row out, when S is not empty and either x is NULL or S
 * holds a NULL; the equality anti join alone would keep such rows. One row of counts over S,
 * (rows, non-NULL values), lets a second anti join drop them without comparing row by row.
 */
function notInNulls(kept: LogicalPlan, sub: LogicalPlan, value: Expr): LogicalPlan {
  const field = sub.schema[0];
  const counts = aggregate(
    sub,
    [],
    [
      { fn: 'count_star', arg: null, distinct: false, type: BIGINT },
      { fn: 'count', arg: column(0, field.name, field.type), distinct: false, type: BIGINT },
    ],
    ['n', 'n_values'],
  );
  const width = kept.schema.length;
  const rows = column(width, 'n', BIGINT);
  const nonNull = column(width + 1, 'n_values', BIGINT);
  const condition = call(
    'and',
    [
      call('gt', [rows, literal(0, BIGINT)], BOOLEAN),
      or([call('lt', [nonNull, rows], BOOLEAN), isNull(value)]),
    ],
    BOOLEAN,
  );
  return join('anti', kept, counts, condition);
}

/** EXISTS (subquery) for each row of base: TRUE or FALSE. */
export function attachExists(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
): Attached {
  bound = instantiate(base, bound, refs, outer);
  if (bound.kind === 'plain' && bound.oneRow) return { plan: base, expr: TRUE };
  if (bound.kind === 'keyed' && bound.oneRowPerKey) {
    const joined = joinOneRowPerKey(base, bound, refs, outer);
    return joined.exists === TRUE ? { plan: base, expr: TRUE } : { plan: joined.plan, expr: joined.exists };
  }
  const at = placement(base, refs, outer);
  const plan = join('mark', base, bound.plan, at.condition(bound));
  return { plan, expr: column(at.offset, 'mark', BOOLEAN) };
}

/** `x = y` for each pair, types unified. */
function equalities(values: readonly Expr[], ys: readonly Expr[], position: SqlPosition | undefined): Expr[] {
  return values.map((x, i) => call('eq', unifyComparison(x, ys[i], position), BOOLEAN));
}

/**
 * `(x…) IN (subquery)` for each row of base, with SQL's NULLs: TRUE when a row equals, else
 * NULL when a row might (a NULL on either side where the rest is equal), else FALSE. The
 * three cases are mark joins: on equality, on the correlation alone (is the set empty?) and
 * on the set's NULLs. `values` are over base.
 */
export function attachIn(
  base: LogicalPlan,
  values: readonly Expr[],
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
  position: SqlPosition | undefined,
): Attached {
  bound = instantiate(base, bound, refs, outer);
  if (atMostOneRow(bound)) {
    // One value (or none, under HAVING): IN is `=`, with that comparison's NULLs.
    if (bound.kind === 'keyed') {
      const joined = joinOneRowPerKey(base, bound, refs, outer);
      const test = and(equalities(values, joined.values, position));
      const expr = joined.exists === TRUE ? test : caseWhen([{ when: joined.exists, then: test }], FALSE);
      return { plan: joined.plan, expr };
    }
    const scalar = attachScalarRow(base, bound, refs, outer);
    return { plan: scalar.plan, expr: and(equalities(values, scalar.values, position)) };
  }
  const first = placement(base, refs, outer);
  const ys = values.map((_, i) => first.value(bound, i));
  const matchCondition = and(
    [first.condition(bound) ?? TRUE, ...equalities(values, ys, position)].filter((e) => e !== TRUE),
  );
  let plan = join('mark', base, bound.plan, matchCondition);
  const matched = column(first.offset, 'mark', BOOLEAN);
  let unknown: Expr;
  if (values.length === 1) {
    const x = values[0];
    // Is the set empty for this row? Then x NOT IN it is TRUE even for a NULL x.
    const anyAt = placement(plan, refs, outer);
    plan = join('mark', plan, bound.plan, anyAt.condition(bound));
    const any = column(anyAt.offset, 'mark', BOOLEAN);
    // Does the set hold a NULL? Filter the subquery's rows first when the value is theirs alone.
    const nullAt = placement(plan, refs, outer);
    const y = bound.kind === 'direct' ? bound.values[0] : undefined;
    const yIsOwn = bound.kind !== 'direct' || !readsOuter(y!);
    let nullSide = bound.plan;
    let nullCondition = nullAt.condition(bound);
    if (yIsOwn) nullSide = filter(bound.plan, isNull(y ?? ownColumn(bound, 0)));
    else
      nullCondition = and([nullCondition ?? TRUE, isNull(nullAt.value(bound, 0))].filter((e) => e !== TRUE));
    plan = join('mark', plan, nullSide, nullCondition);
    const hasNull = column(nullAt.offset, 'mark', BOOLEAN);
    unknown = or([call('and', [isNull(x), any], BOOLEAN), hasNull]);
  } else {
    const at = placement(plan, refs, outer);
    const maybe = values.map((x, i) => {
      const y = at.value(bound, i);
      const [l, r] = unifyComparison(x, y, position);
      return or([call('eq', [l, r], BOOLEAN), isNull(x), isNull(y)]);
    });
    plan = join(
      'mark',
      plan,
      bound.plan,
      and([at.condition(bound) ?? TRUE, ...maybe].filter((e) => e !== TRUE)),
    );
    unknown = column(at.offset, 'mark', BOOLEAN);
  }
  const expr = caseWhen(
    [
      { when: matched, then: TRUE },
      { when: unknown, then: NULL_BOOLEAN },
    ],
    FALSE,
  );
  return { plan, expr };
}

/** The subquery's i-th output as a column of its own plan. */
function ownColumn(bound: BoundSubquery, i: number): Expr {
  const at = bound.kind === 'keyed' ? bound.outerKeys.length + i : i;
  const f = bound.plan.schema[at];
  return column(at, f.name, f.type);
}

function readsOuter(expr: Expr): boolean {
  let found = false;
  transformExpr(expr, (e) => {
    if (e.kind === 'column' && e.index >= CORRELATED_BASE) found = true;
    return e;
  });
  return found;
}

/** An uncorrelated subquery of exactly one row, cross joined: its values over the joined plan. */
function attachScalarRow(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
): { plan: LogicalPlan; values: Expr[] } {
  const at = placement(base, refs, outer);
  const plan = join('cross', base, bound.plan, null);
  return { plan, values: bound.plan.schema.map((_, i) => at.value(bound, i)) };
}

/**
 * A LATERAL derived table joined to base: each row of base with the subquery's rows for it
 * (inner), or with NULLs where it has none (left). `on(values)` is the join's own ON over the
 * subquery's values (and base's columns). Returns the joined plan and the subquery's columns
 * as expressions over it.
 */
export function attachLateral(
  base: LogicalPlan,
  bound: BoundSubquery,
  refs: readonly OuterReference[],
  outer: OuterMapping,
  type: 'inner' | 'left',
  on: (values: readonly Expr[]) => Expr | null,
): { plan: LogicalPlan; values: Expr[] } {
  bound = instantiate(base, bound, refs, outer);
  const width = subqueryWidth(bound);
  if (bound.kind === 'keyed' && bound.oneRowPerKey) {
    // An aggregate without GROUP BY: one row for every row of base (unless HAVING drops it).
    const joined = joinOneRowPerKey(base, bound, refs, outer);
    const kept = and([...(joined.exists === TRUE ? [] : [joined.exists]), ...nonNull(on(joined.values))]);
    if (type === 'inner')
      return { plan: kept === TRUE ? joined.plan : filter(joined.plan, kept), values: joined.values };
    const values =
      kept === TRUE ? joined.values : joined.values.map((v) => caseWhen([{ when: kept, then: v }], null));
    return { plan: joined.plan, values };
  }
  const at = placement(base, refs, outer);
  const values = Array.from({ length: width }, (_, i) => at.value(bound, i));
  const condition = and([...nonNull(at.condition(bound)), ...nonNull(on(values))]);
  const joinType = type === 'inner' && condition === TRUE ? 'cross' : type;
  const plan = join(joinType, base, bound.plan, joinType === 'cross' ? null : condition);
  return { plan, values };
}

function nonNull(expr: Expr | null): Expr[] {
  return expr ? [expr] : [];
}
