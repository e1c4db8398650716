import {
  column,
  conjunction,
  filter,
  join,
  planInputs,
  project,
  referencedColumns,
  remapColumns,
  splitConjunction,
  withInputs,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import { CardinalityEstimator, equiJoinRows, type ColumnOrigin } from './estimate-cardinality.ts';
import type { OptimizerRule } from './optimizer-rule.ts';

/** Up to this many relations the order is searched exhaustively (DP over connected subsets); greedily beyond. */
export const JOIN_ORDER_DP_LIMIT = 10;

/** Sets of relations are bitmasks in a JS number: larger join trees keep their order. */
const MAX_RELATIONS = 30;

/** A conjunct of the tree's conditions, over the tree's original output columns. */
interface Condition {
  readonly expr: Expr;
  /** The relations it reads, as a bitmask. */
  readonly rels: number;
}

/** A join (sub)tree chosen for a set of relations. */
interface Entry {
  readonly rels: number;
  readonly rows: number;
  /** The sum of the rows of every join in it (C_out). */
  readonly cost: number;
  /** Built without a cross join. */
  readonly connected: boolean;
  readonly leaf?: number;
  readonly left?: Entry;
  readonly right?: Entry;
}

const bitCount = (n: number): number => {
  let c = 0;
  for (let x = n; x; x &= x - 1) c++;
  return c;
};

/** A maximal tree of inner and cross joins: its relations (leaves) and all its conditions. */
class JoinGraph {
  readonly relations: LogicalPlan[] = [];
  readonly offsets: number[] = [];
  readonly conditions: Expr[] = [];

  /** Adds `plan`'s relations, its columns starting at `offset`; returns its width. */
  collect(plan: LogicalPlan, offset: number, leaf: (p: LogicalPlan) => LogicalPlan): number {
    const inner = plan.kind === 'filter' ? plan.input : plan;
    if (isInnerJoin(inner)) {
      const leftWidth = this.collect(inner.left, offset, leaf);
      this.collect(inner.right, offset + leftWidth, leaf);
      const own = plan.kind === 'filter' ? [plan.predicate, inner.condition] : [inner.condition];
      for (const c of own)
        if (c)
          for (const part of splitConjunction(c)) this.conditions.push(remapColumns(part, (i) => i + offset));
      return plan.schema.length;
    }
    this.relations.push(leaf(plan));
    this.offsets.push(offset);
    return plan.schema.length;
  }
}

function isInnerJoin(plan: LogicalPlan): plan is LogicalPlan & { kind: 'join' } {
  return plan.kind === 'join' && (plan.joinType === 'inner' || plan.joinType === 'cross');
}

/** Inner and cross joins, and a filter right over one (its conjuncts join the conditions). */
function isReorderable(plan: LogicalPlan): boolean {
  return isInnerJoin(plan) || (plan.kind === 'filter' && isInnerJoin(plan.input));
}

class JoinOrderer {
  private readonly estimator = new CardinalityEstimator();

  reorder(plan: LogicalPlan): LogicalPlan {
    if (isReorderable(plan)) return this.reorderTree(plan);
    const inputs = planInputs(plan);
    const rewritten = inputs.map((i) => this.reorder(i));
    return rewritten.every((r, i) => r === inputs[i]) ? plan : withInputs(plan, rewritten);
  }

  private reorderTree(plan: LogicalPlan): LogicalPlan {
    const graph = new JoinGraph();
    graph.collect(plan, 0, (leaf) => this.reorder(leaf));
    const n = graph.relations.length;
    if (n > MAX_RELATIONS) return this.keepOrder(plan);
    const width = plan.schema.length;
    const relationOf = new Int32Array(width);
    graph.offsets.forEach((start, r) => {
      const end = r + 1 < n ? graph.offsets[r + 1] : width;
      relationOf.fill(r, start, end);
    });
    const relsOf = (e: Expr): number => {
      let m = 0;
      for (const c of referencedColumns(e)) m |= 1 << relationOf[c];
      return m;
    };
    // Conjuncts of one relation filter it first; those of none stay on top.
    const relations = [...graph.relations];
    const conditions: Condition[] = [];
    const constant: Expr[] = [];
    const single = new Map<number, Expr[]>();
    for (const expr of graph.conditions) {
      const rels = relsOf(expr);
      if (rels === 0) constant.push(expr);
      else if (bitCount(rels) === 1) {
        const r = 31 - Math.clz32(rels);
        single.set(r, [...(single.get(r) ?? []), remapColumns(expr, (i) => i - graph.offsets[r])]);
      } else conditions.push({ expr, rels });
    }
    for (const [r, exprs] of single) relations[r] = filter(relations[r], conjunction(exprs)!);

    const search = new JoinSearch(relations, graph.offsets, conditions, relationOf, this.estimator);
    const best = n <= JOIN_ORDER_DP_LIMIT ? search.dynamicProgramming() : search.greedy();
    const built = search.build(best);
    let result = built.plan;
    const position = (g: number) => built.position.get(g)!;
    const top = conjunction(constant);
    if (top) result = filter(result, remapColumns(top, position));
    const identity = plan.schema.every((_, g) => position(g) === g) && result.schema.length === width;
    if (identity) return result;
    return project(
      result,
      plan.schema.map((f, g) => column(position(g), f.name, f.type)),
      plan.schema.map((f) => f.name),
      plan.schema.map((f) => f.qualifier),
    );
  }

  /** A tree too big to order: its inputs are still optimized. */
  private keepOrder(plan: LogicalPlan): LogicalPlan {
    const inputs = planInputs(plan);
    const rewritten = inputs.map((i) => (isReorderable(i) ? this.keepOrder(i) : this.reorder(i)));
    return withInputs(plan, rewritten);
  }
}

/** Union-find over column indices. */
class EquivalenceClasses {
  private readonly parent = new Map<number, number>();

  find(x: number): number {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    for (let n = x; n !== root;) {
      const next = this.parent.get(n)!;
      this.parent.set(n, root);
      n = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

/** The search over orders of one join tree's relations. */
class JoinSearch {
  private readonly rowsMemo = new Map<number, number>();
  private readonly relationRows: number[];
  /** Equi-conditions between two relations, grouped by the pair (their selectivity is taken together). */
  private readonly pairs: {
    rels: number;
    keys: { left: ColumnOrigin; right: ColumnOrigin }[];
    a: number;
    b: number;
  }[] = [];
  /** Other conditions of two or more relations, with their selectivity. */
  private readonly others: { rels: number; selectivity: number }[] = [];

  constructor(
    private readonly relations: readonly LogicalPlan[],
    private readonly offsets: readonly number[],
    private readonly conditions: readonly Condition[],
    private readonly relationOf: Int32Array,
    estimator: CardinalityEstimator,
  ) {
    this.relationRows = relations.map((r) => Math.max(1, estimator.rows(r)));
    const origin = (e: Expr): ColumnOrigin => {
      const refs = [...referencedColumns(e)];
      if (refs.length === 0) return { ndv: 1 };
      const r = relationOf[refs[0]];
      if (refs.some((c) => relationOf[c] !== r)) return { ndv: Number.MAX_SAFE_INTEGER };
      return estimator.exprOrigin(
        relations[r],
        remapColumns(e, (i) => i - offsets[r]),
      );
    };
    // Equi-conditions between one relation's expression and another's: key pairs.
    const isKeyPair = (c: Condition): [Expr, Expr] | undefined => {
      const e = c.expr;
      if (bitCount(c.rels) !== 2 || e.kind !== 'call' || e.fn !== 'eq' || e.args.length !== 2)
        return undefined;
      const [x, y] = e.args;
      const rx = this.relsOf(x);
      const ry = this.relsOf(y);
      if (bitCount(rx) !== 1 || bitCount(ry) !== 1 || rx === ry) return undefined;
      return rx < ry ? [x, y] : [y, x];
    };
    // Columns equated by the conditions share one domain, the smallest of theirs (equivalence
    // classes): in c_nationkey = s_nationkey AND s_nationkey = n_nationkey, both joins range
    // over nation's 25 keys, which customer's and supplier's row counts would overstate.
    const classes = new EquivalenceClasses();
    for (const c of conditions) {
      const pair = isKeyPair(c);
      if (pair && pair[0].kind === 'column' && pair[1].kind === 'column')
        classes.union(pair[0].index, pair[1].index);
    }
    const domain = new Map<number, number>();
    const keyOrigin = (e: Expr): ColumnOrigin => {
      const own = origin(e);
      if (e.kind !== 'column') return own;
      const root = classes.find(e.index);
      return { ...own, ndv: Math.min(own.ndv, domain.get(root) ?? Infinity) };
    };
    for (const c of conditions) {
      const pair = isKeyPair(c);
      if (!pair) continue;
      for (const e of pair)
        if (e.kind === 'column') {
          const root = classes.find(e.index);
          domain.set(root, Math.min(domain.get(root) ?? Infinity, origin(e).ndv));
        }
    }
    const byPair = new Map<number, (typeof this.pairs)[number]>();
    for (const c of conditions) {
      const pair = isKeyPair(c);
      if (pair) {
        const [lo, hi] = pair;
        const found = byPair.get(c.rels) ?? {
          rels: c.rels,
          keys: [],
          a: 31 - Math.clz32(this.relsOf(lo)),
          b: 31 - Math.clz32(this.relsOf(hi)),
        };
        found.keys.push({ left: keyOrigin(lo), right: keyOrigin(hi) });
        byPair.set(c.rels, found);
        continue;
      }
      let rows = 1;
      for (let r = 0; r < relations.length; r++) if (c.rels & (1 << r)) rows *= this.relationRows[r];
      this.others.push({ rels: c.rels, selectivity: estimator.selectivity(c.expr, origin, rows) });
    }
    this.pairs.push(...byPair.values());
  }

  private relsOf(e: Expr): number {
    let m = 0;
    for (const c of referencedColumns(e)) m |= 1 << this.relationOf[c];
    return m;
  }

  /** The estimated rows of joining a set of relations: the same whatever the order. */
  rows(rels: number): number {
    let found = this.rowsMemo.get(rels);
    if (found !== undefined) return found;
    let rows = 1;
    for (let r = 0; r < this.relations.length; r++) if (rels & (1 << r)) rows *= this.relationRows[r];
    for (const p of this.pairs) {
      if ((p.rels & rels) !== p.rels) continue;
      const a = this.relationRows[p.a];
      const b = this.relationRows[p.b];
      rows *= equiJoinRows(a, b, p.keys) / (a * b);
    }
    for (const o of this.others) if ((o.rels & rels) === o.rels) rows *= o.selectivity;
    found = Math.max(1, rows);
    this.rowsMemo.set(rels, found);
    return found;
  }

  /** Whether a condition joins the two sets (reads both and nothing else). */
  private connects(a: number, b: number): boolean {
    const both = a | b;
    return this.conditions.some((c) => (c.rels & both) === c.rels && c.rels & a && c.rels & b);
  }

  private leaf(r: number): Entry {
    return { rels: 1 << r, rows: this.relationRows[r], cost: 0, connected: true, leaf: r };
  }

  private joined(a: Entry, b: Entry, connected: boolean): Entry {
    const rels = a.rels | b.rels;
    const rows = this.rows(rels);
    return { rels, rows, cost: a.cost + b.cost + rows, connected, left: a, right: b };
  }

  /**
   * Every subset's best tree, from its subsets' (DPsub): splits into two connected parts
   * joined by a condition come first; a cross join only where no such split exists.
   */
  dynamicProgramming(): Entry {
    const n = this.relations.length;
    const full = (1 << n) - 1;
    const best: (Entry | undefined)[] = new Array(full + 1);
    for (let r = 0; r < n; r++) best[1 << r] = this.leaf(r);
    for (let mask = 1; mask <= full; mask++) {
      if (bitCount(mask) < 2) continue;
      const low = mask & -mask;
      let connected: Entry | undefined;
      let cross: Entry | undefined;
      for (let s = (mask - 1) & mask; s > 0; s = (s - 1) & mask) {
        if (!(s & low)) continue;
        const a = best[s];
        const b = best[mask ^ s];
        if (!a || !b) continue;
        if (a.connected && b.connected && this.connects(s, mask ^ s)) {
          const e = this.joined(a, b, true);
          if (!connected || e.cost < connected.cost) connected = e;
        } else if (!connected) {
          const e = this.joined(a, b, false);
          if (!cross || e.cost < cross.cost) cross = e;
        }
      }
      best[mask] = connected ?? cross;
    }
    return best[full]!;
  }

  /**
   * Greedy operator ordering: join the two parts whose join is estimated smallest, among
   * pairs a condition connects while there are any; then cross joins, smallest first.
   */
  greedy(): Entry {
    let parts = this.relations.map((_, r) => this.leaf(r));
    while (parts.length > 1) {
      let pick: [number, number] | undefined;
      let pickConnected = false;
      let pickRows = Infinity;
      for (let i = 0; i < parts.length; i++)
        for (let j = i + 1; j < parts.length; j++) {
          const connected = this.connects(parts[i].rels, parts[j].rels);
          if (pickConnected && !connected) continue;
          const rows = this.rows(parts[i].rels | parts[j].rels);
          if (!pick || (connected && !pickConnected) || rows < pickRows) {
            pick = [i, j];
            pickConnected = connected;
            pickRows = rows;
          }
        }
      const [i, j] = pick!;
      const merged = this.joined(
        parts[i],
        parts[j],
        pickConnected && parts[i].connected && parts[j].connected,
      );
      parts = [...parts.filter((_, k) => k !== i && k !== j), merged];
    }
    return parts[0];
  }

  /**
   * The plan of a tree: the bigger side probes, the smaller one is built (the right input);
   * each condition sits on the lowest join that has all its relations. `position` maps an
   * original output column to its place in the new plan's output.
   */
  build(entry: Entry): { plan: LogicalPlan; position: Map<number, number> } {
    if (entry.leaf !== undefined) {
      const r = entry.leaf;
      const plan = this.relations[r];
      const position = new Map<number, number>();
      for (let i = 0; i < plan.schema.length; i++) position.set(this.offsets[r] + i, i);
      return { plan, position };
    }
    const [big, small] =
      entry.left!.rows >= entry.right!.rows ? [entry.left!, entry.right!] : [entry.right!, entry.left!];
    const left = this.build(big);
    const right = this.build(small);
    const leftWidth = left.plan.schema.length;
    const position = new Map(left.position);
    for (const [g, p] of right.position) position.set(g, p + leftWidth);
    const here = this.conditions.filter(
      (c) =>
        (c.rels & entry.rels) === c.rels &&
        (c.rels & big.rels) !== c.rels &&
        (c.rels & small.rels) !== c.rels,
    );
    const condition = conjunction(here.map((c) => remapColumns(c.expr, (g) => position.get(g)!))) ?? null;
    return {
      plan: join(condition ? 'inner' : 'cross', left.plan, right.plan, condition),
      position,
    };
  }
}

/**
 * Cost-based join ordering. Each maximal tree of inner and cross joins (with a filter right
 * over one) is taken apart into its relations and the conjuncts of all its conditions;
 * relations are sized by the cardinality estimator, and the order with the least total of
 * intermediate rows is chosen: exhaustively over connected subsets up to JOIN_ORDER_DP_LIMIT
 * relations, greedily beyond. A cross join appears only where no condition connects the
 * parts. The smaller input of each join is its build (right) side; each condition sits on
 * the lowest join that has its columns, a conjunct of one relation filters it first. A
 * projection restores the original column order. Outer, semi and anti joins (and every
 * other node) are not reordered across; their inputs are ordered on their own.
 */
export const reorderJoins: OptimizerRule = {
  name: 'join_order',
  rewrite(plan) {
    const rewritten = new JoinOrderer().reorder(plan);
    return { plan: rewritten, changed: rewritten !== plan };
  },
};
