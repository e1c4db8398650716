import type { Expr, LogicalPlan } from '@tributary/plan';
import { planInputs, splitConjunction, transformExpr, withInputs } from '@tributary/plan';
import { aggregateOverDataset, matchAggregateReflection } from './match-aggregate-reflection.ts';
import { matchRawReflection } from './match-raw-reflection.ts';
import { materializedLayout, type MaterializedLayout } from './materialized-columns.ts';
import { planSignature } from './plan-signature.ts';
import type { ReflectionCandidate } from './reflection-definition.ts';
import { estimatedRowsRead } from './reflection-cost.ts';
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
  readonly layout: MaterializedLayout;
  readonly rows: number;
  readonly stalenessMs: number;
}

interface Found {
  readonly usable: Usable;
  readonly plan: LogicalPlan;
  readonly cost: number;
}

function tablesOf(plan: LogicalPlan, into = new Set<string>()): Set<string> {
  if (plan.kind === 'scan') into.add(`${plan.table.source}\0${plan.table.table}`.toLowerCase());
  for (const input of planInputs(plan)) tablesOf(input, into);
  return into;
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
          layout: materializedLayout(definition, materialization.table, bound.schema),
          rows: materialization.rows,
          stalenessMs,
        });
      }
    }
  }

  const chosen: ChosenReflection[] = [];
  const alias = (u: Usable) => `reflection ${u.candidate.definition.name}`;
  const rewrite = (node: LogicalPlan, required: ReadonlySet<number>, above: readonly Expr[]): LogicalPlan => {
    const found: Found[] = [];
    for (const u of usable) {
      const { definition } = u.candidate;
      if (definition.type === 'AGGREGATION' && node.kind === 'aggregate') {
        const over = aggregateOverDataset(node, u.signature);
        if (!over) continue;
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
      } else if (definition.type === 'RAW' && planSignature(node) === u.signature) {
        const names = u.dataset.schema.map((f) => f.name);
        const match = matchRawReflection(node, names, u.layout, required, alias(u));
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
    if (found.length > 0) {
      const best = found.reduce((a, b) => (b.cost < a.cost ? b : a));
      for (const f of found)
        if (f !== best)
          record(f.usable.candidate, 'MATCHED', `${best.usable.candidate.definition.name} reads fewer rows`);
      record(best.usable.candidate, 'CHOSEN');
      const m = best.usable.candidate.materialization!;
      chosen.push({
        reflectionId: best.usable.candidate.definition.id,
        builtAt: m.builtAt,
        stalenessMs: best.usable.stalenessMs,
      });
      return best.plan;
    }
    const inputs = planInputs(node);
    if (inputs.length === 0) return node;
    const requiredBelow = requiredInputColumns(node, required);
    const predicatesBelow = node.kind === 'filter' ? splitConjunction(node.predicate) : [];
    const rewritten = inputs.map((input, i) => rewrite(input, requiredBelow[i], predicatesBelow));
    return rewritten.every((r, i) => r === inputs[i]) ? node : withInputs(node, rewritten);
  };
  const all = new Set(plan.schema.map((_, i) => i));
  const substituted = usable.length > 0 ? rewrite(plan, all, []) : plan;
  return { plan: substituted, considered: [...records.values()], chosen };
}
