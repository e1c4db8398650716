import { DEFAULT_TABLE_ROWS } from '@tributary/optimizer';
import type { Expr, LogicalPlan } from '@tributary/plan';
import { planInputs, referencedColumns, splitConjunction, transformExpr, withInputs } from '@tributary/plan';
import { aggregateOverDataset, matchAggregateReflection } from './match-aggregate-reflection.ts';
import { matchRawReflection } from './match-raw-reflection.ts';
import { materializedLayout, type MaterializedLayout } from './materialized-columns.ts';
import { planSignature } from './plan-signature.ts';
import { datasetCore, type DatasetCore } from './dataset-core.ts';
import type { ReflectionCandidate } from './reflection-definition.ts';
import { estimatedRowsRead } from './reflection-cost.ts';
import { joinSetOf } from './join-set.ts';
import { matchJoinSet } from './match-join-set.ts';
import { matchRawJoinSet } from './match-raw-join-set.ts';
import {
  describeDuration,
  type ReflectionRelationship,
  type ReflectionRelationshipKind,
} from './reflection-relationship.ts';
import { requiredInputColumns } from './required-columns.ts';

export interface SubstitutionContext {
  /** The bound plan of `SELECT * FROM <datasetPath>`, or why it cannot be bound now. */
  readonly datasetPlan: (candidate: ReflectionCandidate) => LogicalPlan | { readonly error: string };
  /** How much older the materialization is than its dataset now: 0 when no base table changed. */
  readonly stalenessMs: (candidate: ReflectionCandidate) => number;
  /** The oldest data the query accepts from a stale reflection; 0 (the default): fresh only. */
  readonly maxStalenessMs?: number;
}

/** A reflection the substituted plan reads. */
export interface ChosenReflection {
  readonly reflectionId: string;
  readonly builtAt: number;
  readonly stalenessMs: number;
}

export interface Substitution {
  readonly plan: LogicalPlan;
  /** Every reflection on a dataset the query reads, with what planning did with it. */
  readonly considered: readonly ReflectionRelationship[];
  readonly chosen: readonly ChosenReflection[];
}

interface Usable {
  readonly candidate: ReflectionCandidate;
  readonly signature: string;
  readonly dataset: LogicalPlan;
  /** A view's joins under its columns, for queries that write them on the tables directly. */
  readonly core: (DatasetCore & { readonly names: readonly string[] }) | undefined;
  readonly layout: MaterializedLayout;
  readonly rows: number;
  readonly stalenessMs: number;
}

interface Outcome {
  readonly plan: LogicalPlan;
  /** Rows its scans read. */
  readonly cost: number;
  /** The substitutes it holds. */
  readonly uses: readonly Found[];
}

/** All a base table's rows: what a scan of it reads at most (the estimator's default when unknown). */
function baseRows(scan: LogicalPlan & { kind: 'scan' }): number {
  return scan.table.statistics?.rowCount ?? scan.table.rowCount ?? DEFAULT_TABLE_ROWS;
}

interface Found {
  readonly usable: Usable;
  readonly plan: LogicalPlan;
  readonly cost: number;
  /** Substitutes inside it (the relations a join-set match joins on top, served by reflections of their own). */
  readonly inner?: readonly Found[];
}

function tablesOf(plan: LogicalPlan, into = new Set<string>()): Set<string> {
  if (plan.kind === 'scan') into.add(`${plan.table.source}\0${plan.table.table}`.toLowerCase());
  for (const input of planInputs(plan)) tablesOf(input, into);
  return into;
}

function coreOf(dataset: LogicalPlan): Usable['core'] {
  const core = datasetCore(dataset);
  return core && { ...core, names: dataset.schema.map((f) => f.name) };
}

/** The materialization's column of each core column the view gives as it is. */
function coreDisplay(u: Usable): Map<number, number> {
  const display = new Map<number, number>();
  u.core?.exprs.forEach((e, i) => {
    const stored = u.layout.display.get(i);
    if (e.kind === 'column' && stored !== undefined && !display.has(e.index)) display.set(e.index, stored);
  });
  return display;
}

const RANK: Record<ReflectionRelationshipKind, number> = { CONSIDERED: 0, MATCHED: 1, CHOSEN: 2 };

/**
 * Rewrites a bound plan to read reflections where they can stand in for part of it: top down,
 * the first node some reflection serves is replaced by the cheapest substitute (rows read),
 * and matching goes on below nodes no reflection serves. A raw reflection serves a subtree
 * computing its dataset whose read columns it all holds; an aggregation reflection serves an
 * aggregate over its dataset (through filters and projects) whose keys, filters and measures
 * it can give. Reflections that are disabled, not built, or staler than the query allows are
 * never used. Pure: the caller binds the datasets and measures staleness.
 */
export function substituteReflections(
  plan: LogicalPlan,
  candidates: readonly ReflectionCandidate[],
  context: SubstitutionContext,
): Substitution {
  const queryTables = tablesOf(plan);
  const records = new Map<string, ReflectionRelationship>();
  const record = (
    candidate: ReflectionCandidate,
    relationship: ReflectionRelationshipKind,
    reason?: string,
  ) => {
    const { definition, materialization } = candidate;
    const before = records.get(definition.id);
    if (before && RANK[before.relationship] > RANK[relationship]) return;
    if (
      before &&
      before.relationship === relationship &&
      relationship === 'CONSIDERED' &&
      reason === undefined
    )
      return;
    records.set(definition.id, {
      reflectionId: definition.id,
      reflectionName: definition.name,
      reflectionType: definition.type,
      datasetPath: definition.datasetPath,
      relationship,
      ...(reason === undefined ? {} : { reason }),
      ...(materialization
        ? { builtAt: materialization.builtAt, stalenessMs: Math.max(0, context.stalenessMs(candidate)) }
        : {}),
    });
  };

  const usable: Usable[] = [];
  for (const candidate of candidates) {
    const bound = context.datasetPlan(candidate);
    if ('error' in bound) continue;
    const datasetTables = tablesOf(bound);
    if (![...datasetTables].every((t) => queryTables.has(t))) continue;
    const { definition, materialization } = candidate;
    if (!definition.enabled || candidate.status === 'DISABLED') record(candidate, 'CONSIDERED', 'disabled');
    else if (!materialization) record(candidate, 'CONSIDERED', 'not built yet');
    else {
      const stalenessMs = context.stalenessMs(candidate);
      if (stalenessMs > 0 && stalenessMs > (context.maxStalenessMs ?? 0))
        record(candidate, 'CONSIDERED', `stale by ${describeDuration(stalenessMs)}`);
      else {
        record(
          candidate,
          'CONSIDERED',
          `the query does not read ${definition.datasetPath.join('.')} as it is defined`,
        );
        usable.push({
          candidate,
          signature: planSignature(bound),
          dataset: bound,
          core: coreOf(bound),
          layout: materializedLayout(definition, materialization.table, bound.schema),
          rows: materialization.rows,
          stalenessMs,
        });
      }
    }
  }

  const alias = (u: Usable) => `reflection ${u.candidate.definition.name}`;
  const names = (uses: readonly Found[]) =>
    [...new Set(uses.map((f) => f.usable.candidate.definition.name))].join(', ');
  /**
   * The cheapest way to compute `node`: a substitute for the node itself, or its inputs each
   * computed their cheapest way, costed as the rows their scans read (a base table's all).
   */
  const rewrite = (node: LogicalPlan, required: ReadonlySet<number>, above: readonly Expr[]): Outcome => {
    const found: Found[] = [];
    for (const u of usable) {
      const { definition } = u.candidate;
      if (definition.type === 'AGGREGATION' && node.kind === 'aggregate') {
        const over = aggregateOverDataset(node, u.signature, u.core);
        if (!over) continue;
        if ('reason' in over) {
          record(u.candidate, 'CONSIDERED', over.reason);
          continue;
        }
        const match = matchAggregateReflection(over, u.dataset.schema, u.layout, alias(u));
        if ('reason' in match) record(u.candidate, 'CONSIDERED', match.reason);
        else {
          const filterNode = match.plan.kind === 'project' ? match.plan.input : undefined;
          const input = filterNode?.kind === 'aggregate' ? filterNode.input : undefined;
          const predicates = input?.kind === 'filter' ? splitConjunction(input.predicate) : [];
          found.push({
            usable: u,
            plan: match.plan,
            cost: estimatedRowsRead(match.plan, predicates, definition, u.rows),
          });
        }
      } else if (
        definition.type === 'RAW' &&
        u.core?.joinSet &&
        planSignature(node) !== u.signature &&
        planSignature(node) !== u.core.signature
      ) {
        // The view's joins written another way (order, ON or WHERE, more filters, more relations).
        const query = joinSetOf(node);
        const match = query && matchJoinSet(query, u.core.joinSet);
        if (!query || !match) continue;
        // The other relations computed their cheapest way too (reading only what is needed of them).
        const needed = new Set(required);
        for (const c of match.onTop) referencedColumns(c, needed);
        const extras = match.extra.map((i) => {
          const leaf = query.leaves[i];
          const read = new Set<number>();
          for (const q of needed)
            if (q >= leaf.offset && q < leaf.offset + leaf.width) read.add(q - leaf.offset);
          return rewrite(leaf.plan, read, []);
        });
        const raw = matchRawJoinSet(
          node,
          query,
          match,
          u.core,
          u.layout,
          required,
          alias(u),
          extras.map((o) => o.plan),
        );
        if ('reason' in raw) record(u.candidate, 'CONSIDERED', raw.reason);
        else
          found.push({
            usable: u,
            plan: raw.plan,
            cost:
              estimatedRowsRead(raw.plan, raw.reflectionPredicates, definition, u.rows) +
              extras.reduce((n, o) => n + o.cost, 0),
            inner: extras.flatMap((o) => o.uses),
          });
      } else if (
        definition.type === 'RAW' &&
        (planSignature(node) === u.signature || planSignature(node) === u.core?.signature)
      ) {
        const direct = planSignature(node) === u.signature;
        const datasetNames = direct ? u.dataset.schema.map((f) => f.name) : node.schema.map((f) => f.name);
        const match = matchRawReflection(
          node,
          datasetNames,
          u.layout,
          required,
          alias(u),
          direct ? u.layout.display : coreDisplay(u),
        );
        if ('reason' in match) record(u.candidate, 'CONSIDERED', match.reason);
        else {
          // The filters right above, seen through the substitute's project, over its scan.
          const through = match.plan.kind === 'project' ? match.plan.exprs : [];
          const predicates = above.map((p) =>
            transformExpr(p, (e) => (e.kind === 'column' ? through[e.index] : e)),
          );
          found.push({
            usable: u,
            plan: match.plan,
            cost: estimatedRowsRead(match.plan, predicates, definition, u.rows),
          });
        }
      }
    }
    const inputs = planInputs(node);
    let below: Outcome;
    if (inputs.length === 0)
      below = { plan: node, cost: node.kind === 'scan' ? baseRows(node) : 0, uses: [] };
    else {
      const requiredBelow = requiredInputColumns(node, required);
      const predicatesBelow = node.kind === 'filter' ? splitConjunction(node.predicate) : [];
      const outcomes = inputs.map((input, i) => rewrite(input, requiredBelow[i], predicatesBelow));
      below = {
        plan: outcomes.every((o, i) => o.plan === inputs[i])
          ? node
          : withInputs(
              node,
              outcomes.map((o) => o.plan),
            ),
        cost: outcomes.reduce((n, o) => n + o.cost, 0),
        uses: outcomes.flatMap((o) => o.uses),
      };
    }
    if (found.length === 0) return below;
    const best = found.reduce((a, b) => (b.cost < a.cost ? b : a));
    if (below.uses.length > 0 && below.cost < best.cost) {
      for (const f of found) record(f.usable.candidate, 'MATCHED', `${names(below.uses)} read fewer rows`);
      return below;
    }
    for (const f of [...found, ...below.uses])
      if (f.usable !== best.usable)
        record(f.usable.candidate, 'MATCHED', `${best.usable.candidate.definition.name} reads fewer rows`);
    return { plan: best.plan, cost: best.cost, uses: [best, ...(best.inner ?? [])] };
  };
  const all = new Set(plan.schema.map((_, i) => i));
  const outcome = usable.length > 0 ? rewrite(plan, all, []) : { plan, cost: 0, uses: [] };
  const chosen: ChosenReflection[] = outcome.uses.map((f) => {
    record(f.usable.candidate, 'CHOSEN');
    return {
      reflectionId: f.usable.candidate.definition.id,
      builtAt: f.usable.candidate.materialization!.builtAt,
      stalenessMs: f.usable.stalenessMs,
    };
  });
  const substituted = outcome.plan;
  return { plan: substituted, considered: [...records.values()], chosen };
}
