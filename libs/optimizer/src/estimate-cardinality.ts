import {
  planInputs,
  referencedColumns,
  remapColumns,
  splitConjunction,
  type ColumnStatistics,
  type Expr,
  type LiteralValue,
  type LogicalPlan,
  type ScanNode,
  type TableRef,
} from '@tributary/plan';

/**
 * An estimate of a plan's output rows. `known` is false when some table under it does not
 * know its size, so the figure rests on DEFAULT_TABLE_ROWS: good enough to order joins,
 * not to decide that a side is small enough to broadcast.
 */
export interface RowEstimate {
  readonly rows: number;
  readonly known: boolean;
}

/** The rows assumed of a table whose source does not say (a CSV file before it was counted). */
export const DEFAULT_TABLE_ROWS = 1_000_000;

/**
 * Selectivities assumed where statistics say nothing, in the spirit of PostgreSQL's and
 * DuckDB's defaults: an equality keeps few rows, a range a third, a LIKE a tenth.
 */
export const DEFAULT_SELECTIVITY = {
  equality: 0.1,
  range: 1 / 3,
  like: 0.1,
  isNull: 0.1,
  other: 0.25,
} as const;

/** What is known of the values an expression yields: a bound of their distinct count, and statistics. */
export interface ColumnOrigin {
  /** An upper bound of the distinct values: the statistics' count or integer range, else the table's rows. */
  readonly ndv: number;
  readonly stats?: ColumnStatistics;
}

function tableRows(table: TableRef): number | undefined {
  return table.statistics?.rowCount ?? table.rowCount;
}

function columnStatistics(table: TableRef, tableIndex: number): ColumnStatistics | undefined {
  const name = table.columns[tableIndex]?.name;
  return name === undefined ? undefined : table.statistics?.columns?.[name];
}

/** max − min + 1 for integer-valued statistics (integers, dates, decimals' unscaled values). */
function rangeWidth(stats: ColumnStatistics | undefined): number | undefined {
  // A sample's range is narrower than the column's: it bounds nothing.
  if (stats?.sampled) return undefined;
  if (typeof stats?.min !== 'number' || typeof stats.max !== 'number') return undefined;
  if (!Number.isInteger(stats.min) || !Number.isInteger(stats.max)) return undefined;
  return stats.max - stats.min + 1;
}

function tableColumnOrigin(table: TableRef, tableIndex: number): ColumnOrigin {
  const stats = columnStatistics(table, tableIndex);
  const bounds = [stats?.distinctCount, rangeWidth(stats), tableRows(table)].filter(
    (n): n is number => n !== undefined,
  );
  const ndv = bounds.length ? Math.max(1, Math.min(...bounds)) : DEFAULT_TABLE_ROWS;
  return stats ? { ndv, stats } : { ndv };
}

const clamp = (s: number) => Math.min(1, Math.max(0, s));

function isLiteral(e: Expr): e is Expr & { kind: 'literal' } {
  return e.kind === 'literal';
}

/**
 * Row-count estimation from statistics (TableRef.statistics, TableRef.rowCount) with default
 * selectivities where they are missing. One estimator serves the optimizer (join order) and
 * the physical planner (build sides, broadcasts, EXPLAIN), so both always agree. Results are
 * memoized per plan node: plans are immutable.
 */
export class CardinalityEstimator {
  private readonly cache = new WeakMap<LogicalPlan, RowEstimate>();

  estimate(plan: LogicalPlan): RowEstimate {
    let found = this.cache.get(plan);
    if (!found) {
      found = this.compute(plan);
      this.cache.set(plan, found);
    }
    return found;
  }

  rows(plan: LogicalPlan): number {
    return this.estimate(plan).rows;
  }

  /**
   * The origin of an expression over `plan`'s output. Its distinct-value bound is the
   * column's domain (from the table), not capped by the rows left after filters: join
   * estimates need the domain, and cap each side by its own rows themselves.
   */
  exprOrigin(plan: LogicalPlan, expr: Expr): ColumnOrigin {
    if (expr.kind !== 'column') return { ndv: Math.max(1, this.rows(plan)) };
    const index = expr.index;
    switch (plan.kind) {
      case 'scan':
        // A pushed scan's columns may come from joined tables or be aggregates.
        if (plan.pushed) return { ndv: Math.max(1, this.rows(plan)) };
        return tableColumnOrigin(plan.table, plan.columns[index]);
      case 'filter':
      case 'sort':
      case 'limit':
        return this.exprOrigin(plan.input, expr);
      case 'project':
        return this.exprOrigin(plan.input, plan.exprs[index]);
      case 'aggregate':
        return index < plan.groupBy.length
          ? this.exprOrigin(plan.input, plan.groupBy[index])
          : { ndv: Math.max(1, this.rows(plan)) };
      case 'join': {
        const leftWidth = plan.left.schema.length;
        if (index < leftWidth) return this.exprOrigin(plan.left, expr);
        return this.exprOrigin(plan.right, { ...expr, index: index - leftWidth });
      }
      default:
        return { ndv: Math.max(1, this.rows(plan)) };
    }
  }

  private compute(plan: LogicalPlan): RowEstimate {
    switch (plan.kind) {
      case 'scan':
        return this.scan(plan);
      case 'values':
        return { rows: plan.rows.length, known: true };
      case 'filter': {
        const input = this.estimate(plan.input);
        const s = this.selectivity(plan.predicate, (e) => this.exprOrigin(plan.input, e), input.rows);
        return { rows: input.rows * s, known: input.known };
      }
      case 'project':
      case 'sort':
        return this.estimate(plan.input);
      case 'limit': {
        const input = this.estimate(plan.input);
        if (plan.limit === null) return { rows: Math.max(0, input.rows - plan.offset), known: input.known };
        return { rows: Math.min(plan.limit, Math.max(0, input.rows - plan.offset)), known: true };
      }
      case 'aggregate': {
        const input = this.estimate(plan.input);
        if (plan.groupBy.length === 0) return { rows: 1, known: true };
        // Without a distinct count, a key is assumed to repeat ten times on average.
        let groups = 1;
        for (const key of plan.groupBy) {
          const origin = this.exprOrigin(plan.input, key);
          const distinct = origin.stats?.distinctCount ?? rangeWidth(origin.stats);
          groups *= Math.min(origin.ndv, distinct ?? Math.max(1, input.rows * DEFAULT_SELECTIVITY.equality));
        }
        return { rows: Math.max(1, Math.min(input.rows, groups)), known: input.known };
      }
      case 'join':
        return this.join(plan);
      case 'union': {
        const parts = plan.inputs.map((input) => this.estimate(input));
        return {
          rows: parts.reduce((sum, p) => sum + p.rows, 0),
          known: parts.every((p) => p.known),
        };
      }
      case 'expand': {
        const input = this.estimate(plan.input);
        return { rows: input.rows * plan.sets.length, known: input.known };
      }
      default: {
        // A node kind this estimator does not know yet: as many rows as its first input.
        const inputs = planInputs(plan);
        return inputs.length ? this.estimate(inputs[0]) : { rows: DEFAULT_TABLE_ROWS, known: false };
      }
    }
  }

  private scan(plan: ScanNode): RowEstimate {
    if (plan.pushed) return this.pushedScan(plan);
    const base = tableRows(plan.table);
    const rows = base ?? DEFAULT_TABLE_ROWS;
    const origin = (e: Expr): ColumnOrigin =>
      e.kind === 'column' ? tableColumnOrigin(plan.table, e.index) : { ndv: Math.max(1, rows) };
    let estimated = rows;
    if (plan.filters.length > 0) estimated *= this.conjunctionSelectivity(plan.filters, origin, rows);
    if (plan.limit !== null) estimated = Math.min(estimated, plan.limit);
    return { rows: estimated, known: base !== undefined || plan.limit !== null };
  }

  /**
   * A scan whose source joins or aggregates: its own table's rows under the filters on that
   * table (joins pushed are inner joins, mostly along foreign keys), one row a split without
   * group keys, and the rows as an upper bound with them.
   */
  private pushedScan(plan: ScanNode): RowEstimate {
    const base = tableRows(plan.table);
    const rows = base ?? DEFAULT_TABLE_ROWS;
    const width = plan.table.columns.length;
    const own = plan.filters.filter((f) => [...referencedColumns(f)].every((c) => c < width));
    const origin = (e: Expr): ColumnOrigin =>
      e.kind === 'column' ? tableColumnOrigin(plan.table, e.index) : { ndv: Math.max(1, rows) };
    let estimated = rows;
    if (own.length > 0) estimated *= this.conjunctionSelectivity(own, origin, rows);
    const aggregate = plan.pushed?.aggregate;
    if (aggregate && aggregate.groupBy.length === 0) return { rows: 1, known: true };
    if (plan.limit !== null) estimated = Math.min(estimated, plan.limit);
    return { rows: estimated, known: false };
  }

  private join(plan: LogicalPlan & { kind: 'join' }): RowEstimate {
    const left = this.estimate(plan.left);
    const right = this.estimate(plan.right);
    const known = left.known && right.known;
    const leftWidth = plan.left.schema.length;
    const inner = (): number => {
      const conjuncts = plan.condition ? splitConjunction(plan.condition) : [];
      const sides = (e: Expr) => {
        const cols = [...referencedColumns(e)];
        return {
          left: cols.some((c) => c < leftWidth),
          right: cols.some((c) => c >= leftWidth),
        };
      };
      const pairs: { l: Expr; r: Expr }[] = [];
      let residual = 1;
      for (const c of conjuncts) {
        if (c.kind === 'call' && c.fn === 'eq' && c.args.length === 2) {
          const [a, b] = c.args;
          const sa = sides(a);
          const sb = sides(b);
          if (sa.left && !sa.right && sb.right && !sb.left) {
            pairs.push({ l: a, r: b });
            continue;
          }
          if (sb.left && !sb.right && sa.right && !sa.left) {
            pairs.push({ l: b, r: a });
            continue;
          }
        }
        residual *= this.selectivity(
          c,
          this.joinOrigin(plan, left.rows * right.rows),
          left.rows * right.rows,
        );
      }
      const keys = pairs.map((p) => ({
        left: this.exprOrigin(plan.left, p.l),
        right: this.exprOrigin(
          plan.right,
          remapColumns(p.r, (i) => i - leftWidth),
        ),
      }));
      return equiJoinRows(left.rows, right.rows, keys) * residual;
    };
    switch (plan.joinType) {
      case 'cross':
        return { rows: left.rows * right.rows * (plan.condition ? this.crossResidual(plan) : 1), known };
      case 'inner':
        return { rows: inner(), known };
      case 'left':
        return { rows: Math.max(left.rows, inner()), known };
      case 'right':
        return { rows: Math.max(right.rows, inner()), known };
      case 'full':
        return { rows: Math.max(left.rows, right.rows, inner()), known };
      case 'semi':
        return { rows: Math.min(left.rows, inner()), known: left.known };
      case 'anti':
        return {
          rows: Math.max(left.rows * DEFAULT_SELECTIVITY.equality, left.rows - inner()),
          known: left.known,
        };
      case 'mark':
      case 'single':
        // Each left row once, with a mark or the subquery's value.
        return { rows: left.rows, known: left.known };
    }
  }

  private crossResidual(plan: LogicalPlan & { kind: 'join' }): number {
    const rows = this.rows(plan.left) * this.rows(plan.right);
    return plan.condition ? this.selectivity(plan.condition, this.joinOrigin(plan, rows), rows) : 1;
  }

  /**
   * Origins of expressions over a join's output while the join itself is being estimated: an
   * expression that is no plain column (`a.x + b.y`) is bounded by the pairs, never by the
   * join's own estimate, which is what is being computed.
   */
  private joinOrigin(plan: LogicalPlan & { kind: 'join' }, pairs: number): (e: Expr) => ColumnOrigin {
    return (e) => (e.kind === 'column' ? this.exprOrigin(plan, e) : { ndv: Math.max(1, pairs) });
  }

  /**
   * The fraction of rows all of `conjuncts` keep: independent, so their selectivities
   * multiply, except that a lower and an upper bound of one column (`d >= x AND d < y`, a
   * BETWEEN) are one range, whose share is s_low + s_high − 1 (as PostgreSQL's
   * clauselist_selectivity combines them), not their product.
   */
  conjunctionSelectivity(
    conjuncts: readonly Expr[],
    origin: (e: Expr) => ColumnOrigin,
    rows: number,
  ): number {
    const flat = conjuncts.flatMap((c) => splitConjunction(c));
    const ranges = new Map<number, { low?: number; high?: number }>();
    let product = 1;
    for (const c of flat) {
      const bound = columnBound(c);
      const stats = bound ? origin(bound.column).stats : undefined;
      if (!bound || !rangeStatistics(stats, bound.value)) {
        product *= this.selectivity(c, origin, rows);
        continue;
      }
      const share = rangeSelectivity(stats, bound.op, bound.value);
      const entry = ranges.get(bound.column.index) ?? {};
      const side = bound.op === 'lt' || bound.op === 'lte' ? 'high' : 'low';
      entry[side] = Math.min(entry[side] ?? 1, share);
      ranges.set(bound.column.index, entry);
    }
    for (const { low, high } of ranges.values()) {
      if (low !== undefined && high !== undefined)
        product *= Math.max(low + high - 1, Math.min(low, high) * RANGE_FLOOR);
      else product *= low ?? high ?? 1;
    }
    return product;
  }

  /**
   * The fraction of rows a predicate keeps. `origin` tells what is known of an expression's
   * values (for a column: its distinct count and statistics); `rows` is the input's size.
   */
  selectivity(predicate: Expr, origin: (e: Expr) => ColumnOrigin, rows: number): number {
    const s = (e: Expr): number => this.selectivity(e, origin, rows);
    switch (predicate.kind) {
      case 'literal':
        return predicate.value === true ? 1 : 0;
      case 'in-list': {
        if (isLiteral(predicate.expr)) return DEFAULT_SELECTIVITY.other;
        const one = equalitySelectivity(origin(predicate.expr));
        const matched = clamp(one * predicate.list.length);
        return predicate.negated ? 1 - matched : matched;
      }
      case 'like':
        return predicate.negated ? 1 - DEFAULT_SELECTIVITY.like : DEFAULT_SELECTIVITY.like;
      case 'is-null': {
        const stats = origin(predicate.expr).stats;
        const nulls =
          stats?.nullCount !== undefined && rows > 0
            ? clamp(stats.nullCount / rows)
            : DEFAULT_SELECTIVITY.isNull;
        return predicate.negated ? 1 - nulls : nulls;
      }
      case 'call':
        break;
      default:
        return DEFAULT_SELECTIVITY.other;
    }
    const { fn, args } = predicate;
    switch (fn) {
      case 'and':
        return this.conjunctionSelectivity(args, origin, rows);
      case 'or':
        return 1 - args.reduce((acc, a) => acc * (1 - s(a)), 1);
      case 'not':
        return 1 - s(args[0]);
      case 'eq':
      case 'neq': {
        const [a, b] = args;
        let eq: number;
        if (isLiteral(a) || isLiteral(b)) {
          const value = isLiteral(a) ? b : a;
          eq = isLiteral(value) ? DEFAULT_SELECTIVITY.other : equalitySelectivity(origin(value));
        } else {
          // Two columns of one input: as a join key would match.
          eq = 1 / Math.max(origin(a).ndv, origin(b).ndv, 1);
        }
        return fn === 'eq' ? eq : 1 - eq;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const [a, b] = args;
        if (isLiteral(b) && !isLiteral(a)) return rangeSelectivity(origin(a).stats, fn, b.value);
        if (isLiteral(a) && !isLiteral(b)) return rangeSelectivity(origin(b).stats, FLIPPED[fn], a.value);
        return DEFAULT_SELECTIVITY.range;
      }
      default:
        return DEFAULT_SELECTIVITY.other;
    }
  }
}

const FLIPPED = { lt: 'gt', lte: 'gte', gt: 'lt', gte: 'lte' } as const;

/** The least share a range of a column keeps relative to its bounds' shares, when they barely overlap. */
const RANGE_FLOOR = 0.01;

type RangeOp = 'lt' | 'lte' | 'gt' | 'gte';

/** `column op literal` (either way round) as a bound of a column, or undefined. */
function columnBound(
  e: Expr,
): { column: Expr & { kind: 'column' }; op: RangeOp; value: LiteralValue } | undefined {
  if (e.kind !== 'call' || e.args.length !== 2) return undefined;
  if (e.fn !== 'lt' && e.fn !== 'lte' && e.fn !== 'gt' && e.fn !== 'gte') return undefined;
  const [a, b] = e.args;
  if (a.kind === 'column' && isLiteral(b)) return { column: a, op: e.fn, value: b.value };
  if (b.kind === 'column' && isLiteral(a)) return { column: b, op: FLIPPED[e.fn], value: a.value };
  return undefined;
}

/** Whether statistics let a range on `value` be interpolated (numeric bounds of a numeric literal). */
function rangeStatistics(stats: ColumnStatistics | undefined, value: LiteralValue): boolean {
  return (
    typeof stats?.min === 'number' &&
    typeof stats.max === 'number' &&
    typeof value === 'number' &&
    stats.max > stats.min
  );
}

/** 1/ndv when statistics count the distinct values; else the default, or more for a column of few rows. */
function equalitySelectivity(origin: ColumnOrigin): number {
  const distinct = origin.stats?.distinctCount;
  if (distinct !== undefined) return 1 / Math.max(1, distinct);
  return Math.max(1 / Math.max(1, origin.ndv), DEFAULT_SELECTIVITY.equality);
}

/**
 * Interpolates within [min, max] when the statistics have them and the literal is a number:
 * counting values when all three are integers, as a continuous share otherwise.
 */
function rangeSelectivity(
  stats: ColumnStatistics | undefined,
  op: 'lt' | 'lte' | 'gt' | 'gte',
  value: LiteralValue,
): number {
  const { min, max } = stats ?? {};
  if (typeof min !== 'number' || typeof max !== 'number' || typeof value !== 'number' || max <= min)
    return DEFAULT_SELECTIVITY.range;
  let share: number;
  if (Number.isInteger(min) && Number.isInteger(max) && Number.isInteger(value)) {
    // Integer-valued domains (integers, DATE days, DECIMAL unscaled): count the values each
    // side, so that `x >= 5 AND x <= 7` over 0..10 keeps 3/11, not 2/10.
    const width = max - min + 1;
    const atMost = (v: number) => clamp((v - min + 1) / width);
    share =
      op === 'lt'
        ? atMost(value - 1)
        : op === 'lte'
          ? atMost(value)
          : op === 'gt'
            ? 1 - atMost(value)
            : 1 - atMost(value - 1);
  } else {
    const below = clamp((value - min) / (max - min));
    share = op === 'lt' || op === 'lte' ? below : 1 - below;
  }
  if (!stats?.sampled) return share;
  // Bounds seen in a sample are not the column's: beyond them some rows may still lie.
  const tail = 1 / Math.max(2, 2 * (stats.distinctCount ?? 100));
  return Math.min(1 - tail, Math.max(tail, share));
}

/**
 * |L ⋈ R| on equi-keys ≈ |L|·|R| / max(ndv(L.keys), ndv(R.keys)) (the containment assumption).
 * Each side's distinct keys are bounded by its rows, and both by the smaller of the two
 * tables' domains: in a key–foreign-key join the key side's distinct count also bounds the
 * referencing side's, which the referencing table's own row count badly overstates when no
 * statistics say otherwise. Several key pairs: the distinct combinations, bounded by the rows.
 */
export function equiJoinRows(
  leftRows: number,
  rightRows: number,
  keys: readonly { left: { ndv: number }; right: { ndv: number } }[],
): number {
  if (keys.length === 0) return leftRows * rightRows;
  let leftNdv = 1;
  let rightNdv = 1;
  for (const k of keys) {
    const domain = Math.min(k.left.ndv, k.right.ndv);
    leftNdv *= Math.min(domain, Math.max(1, leftRows));
    rightNdv *= Math.min(domain, Math.max(1, rightRows));
  }
  leftNdv = Math.min(leftNdv, Math.max(1, leftRows));
  rightNdv = Math.min(rightNdv, Math.max(1, rightRows));
  return (leftRows * rightRows) / Math.max(leftNdv, rightNdv, 1);
}

/** The one estimator of a plan's rows; see CardinalityEstimator. */
export function estimateCardinality(plan: LogicalPlan): RowEstimate {
  return new CardinalityEstimator().estimate(plan);
}
