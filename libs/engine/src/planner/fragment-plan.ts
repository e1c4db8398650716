import {
  column,
  needsAllValues,
  exprToString,
  remapColumns,
  referencedColumns,
  type AggregateCall,
  type Expr,
  type Field,
  type ScanNode,
  type SortKey,
} from '@tributary/plan';
import {
  physicalChildren,
  type DistributedPlan,
  type ExchangeKind,
  type PhysicalAggregate,
  type PhysicalHashJoin,
  type PhysicalNode,
  type PhysicalUnion,
  type PhysicalWindow,
  type ResultPlan,
  type SplitInfo,
  type StageOutput,
  type StagePlan,
  type StageTasks,
} from '@tributary/protocol';
import { partialAggregateSchema } from '../operators/hash-aggregate.ts';
import { extractEquiKeys } from '../operators/hash-join-keys.ts';
import { BROADCAST_COST_CAP, PROBE_PRESERVING, broadcastPays } from './join-distribution.ts';

export interface FragmentOptions {
  /** Partitions of every hash exchange: the cluster's task slots (executor threads). */
  readonly partitions: number;
  /** A join's build side estimated at no more rows than this is broadcast, not shuffled. */
  readonly broadcastRowLimit: number;
  /** The splits of a scan, grouped into tasks. */
  splitGroups(scan: ScanNode): readonly (readonly SplitInfo[])[];
}

/**
 * How the rows of an open fragment are spread over its tasks:
 * - splits: each task reads some splits of the fragment's scan;
 * - partitioned: each of `count` tasks holds the rows whose `keys` hash to it (keys null:
 *   partitioned, but by nothing the planner can use);
 * - single: one task holds every row.
 */
type Distribution =
  | { readonly kind: 'splits'; readonly scan: ScanNode }
  | { readonly kind: 'partitioned'; readonly keys: readonly Expr[] | null; readonly count: number }
  | { readonly kind: 'single' };

/** A stage being built: its plan so far, how its rows are spread, the stages it reads. */
interface Fragment {
  readonly node: PhysicalNode;
  readonly dist: Distribution;
  readonly inputs: readonly number[];
}

const SINGLE: Distribution = { kind: 'single' };

const sameExprs = (a: readonly Expr[], b: readonly Expr[]) =>
  a.length === b.length && a.every((e, i) => exprToString(e) === exprToString(b[i]));

/**
 * Cuts a physical plan into stages at exchanges, in one place, the way Ballista's
 * `plan_query_stages` and Trino's PlanFragmenter do: wherever an operator needs its input
 * spread differently from how it is (by a join or group key, or all in one task), the
 * fragment below is closed as a stage whose output is a shuffle, broadcast, gather or
 * sorted merge, and a new fragment reads it. Joins broadcast a small build side and shuffle
 * both sides by key otherwise; aggregations run partial, shuffle by group key, then final;
 * sorts sort locally and merge. What remains above the last stage for the coordinator is
 * only merging streams, offset/limit and dropping columns (ResultPlan).
 */
export function fragmentPlan(root: PhysicalNode, options: FragmentOptions): DistributedPlan {
  return new Fragmenter(options).plan(root);
}

class Fragmenter {
  private readonly stages: StagePlan[] = [];

  constructor(private readonly options: FragmentOptions) {}

  plan(root: PhysicalNode): DistributedPlan {
    let node = root;
    let columns = root.schema.map((_, i) => i);
    // A projection that only picks columns (ORDER BY keys the SELECT list drops) stays above the merge.
    if (node.kind === 'project' && node.filter === null && node.exprs.every((e) => e.kind === 'column')) {
      const below = node.input;
      if (below.kind === 'top-n' || below.kind === 'sort' || below.kind === 'limit') {
        columns = node.exprs.map((e) => (e as Expr & { kind: 'column' }).index);
        node = below;
      }
    }
    let fragment: Fragment;
    let result: ResultPlan;
    if (node.kind === 'top-n') {
      const input = this.visit(node.input);
      const local: PhysicalNode = { ...node, input: input.node, limit: node.limit + node.offset, offset: 0 };
      fragment = { ...input, node: local };
      result = { read: 'merge', orderBy: node.keys, limit: node.limit, offset: node.offset, columns };
    } else if (node.kind === 'sort') {
      const input = this.visit(node.input);
      fragment = { ...input, node: { ...node, input: input.node } };
      result = { read: 'merge', orderBy: node.keys, limit: null, offset: 0, columns };
    } else if (node.kind === 'limit' && node.input.kind === 'sort' && node.limit !== null) {
      // A limit too big for a top-N: each task sorts and keeps its first limit+offset rows.
      const sort = node.input;
      const input = this.visit(sort.input);
      const sorted: PhysicalNode = { ...sort, input: input.node };
      const local: PhysicalNode = { ...node, input: sorted, limit: node.limit + node.offset, offset: 0 };
      fragment = { ...input, node: local };
      result = { read: 'merge', orderBy: sort.keys, limit: node.limit, offset: node.offset, columns };
    } else if (node.kind === 'limit') {
      const input = this.visit(node.input);
      const local: PhysicalNode =
        node.limit === null
          ? input.node
          : { ...node, input: input.node, limit: node.limit + node.offset, offset: 0 };
      fragment = { ...input, node: local };
      const read = keepsFileOrder(node.input, input.dist) ? 'in-order' : 'any';
      result = { read, limit: node.limit, offset: node.offset, columns };
    } else {
      fragment = this.visit(node);
      const read = keepsFileOrder(node, fragment.dist) ? 'in-order' : 'any';
      result = { read, limit: null, offset: 0, columns };
    }
    this.close(fragment, { kind: 'result' });
    return { stages: this.stages, result, schema: root.schema };
  }

  private visit(node: PhysicalNode): Fragment {
    switch (node.kind) {
      case 'scan':
        return { node, dist: { kind: 'splits', scan: node.scan }, inputs: [] };
      case 'values':
        return { node, dist: SINGLE, inputs: [] };
      case 'exchange':
        // Exchanges are made here only; a plan given with one is a caller's mistake.
        throw new Error('fragmentPlan takes a plan without exchanges');
      case 'filter':
      case 'replicate':
      case 'unnest':
      case 'expand': {
        // Row by row: copies of a row stay in its task, so the distribution holds.
        const input = this.visit(node.input);
        return { ...input, node: { ...node, input: input.node } };
      }
      case 'union':
        return this.union(node);
      case 'project': {
        const input = this.visit(node.input);
        return {
          node: { ...node, input: input.node },
          dist: throughProjection(input.dist, node.exprs),
          inputs: input.inputs,
        };
      }
      case 'aggregate':
        return this.aggregate(node);
      case 'hash-join':
        return this.join(node);
      case 'window':
        return this.window(node);
      case 'sort':
      case 'top-n':
      case 'limit':
        return this.ordered(node);
    }
  }

  /** A sort, top-N or limit below the top: each task does its part, one task finishes. */
  private ordered(node: PhysicalNode & { kind: 'sort' | 'top-n' | 'limit' }): Fragment {
    const input = this.visit(node.input);
    if (input.dist.kind === 'single') return { ...input, node: { ...node, input: input.node } };
    if (node.kind === 'sort') {
      const id = this.close({ ...input, node: { ...node, input: input.node } }, { kind: 'single' });
      return { node: this.exchange(id, 'merge', node.schema, node.keys), dist: SINGLE, inputs: [id] };
    }
    if (node.kind === 'top-n') {
      const local: PhysicalNode = { ...node, input: input.node, limit: node.limit + node.offset, offset: 0 };
      const id = this.close({ ...input, node: local }, { kind: 'single' });
      const merged = this.exchange(id, 'merge', node.schema, node.keys);
      const limited: PhysicalNode = {
        kind: 'limit',
        input: merged,
        limit: node.limit,
        offset: node.offset,
        schema: node.schema,
      };
      return { node: limited, dist: SINGLE, inputs: [id] };
    }
    const local: PhysicalNode =
      node.limit === null
        ? input.node
        : { ...node, input: input.node, limit: node.limit + node.offset, offset: 0 };
    const id = this.close({ ...input, node: local }, { kind: 'single' });
    const gathered = this.exchange(id, 'gather', node.schema);
    return { node: { ...node, input: gathered }, dist: SINGLE, inputs: [id] };
  }

  private aggregate(node: PhysicalAggregate): Fragment {
    const rewritten = splitSingleDistinct(node);
    if (rewritten) return this.visit(rewritten);
    if (node.input.kind === 'union') {
      const overUnion = this.aggregateOverUnion(node, node.input);
      if (overUnion) return overUnion;
    }
    const input = this.visit(node.input);
    const keys = node.groupBy.map((g, i) => column(i, node.schema[i].name, g.type));
    if (input.dist.kind === 'single') return { ...input, node: { ...node, input: input.node } };
    if (partitionedWithin(input.dist, node.groupBy)) {
      // Every task would make the ensured groups: only a single task or a final merge may.
      const { ensuredGroups: _, ...each } = node;
      // Still partitioned by the input's keys (some of the group keys), not by all of them:
      // a join on all of them must shuffle to meet rows hashed by all of them.
      const position = new Map(node.groupBy.map((g, i) => [exprToString(g), i]));
      const inputKeys = input.dist.keys ?? [];
      const outputKeys = inputKeys.map((k) => keys[position.get(exprToString(k))!]);
      return {
        node: { ...each, input: input.node },
        dist: { kind: 'partitioned', keys: outputKeys, count: input.dist.count },
        inputs: input.inputs,
      };
    }
    const global = node.groupBy.length === 0;
    const final = (exchanged: PhysicalNode, mode: 'final' | 'single'): PhysicalNode => ({
      ...node,
      input: exchanged,
      mode,
    });
    if (node.aggregates.some(needsAllValues)) {
      // DISTINCT, quantile and ordered string_agg states do not merge: every row of a group
      // must meet in one task.
      const id = global
        ? this.close(input, { kind: 'single' })
        : this.close(input, { kind: 'hash', keys: node.groupBy, partitions: this.options.partitions });
      const exchanged = this.exchange(id, global ? 'gather' : 'hash', node.input.schema);
      const { ensuredGroups: _, ...each } = final(exchanged, 'single') as PhysicalAggregate;
      return this.afterAggregate(each, keys, [id]);
    }
    const partialSchema = partialAggregateSchema(node.groupBy, node.aggregates);
    const partial: PhysicalNode = { ...node, input: input.node, mode: 'partial', schema: partialSchema };
    const partialKeys = node.groupBy.map((g, i) => column(i, partialSchema[i].name, g.type));
    const id = global
      ? this.close({ ...input, node: partial }, { kind: 'single' })
      : this.close(
          { ...input, node: partial },
          { kind: 'hash', keys: partialKeys, partitions: this.options.partitions },
        );
    const exchanged = this.exchange(id, global ? 'gather' : 'hash', partialSchema);
    return this.afterAggregate(final(exchanged, 'final'), keys, [id]);
  }

  /**
   * A window needs every row of a partition in one task: rows are shuffled by the
   * PARTITION BY keys (or all gathered into one task without any), then each task sorts its
   * rows and computes its partitions. Input columns pass through, so the output stays
   * partitioned by the same keys.
   */
  private window(node: PhysicalWindow): Fragment {
    const sort = node.input.kind === 'sort' ? node.input : undefined;
    const below = sort ? sort.input : node.input;
    const input = this.visit(below);
    const rebuild = (f: Fragment): PhysicalNode => ({
      ...node,
      input: sort ? { ...sort, input: f.node } : f.node,
    });
    if (input.dist.kind === 'single') return { ...input, node: rebuild(input) };
    if (node.partitionBy.length === 0) {
      const gathered = this.gathered(input);
      return { ...gathered, node: rebuild(gathered) };
    }
    const shuffled = partitionedWithin(input.dist, node.partitionBy)
      ? input
      : this.partitionedBy(input, node.partitionBy, below.schema);
    return { ...shuffled, node: rebuild(shuffled) };
  }

  /**
   * UNION ALL never funnels rows through one task: every branch becomes a stage of its own
   * (running in parallel on all executors) that hash-partitions its rows by all their
   * columns, and each task of the union's fragment reads its partition of every branch.
   * Equal rows thus meet in one task, so a DISTINCT, INTERSECT or EXCEPT aggregate above
   * needs no further shuffle. Branches all in one task already stay together there.
   */
  private union(node: PhysicalUnion): Fragment {
    const branches = node.inputs.map((input) => this.visit(input));
    if (branches.every((b) => b.dist.kind === 'single'))
      return {
        node: { ...node, inputs: branches.map((b) => b.node) },
        dist: SINGLE,
        inputs: branches.flatMap((b) => b.inputs),
      };
    const keys = spreadingColumns(node).map((i) => column(i, node.schema[i].name, node.schema[i].type));
    const partitioned = branches.map((b) => this.partitionedBy(b, keys, b.node.schema));
    return {
      node: { ...node, inputs: partitioned.map((b) => b.node) },
      dist: { kind: 'partitioned', keys, count: this.options.partitions },
      inputs: partitioned.flatMap((b) => b.inputs),
    };
  }

  /**
   * An aggregate over a union (UNION, INTERSECT, EXCEPT): each branch aggregates its own rows
   * partially (removing its duplicates before they travel), the states are shuffled by group
   * key, and the final aggregate merges the union of the branches' partitions.
   */
  private aggregateOverUnion(node: PhysicalAggregate, union: PhysicalUnion): Fragment | undefined {
    if (node.groupBy.length === 0 || node.aggregates.some((a) => a.distinct)) return undefined;
    const branches = union.inputs.map((input) => this.visit(input));
    if (branches.every((b) => b.dist.kind === 'single')) {
      const input: PhysicalNode = { ...union, inputs: branches.map((b) => b.node) };
      return { node: { ...node, input }, dist: SINGLE, inputs: branches.flatMap((b) => b.inputs) };
    }
    const partialSchema = partialAggregateSchema(node.groupBy, node.aggregates);
    const partialKeys = node.groupBy.map((g, i) => column(i, partialSchema[i].name, g.type));
    const partitions = this.options.partitions;
    const ids = branches.map((b) => {
      const partial: PhysicalNode = { ...node, input: b.node, mode: 'partial', schema: partialSchema };
      return this.close({ ...b, node: partial }, { kind: 'hash', keys: partialKeys, partitions });
    });
    const merged: PhysicalNode = {
      kind: 'union',
      inputs: ids.map((id) => this.exchange(id, 'hash', partialSchema)),
      schema: partialSchema,
    };
    const keys = node.groupBy.map((g, i) => column(i, node.schema[i].name, g.type));
    return this.afterAggregate({ ...node, input: merged, mode: 'final' }, keys, ids);
  }

  private afterAggregate(node: PhysicalNode, keys: Expr[], inputs: number[]): Fragment {
    const dist: Distribution =
      keys.length === 0 ? SINGLE : { kind: 'partitioned', keys, count: this.options.partitions };
    return { node, dist, inputs };
  }

  private join(node: PhysicalHashJoin): Fragment {
    const leftWidth = node.left.schema.length;
    const { leftKeys, rightKeys } = extractEquiKeys(node.condition, leftWidth);
    const left = this.visit(node.left);
    const right = this.visit(node.right);
    const joined = (l: Fragment, r: Fragment, dist: Distribution): Fragment => ({
      node: { ...node, left: l.node, right: r.node },
      dist,
      inputs: [...l.inputs, ...r.inputs],
    });
    if (left.dist.kind === 'single' && right.dist.kind === 'single') return joined(left, right, SINGLE);
    if (isConstant(right)) return joined(left, right, left.dist);

    const small = this.broadcastable(node, left, leftKeys);
    if (PROBE_PRESERVING.has(node.joinType) && (leftKeys.length === 0 || small)) {
      const id = this.close(right, { kind: 'single' });
      const broadcast = {
        node: this.exchange(id, 'broadcast', node.right.schema),
        dist: SINGLE,
        inputs: [id],
      };
      return joined(left, broadcast, left.dist);
    }
    if (leftKeys.length === 0) {
      // A right or full join without keys: every row of both sides meets in one task.
      return joined(this.gathered(left), this.gathered(right), SINGLE);
    }
    const partitions = this.options.partitions;
    const l = this.partitionedBy(left, leftKeys, node.left.schema);
    let r = this.partitionedBy(right, rightKeys, node.right.schema);
    if (
      l !== left &&
      r === right &&
      PROBE_PRESERVING.has(node.joinType) &&
      this.mayTurnOutSmall(node.right)
    ) {
      // The build side, already partitioned by its keys, becomes a stage of its own anyway: it
      // then runs before the probe side is shuffled, and if it turned out small the join is
      // made a broadcast join at run time (adapt-join-distribution.ts), with no shuffle of the
      // probe side at all.
      r = this.shuffled(right, rightKeys, node.right.schema);
    }
    const keys = node.joinType === 'right' || node.joinType === 'full' ? null : leftKeys;
    return joined(l, r, { kind: 'partitioned', keys, count: partitions });
  }

  /**
   * Whether a join's build side should be broadcast rather than both sides shuffled: when it
   * is estimated at no more than `broadcastRowLimit` rows, or (up to ten times that, to bound
   * each thread's table) when sending it to every task slot moves well under half the rows a
   * shuffle of the probe side would (the probe side not partitioned by the keys already), as
   * Trino's automatic join distribution weighs the two by cost.
   */
  private broadcastable(node: PhysicalHashJoin, left: Fragment, leftKeys: readonly Expr[]): boolean {
    const rightRows = node.right.estimatedRows;
    if (rightRows === undefined) return false;
    const dist = left.dist;
    const probeInPlace =
      dist.kind === 'partitioned' &&
      dist.keys !== null &&
      leftKeys.length > 0 &&
      sameExprs(dist.keys, leftKeys);
    const probeRows = probeInPlace ? undefined : node.left.estimatedRows;
    return broadcastPays(rightRows, probeRows, this.options.broadcastRowLimit, this.options.partitions);
  }

  /**
   * Whether a build side estimated too big to broadcast may still prove small enough when
   * run: estimates below aggregates with HAVING and selective filters are often far too high
   * (TPC-H Q18's 57 orders past a quantity of 300 are estimated at a third of all orders).
   */
  private mayTurnOutSmall(build: PhysicalNode): boolean {
    const rows = build.estimatedRows;
    return rows !== undefined && rows <= BROADCAST_COST_CAP * this.options.broadcastRowLimit;
  }

  /** The fragment as it is when already partitioned by `keys`, else shuffled by them. */
  private partitionedBy(fragment: Fragment, keys: readonly Expr[], schema: readonly Field[]): Fragment {
    const dist = fragment.dist;
    if (
      dist.kind === 'partitioned' &&
      dist.keys &&
      dist.count === this.options.partitions &&
      sameExprs(dist.keys, keys)
    )
      return fragment;
    return this.shuffled(fragment, keys, schema);
  }

  /** The fragment closed as a stage whose output is hash-partitioned by `keys`, read by a shuffle. */
  private shuffled(fragment: Fragment, keys: readonly Expr[], schema: readonly Field[]): Fragment {
    const id = this.close(fragment, { kind: 'hash', keys, partitions: this.options.partitions });
    return {
      node: this.exchange(id, 'hash', schema),
      dist: { kind: 'partitioned', keys, count: this.options.partitions },
      inputs: [id],
    };
  }

  private gathered(fragment: Fragment): Fragment {
    if (fragment.dist.kind === 'single') return fragment;
    const id = this.close(fragment, { kind: 'single' });
    return { node: this.exchange(id, 'gather', fragment.node.schema), dist: SINGLE, inputs: [id] };
  }

  /** An exchange reading `stage`, estimated at the rows that stage's root yields. */
  private exchange(
    stage: number,
    exchange: ExchangeKind,
    schema: readonly Field[],
    orderBy?: readonly SortKey[],
  ): PhysicalNode {
    const rows = this.stages[stage]?.root.estimatedRows;
    return {
      kind: 'exchange',
      stage,
      exchange,
      ...(orderBy ? { orderBy } : {}),
      schema,
      ...(rows === undefined ? {} : { estimatedRows: rows }),
    };
  }

  /** Makes the fragment a stage; returns its id. */
  private close(fragment: Fragment, output: StageOutput): number {
    const id = this.stages.length;
    this.stages.push({
      id,
      root: fragment.node,
      tasks: this.tasksOf(fragment.dist, ensuresGroups(fragment.node)),
      output,
      inputs: fragment.inputs,
    });
    return id;
  }

  private tasksOf(dist: Distribution, ensuresGroups: boolean): StageTasks {
    switch (dist.kind) {
      case 'splits': {
        const groups = this.options.splitGroups(dist.scan);
        // Rows of empty grouping sets come even from no input: one task reading no split makes them.
        return { kind: 'splits', groups: groups.length === 0 && ensuresGroups ? [[]] : groups };
      }
      case 'partitioned':
        return { kind: 'partitions', count: dist.count };
      case 'single':
        return { kind: 'single' };
    }
  }
}

/**
 * The columns a union's rows are hash-partitioned by: all but those that are a literal in
 * every branch (the side tags of INTERSECT and EXCEPT), which would only split rows that
 * must meet; all columns when every one is such a literal.
 */
function spreadingColumns(node: PhysicalUnion): number[] {
  const literalIn = (branch: PhysicalNode, i: number): boolean =>
    branch.kind === 'project' && branch.exprs[i].kind === 'literal';
  const spreading = node.schema.map((_, i) => i).filter((i) => !node.inputs.every((b) => literalIn(b, i)));
  return spreading.length > 0 ? spreading : node.schema.map((_, i) => i);
}

/** Whether the fragment makes rows of empty grouping sets (see EnsuredGroups). */
function ensuresGroups(node: PhysicalNode): boolean {
  if (node.kind === 'aggregate' && node.ensuredGroups && node.mode !== 'final') return true;
  return physicalChildren(node).some(ensuresGroups);
}

/** Literal rows only (no scan, no exchange): small, and copied into whichever task needs them. */
function isConstant(fragment: Fragment): boolean {
  return fragment.dist.kind === 'single' && fragment.inputs.length === 0;
}

/**
 * Whether the rows a scan stage yields reach the client in file order: only projections,
 * filters and limits lie between them.
 */
function keepsFileOrder(node: PhysicalNode, dist: Distribution): boolean {
  if (dist.kind !== 'splits') return false;
  for (let n: PhysicalNode = node; ;) {
    if (n.kind === 'scan') return true;
    if (n.kind !== 'project' && n.kind !== 'filter' && n.kind !== 'limit') return false;
    n = n.input;
  }
}

/** Every hash key of `dist` is one of the group keys, so each group lies within one task. */
function partitionedWithin(
  dist: Distribution,
  groupBy: readonly Expr[],
): dist is Distribution & { kind: 'partitioned' } {
  if (dist.kind !== 'partitioned' || !dist.keys || dist.keys.length === 0) return false;
  const groups = new Set(groupBy.map(exprToString));
  return dist.keys.every((k) => groups.has(exprToString(k)));
}

/** The distribution after a projection: keys follow the columns they read, or are lost. */
function throughProjection(dist: Distribution, exprs: readonly Expr[]): Distribution {
  if (dist.kind !== 'partitioned' || !dist.keys) return dist;
  const output = new Map<number, number>();
  exprs.forEach((e, i) => {
    if (e.kind === 'column' && !output.has(e.index)) output.set(e.index, i);
  });
  const keys: Expr[] = [];
  for (const key of dist.keys) {
    const read = [...referencedColumns(key)];
    if (!read.every((c) => output.has(c))) return { ...dist, keys: null };
    keys.push(remapColumns(key, (c) => output.get(c)!));
  }
  return { ...dist, keys };
}

/**
 * `agg(DISTINCT x) … GROUP BY g` as `agg(x)` over `… GROUP BY g, x`, when every aggregate is
 * DISTINCT over the same argument: both levels then aggregate in two phases and shuffle by
 * key, (g, x) first, then g. Anything else with DISTINCT stays one level (undefined).
 */
function splitSingleDistinct(node: PhysicalAggregate): PhysicalAggregate | undefined {
  const { aggregates, groupBy } = node;
  if (
    node.mode !== 'single' ||
    aggregates.length === 0 ||
    // A second argument (a FILTER's condition, arg_max's key) reads the input the dedup drops.
    !aggregates.every((a) => a.distinct && a.arg && !a.arg2 && !a.orderBy?.length)
  )
    return undefined;
  const arg = aggregates[0].arg!;
  if (!aggregates.every((a) => exprToString(a.arg!) === exprToString(arg))) return undefined;
  const k = groupBy.length;
  const dedupSchema: Field[] = [
    ...groupBy.map((g, i): Field => ({ name: node.schema[i].name, type: g.type, nullable: true })),
    { name: 'distinct_arg', type: arg.type, nullable: true },
  ];
  const dedup: PhysicalAggregate = {
    kind: 'aggregate',
    input: node.input,
    groupBy: [...groupBy, arg],
    aggregates: [],
    mode: 'single',
    schema: dedupSchema,
    // The empty sets' rows come from here (with a NULL argument, which DISTINCT aggregates skip).
    ...(node.ensuredGroups ? { ensuredGroups: node.ensuredGroups } : {}),
  };
  const value = column(k, 'distinct_arg', arg.type);
  return {
    kind: 'aggregate',
    input: dedup,
    groupBy: groupBy.map((g, i) => column(i, dedupSchema[i].name, g.type)),
    aggregates: aggregates.map((a): AggregateCall => ({ ...a, distinct: false, arg: value })),
    mode: 'single',
    schema: node.schema,
  };
}
