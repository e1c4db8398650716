import { BIGINT, DOUBLE, HUGEINT, type SqlType } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  HIGH_HALF,
  literal,
  LOW_HALF,
  project,
  sqliteScanStatement,
  transformPlan,
  type AggregateCall,
  type AggregateNode,
  type Expr,
  type Field,
  type LogicalPlan,
  type ScanNode,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';
import { overScanInput, sqliteScanUnder } from './sqlite-scan-under.ts';

/** How one aggregate of the query is split into partial aggregates (in SQLite) and a merge (in the engine). */
interface Decomposed {
  readonly partials: readonly AggregateCall[];
  /** The merge over the partials' columns (`first` is the index of its first partial among the scan's outputs). */
  readonly merge: (first: number) => {
    readonly finals: readonly AggregateCall[];
    readonly result: (firstFinal: number) => Expr;
  };
}

function sum(arg: Expr, type = arg.type): AggregateCall {
  return { fn: 'sum', arg, distinct: false, type };
}

const ref = (i: number, type: SqlType): Expr => column(i, `partial_${i}`, type);

function asDouble(expr: Expr): Expr {
  return { kind: 'cast', expr, type: DOUBLE };
}

/** An integer sum in SQLite as the partial sums of the values' high and low 32-bit halves (no overflow). */
function integerHalves(arg: Expr): AggregateCall[] {
  return [
    { ...sum(arg, BIGINT), param: HIGH_HALF },
    { ...sum(arg, BIGINT), param: LOW_HALF },
  ];
}

/** The merge of the two halves' partial sums starting at `first`, in HUGEINT. */
function halvesMerged(first: number): AggregateCall[] {
  return [sum(ref(first, BIGINT), HUGEINT), sum(ref(first + 1, BIGINT), HUGEINT)];
}

/** high · 2^32 + low, from the merged halves at `f` and `f + 1`. */
function halvesTotal(f: number): Expr {
  return call(
    'add',
    [call('multiply', [ref(f, HUGEINT), literal(4294967296, HUGEINT)], HUGEINT), ref(f + 1, HUGEINT)],
    HUGEINT,
  );
}

/**
 * The partial/merge form of an aggregate whose per-split results merge exactly:
 * COUNT → sums of counts (cast back to BIGINT, 0 when no split had rows), SUM → sum of
 * sums, MIN/MAX → min/max of them, AVG → sum of sums over sum of counts. Others (DISTINCT,
 * statistics, ordered aggregates) do not move.
 */
function decompose(agg: AggregateCall, arg: Expr | null): Decomposed | undefined {
  if (agg.distinct || agg.arg2 || agg.orderBy?.length || agg.param !== undefined) return undefined;
  switch (agg.fn) {
    case 'count_star':
    case 'count': {
      const partial: AggregateCall = { fn: agg.fn, arg, distinct: false, type: BIGINT };
      return {
        partials: [partial],
        merge: (first) => ({
          finals: [sum(ref(first, BIGINT), HUGEINT)],
          result: (f) =>
            call(
              'coalesce',
              [{ kind: 'cast', expr: ref(f, HUGEINT), type: BIGINT }, literal(0, BIGINT)],
              BIGINT,
            ),
        }),
      };
    }
    case 'min':
    case 'max':
      return {
        partials: [{ ...agg, arg }],
        merge: (first) => ({
          finals: [{ ...agg, arg: ref(first, agg.type) }],
          result: (f) => ref(f, agg.type),
        }),
      };
    case 'sum': {
      if (!arg) return undefined;
      if (arg.type.kind === 'DOUBLE')
        return {
          partials: [sum(arg, DOUBLE)],
          merge: (first) => ({
            finals: [sum(ref(first, DOUBLE), DOUBLE)],
            result: (f) => ref(f, DOUBLE),
          }),
        };
      if (agg.type.kind !== 'HUGEINT') return undefined;
      return {
        partials: integerHalves(arg),
        merge: (first) => ({
          finals: halvesMerged(first),
          result: (f) => halvesTotal(f),
        }),
      };
    }
    case 'avg': {
      if (!arg || agg.type.kind !== 'DOUBLE') return undefined;
      const count: AggregateCall = { fn: 'count', arg, distinct: false, type: BIGINT };
      if (arg.type.kind === 'DOUBLE')
        return {
          partials: [sum(arg, DOUBLE), count],
          merge: (first) => ({
            finals: [sum(ref(first, DOUBLE), DOUBLE), sum(ref(first + 1, BIGINT), HUGEINT)],
            result: (f) => call('divide', [ref(f, DOUBLE), asDouble(ref(f + 1, HUGEINT))], DOUBLE),
          }),
        };
      return {
        partials: [...integerHalves(arg), count],
        merge: (first) => ({
          finals: [...halvesMerged(first), sum(ref(first + 2, BIGINT), HUGEINT)],
          result: (f) => call('divide', [asDouble(halvesTotal(f)), asDouble(ref(f + 2, HUGEINT))], DOUBLE),
        }),
      };
    }
    default:
      return undefined;
  }
}

/**
 * Aggregate over (projections and filters over) a sqlite scan → the scan computes a
 * partial aggregate per split in its statement (GROUP BY and aggregates in SQLite), and an
 * Aggregate in the engine merges the splits' groups; a projection on top restores the
 * query's names and types. Splits stay: a rowid-range split's groups are partial results,
 * merged like the engine's own partial aggregates, so a big table is still read in
 * parallel by several executors, and the rows leaving SQLite are one per group a split.
 * Only what SQLite computes with exactly the engine's types and values moves (see
 * sqlite-statement.ts in libs/plan): otherwise the plan stays as it was.
 */
export const pushAggregateIntoSqliteScan: OptimizerRule = {
  name: 'push_aggregate_into_sqlite_scan',
  rewrite(plan, ctx) {
    if (!ctx.scanPushdown) return { plan, changed: false };
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'aggregate') return node;
      const pushed = pushAggregate(node);
      if (!pushed) return node;
      changed = true;
      return pushed;
    });
    return { plan: rewritten, changed };
  },
};

function pushAggregate(node: AggregateNode): LogicalPlan | undefined {
  const under = sqliteScanUnder(node.input, true);
  if (!under) return undefined;
  const groupBy = node.groupBy.map((g) => overScanInput(g, under.outputs));
  const decomposed: Decomposed[] = [];
  for (const a of node.aggregates) {
    const d = decompose(a, a.arg && overScanInput(a.arg, under.outputs));
    if (!d) return undefined;
    decomposed.push(d);
  }
  const partials = decomposed.flatMap((d) => d.partials);
  const keys = groupBy.length;
  const partialFields: Field[] = [
    ...node.schema.slice(0, keys).map((f) => ({ ...f, nullable: true })),
    ...partials.map((p, i): Field => ({ name: `partial_${keys + i}`, type: p.type, nullable: true })),
  ];
  const scan: ScanNode = {
    ...under.scan,
    columns: [],
    filters: [...under.scan.filters, ...under.filters],
    schema: partialFields,
    pushed: {
      joins: under.scan.pushed?.joins ?? [],
      aggregate: { groupBy, aggregates: partials },
      orderBy: [],
    },
  };
  if (!sqliteScanStatement(scan)) return undefined;
  const finals: AggregateCall[] = [];
  const results: ((first: number) => Expr)[] = [];
  const firsts: number[] = [];
  let nextPartial = keys;
  for (const d of decomposed) {
    const merged = d.merge(nextPartial);
    nextPartial += d.partials.length;
    firsts.push(keys + finals.length);
    finals.push(...merged.finals);
    results.push(merged.result);
  }
  const finalKeys = partialFields.slice(0, keys).map((f, i) => column(i, f.name, f.type));
  const merged = aggregate(scan, finalKeys, finals, [
    ...partialFields.slice(0, keys).map((f) => f.name),
    ...finals.map((_, i) => `partial_${keys + i}`),
  ]);
  const exprs: Expr[] = [
    ...finalKeys,
    ...results.map((result, i) => renameColumns(result(firsts[i]), merged.schema)),
  ];
  return project(
    merged,
    exprs,
    node.schema.map((f) => f.name),
    node.schema.map((f) => f.qualifier),
  );
}

/** Column names in `expr` as `schema` has them (display only). */
function renameColumns(expr: Expr, schema: readonly Field[]): Expr {
  return expr.kind === 'column' ? { ...expr, name: schema[expr.index].name } : expr;
}
