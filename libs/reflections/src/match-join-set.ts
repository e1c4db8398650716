import type { Expr } from '@tributary/plan';
import { remapColumns, transformExpr } from '@tributary/plan';
import type { JoinSet } from './join-set.ts';

/** A query's inner-join tree seen as a dataset's one, plus what the dataset's does not do. */
export interface JoinSetMatch {
  /** Each query column of a relation the dataset covers → its dataset column. */
  readonly toDataset: ReadonlyMap<number, number>;
  /**
   * The dataset's columns equal to a dataset column in every row the dataset holds (its own
   * equi-conditions, `l_orderkey = o_orderkey`), itself first: any of them can stand for it.
   */
  readonly equivalents: (datasetColumn: number) => readonly number[];
  /** The query's relations the dataset does not cover (by leaf index): joined on top of it. */
  readonly extra: readonly number[];
  /** The query's conjuncts the dataset's do not imply, over the query's columns: applied on top. */
  readonly onTop: readonly Expr[];
}

/** Classes of columns made equal by equi-conditions. */
class Equalities {
  private readonly parent = new Map<number, number>();
  find(c: number): number {
    let root = c;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller column is the root: a class's representative does not depend on the order.
    if (ra !== rb) this.parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  same(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }
  members(c: number, width: number): number[] {
    const root = this.find(c);
    const all = [c];
    for (let i = 0; i < width; i++) if (i !== c && this.find(i) === root) all.push(i);
    return all;
  }
}

/** `a = b` between two columns of the same type: what joins relations as equivalence classes. */
function equiColumns(e: Expr): [number, number] | undefined {
  if (e.kind !== 'call' || e.fn !== 'eq') return undefined;
  const [a, b] = e.args;
  if (a.kind !== 'column' || b.kind !== 'column') return undefined;
  return [a.index, b.index];
}

const COMMUTATIVE = new Set(['eq', 'neq', 'and', 'or', 'add', 'mul']);
const MIRRORED: Record<string, string> = { lt: 'gt', gt: 'lt', lte: 'gte', gte: 'lte' };

/**
 * A conjunct as text, equal for equal conditions however written: names left out, operands of
 * commutative operators in one order, `b > a` as `a < b`, and each column as its class's
 * representative (under the query's equalities a condition on either side of one is the same).
 */
function conditionKey(expr: Expr, classes: Equalities): string {
  const canonical = transformExpr(expr, (e) => {
    if (e.kind === 'column') return { ...e, index: classes.find(e.index), name: '' };
    if (e.kind !== 'call' || e.args.length !== 2) return e;
    const [a, b] = e.args;
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    if (COMMUTATIVE.has(e.fn)) return ka <= kb ? e : { ...e, args: [b, a] };
    const mirrored = MIRRORED[e.fn];
    if (mirrored && ka > kb) return { ...e, fn: mirrored as typeof e.fn, args: [b, a] };
    return e;
  });
  return JSON.stringify(canonical, (k, v: unknown) => (k === 'name' ? undefined : v));
}

/** Every way to map the dataset's relations one to one onto equal relations of the query. */
function* assignments(query: JoinSet, dataset: JoinSet): Generator<number[]> {
  const used = new Set<number>();
  const chosen: number[] = [];
  function* place(j: number): Generator<number[]> {
    if (j === dataset.leaves.length) {
      yield [...chosen];
      return;
    }
    for (let q = 0; q < query.leaves.length; q++) {
      if (used.has(q) || query.leaves[q].signature !== dataset.leaves[j].signature) continue;
      used.add(q);
      chosen.push(q);
      yield* place(j + 1);
      chosen.pop();
      used.delete(q);
    }
  }
  yield* place(0);
}

/** Self-joins make the mappings many; past this many the rest are not tried. */
const MAX_ASSIGNMENTS = 256;

/**
 * Whether the dataset's join tree computes a superset of the query's tree's rows over the
 * relations it covers, column for column: every dataset relation is one of the query's, and
 * every dataset conjunct is implied by the query's (equi-conditions through their classes,
 * others as equal conditions). The query is then the dataset joined with its extra relations,
 * filtered by the query's remaining conjuncts. Undefined when no mapping of relations works.
 */
export function matchJoinSet(query: JoinSet, dataset: JoinSet): JoinSetMatch | undefined {
  if (dataset.leaves.length > query.leaves.length) return undefined;
  const queryClasses = new Equalities();
  const queryResiduals: Expr[] = [];
  const queryEquis: [number, number, Expr][] = [];
  for (const c of query.conjuncts) {
    const equi = equiColumns(c);
    if (equi) {
      queryClasses.union(...equi);
      queryEquis.push([...equi, c]);
    } else queryResiduals.push(c);
  }
  const datasetClasses = new Equalities();
  const datasetEquis: [number, number][] = [];
  const datasetResiduals: Expr[] = [];
  for (const c of dataset.conjuncts) {
    const equi = equiColumns(c);
    if (equi) {
      datasetClasses.union(...equi);
      datasetEquis.push(equi);
    } else datasetResiduals.push(c);
  }
  let tried = 0;
  for (const assignment of assignments(query, dataset)) {
    if (++tried > MAX_ASSIGNMENTS) return undefined;
    const toQuery = (d: number): number => {
      const j = dataset.leaves.findIndex((l) => d >= l.offset && d < l.offset + l.width);
      return query.leaves[assignment[j]].offset + (d - dataset.leaves[j].offset);
    };
    if (!datasetEquis.every(([a, b]) => queryClasses.same(toQuery(a), toQuery(b)))) continue;
    const queryKeys = new Set(queryResiduals.map((r) => conditionKey(r, queryClasses)));
    const implied = new Set(
      datasetResiduals.map((r) => conditionKey(remapColumns(r, toQuery), queryClasses)),
    );
    if (![...implied].every((k) => queryKeys.has(k))) continue;
    const toDataset = new Map<number, number>();
    assignment.forEach((q, j) => {
      for (let c = 0; c < dataset.leaves[j].width; c++)
        toDataset.set(query.leaves[q].offset + c, dataset.leaves[j].offset + c);
    });
    // What the dataset already made equal, in the query's columns: those equalities hold in its rows.
    const coveredClasses = new Equalities();
    for (const [a, b] of datasetEquis) coveredClasses.union(toQuery(a), toQuery(b));
    const onTop: Expr[] = [];
    for (const [a, b, c] of queryEquis)
      if (!coveredClasses.same(a, b)) {
        onTop.push(c);
        coveredClasses.union(a, b);
      }
    for (const r of queryResiduals) if (!implied.has(conditionKey(r, queryClasses))) onTop.push(r);
    const covered = new Set(assignment);
    return {
      toDataset,
      equivalents: (d) => datasetClasses.members(d, dataset.width),
      extra: query.leaves.map((_, i) => i).filter((i) => !covered.has(i)),
      onTop,
    };
  }
  return undefined;
}
