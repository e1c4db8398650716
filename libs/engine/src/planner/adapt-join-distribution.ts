import { column, remapColumns } from '@tributary/plan';
import {
  physicalChildren,
  type DistributedPlan,
  type PhysicalExchange,
  type PhysicalHashJoin,
  type PhysicalNode,
  type StagePlan,
} from '@tributary/protocol';
import { PROBE_PRESERVING, broadcastMovesLess, broadcastPays } from './join-distribution.ts';

/** What the stages that ran so far left in their outputs, by stage id (undefined: not run, or not all its tasks). */
export type ActualSize = (stage: number) => { readonly rows: number; readonly bytes: number } | undefined;

export interface AdaptOptions {
  readonly broadcastRowLimit: number;
}

/** A shuffle join whose build side's size, once known, may make it a broadcast join. */
export interface AdaptiveJoin {
  /** The stage that joins. */
  readonly stage: number;
  /** The stage that shuffles the probe side (the join's left) to it. */
  readonly probe: number;
  /** The stage that shuffles the build side (the join's right) to it. */
  readonly build: number;
  /**
   * The side whose stage runs first for its size to be known: the build side, which becomes a
   * broadcast when small; or the probe side, when the build side is a whole table known to be
   * past the broadcast limit and the join may trade sides (inner): a small probe side is then
   * broadcast and built on, and the table is read where it lies.
   */
  readonly first: 'build' | 'probe';
}

/** What was decided for a stage's join, and the plan with it applied (unchanged when kept a shuffle join). */
export interface AdaptedJoin extends AdaptiveJoin {
  readonly broadcast: boolean;
  readonly buildRows: number;
  readonly plan: DistributedPlan;
}

/**
 * The shuffle join of stage `id` that may turn into a broadcast join at run time, if any
 * (Spark's adaptive query execution, Trino's dynamic join distribution). Stage `id` must join
 * a probe stage and a build stage both read through shuffles, and be nothing else that needs
 * its rows partitioned by key: no other shuffle read, no final or single-phase aggregate, no
 * window. The probe stage must be read by this stage only (it is then merged into it, never
 * run). Its build side must run first for its size to be known.
 */
export function adaptiveJoinOf(
  plan: DistributedPlan,
  id: number,
  options?: AdaptOptions,
): AdaptiveJoin | undefined {
  const stage = plan.stages[id];
  if (stage.tasks.kind !== 'partitions' || stage.adapted !== undefined) return undefined;
  const shuffles: PhysicalExchange[] = [];
  let join: PhysicalHashJoin | undefined;
  let partitionedWork = false;
  walk(stage.root, (node) => {
    if (node.kind === 'exchange' && node.exchange === 'hash') shuffles.push(node);
    if (
      node.kind === 'window' ||
      (node.kind === 'aggregate' && (node.mode !== 'partial' || node.ensuredGroups))
    )
      partitionedWork = true;
    if (isShuffleJoin(node)) join = node as PhysicalHashJoin;
  });
  if (!join || partitionedWork || shuffles.length !== 2 || !PROBE_PRESERVING.has(join.joinType))
    return undefined;
  const probe = (join.left as PhysicalExchange).stage;
  const build = (join.right as PhysicalExchange).stage;
  if (probe === build || plan.stages[build].output.kind !== 'hash') return undefined;
  const onlyReader = (input: number) => {
    const readers = plan.stages.filter((s) => s.inputs.includes(input));
    return readers.length === 1 && readers[0].id === id;
  };
  if (!onlyReader(probe)) return undefined;
  const tableRows = wholeTableRows(plan.stages[build].root);
  const first =
    options !== undefined &&
    join.joinType === 'inner' &&
    tableRows !== undefined &&
    tableRows > options.broadcastRowLimit &&
    plan.stages[probe].output.kind === 'hash' &&
    onlyReader(build)
      ? 'probe'
      : 'build';
  return { stage: id, probe, build, first };
}

/** The rows of a stage that reads a whole table (no filter, no limit): known before it runs. */
function wholeTableRows(root: PhysicalNode): number | undefined {
  let node = root;
  while (node.kind === 'project' && node.filter === null) node = node.input;
  return node.kind === 'scan' && node.scan.filters.length === 0 && node.scan.limit === null
    ? node.estimatedRows
    : undefined;
}

/**
 * Decides stage `join.stage`'s join from its build side's actual size: by the rule the
 * fragmenter applies to estimates (broadcastPays), and past the broadcast limit only when
 * broadcasting also moves fewer bytes than the probe side's shuffle would
 * (broadcastMovesLess: actual bytes are known now). When the build side proved small, the
 * join reads every partition of the build stage's output in each task (a broadcast: the
 * build stage needs no re-run) and the probe stage's plan is put in place of its shuffle,
 * so the stage runs as the probe stage's tasks did (over its splits) and the probe side is
 * never shuffled. The probe stage stays in the plan, read by no one, marked as merged.
 */
export function adaptJoinDistribution(
  plan: DistributedPlan,
  join: AdaptiveJoin,
  actualSize: ActualSize,
  options: AdaptOptions,
): AdaptedJoin | undefined {
  if (join.first === 'probe') return tradeSides(plan, join, actualSize, options);
  const size = actualSize(join.build);
  if (size === undefined) return undefined;
  const buildRows = size.rows;
  const stage = plan.stages[join.stage];
  const probe = plan.stages[join.probe];
  const buildOutput = plan.stages[join.build].output;
  if (buildOutput.kind !== 'hash') return undefined;
  const probeRows = probe.root.estimatedRows;
  const partitions = buildOutput.partitions;
  const broadcast =
    buildRows <= options.broadcastRowLimit ||
    (broadcastPays(buildRows, probeRows, options.broadcastRowLimit, partitions) &&
      broadcastMovesLess(size.bytes, probeRows, probe.root.schema, partitions));
  if (!broadcast) {
    const kept = keptShuffle(plan, stage, `build stage ${join.build}`, size);
    return { ...join, broadcast, buildRows, plan: kept };
  }
  const root = replaceJoin(stage.root, (node) => {
    const right = node.right as PhysicalExchange;
    return {
      ...node,
      left: probe.root,
      right: { ...right, exchange: 'broadcast', partitions: buildOutput.partitions },
    };
  });
  const adapted =
    `broadcast join at run time: build stage ${join.build} had ${buildRows} rows; ` +
    `stage ${join.probe} runs here, its rows not shuffled`;
  return { ...join, broadcast, buildRows, plan: mergedInto(plan, stage, root, probe, adapted) };
}

/**
 * Decides stage `join.stage`'s inner join from its probe side's actual size, its build side
 * being a table past the broadcast limit: when the probe side proved small, the join builds
 * on it, read whole in each task (a broadcast of every partition of its output), and probes
 * with the table, whose stage's plan is put in place of its shuffle: the stage runs over the
 * table's splits and the table is never shuffled. A projection puts the columns back in the
 * order the join gave them.
 */
function tradeSides(
  plan: DistributedPlan,
  join: AdaptiveJoin,
  actualSize: ActualSize,
  options: AdaptOptions,
): AdaptedJoin | undefined {
  const size = actualSize(join.probe);
  const probeOutput = plan.stages[join.probe].output;
  if (size === undefined || probeOutput.kind !== 'hash') return undefined;
  const stage = plan.stages[join.stage];
  const table = plan.stages[join.build];
  if (size.rows > options.broadcastRowLimit) {
    const kept = keptShuffle(plan, stage, `probe stage ${join.probe}`, size);
    return { ...join, broadcast: false, buildRows: size.rows, plan: kept };
  }
  const root = replaceJoin(stage.root, (node) => {
    const left = node.left.schema.length;
    const right = node.right.schema.length;
    // Column i of the join's output is column `moved(i)` of the traded one, and the other way round.
    const moved = (i: number) => (i < left ? i + right : i - left);
    const traded: PhysicalHashJoin = {
      ...node,
      left: table.root,
      right: {
        ...(node.left as PhysicalExchange),
        exchange: 'broadcast',
        partitions: probeOutput.partitions,
      },
      condition: node.condition && remapColumns(node.condition, moved),
      schema: [...node.schema.slice(left), ...node.schema.slice(0, left)],
    };
    return {
      kind: 'project',
      input: traded,
      exprs: node.schema.map((f, i) => column(moved(i), f.name, f.type)),
      filter: null,
      schema: node.schema,
      estimatedRows: node.estimatedRows,
    };
  });
  const adapted =
    `sides traded at run time: probe stage ${join.probe} had ${size.rows} rows and is built on; ` +
    `stage ${join.build} runs here, its rows not shuffled`;
  return {
    ...join,
    broadcast: true,
    buildRows: size.rows,
    plan: mergedInto(plan, stage, root, table, adapted),
  };
}

/** The plan with the join stage's decision to stay a shuffle join noted, from the size of the side weighed. */
function keptShuffle(
  plan: DistributedPlan,
  stage: StagePlan,
  side: string,
  size: { readonly rows: number; readonly bytes: number },
): DistributedPlan {
  const adapted = `kept a shuffle join: ${side} had ${size.rows} rows, ${size.bytes} bytes`;
  return withStages(plan, [{ ...stage, adapted }]);
}

/**
 * The plan with the join stage running `root`, into which `source`'s plan was put in place
 * of its shuffle: the stage takes over `source`'s tasks (its splits) and inputs, and `source`
 * stays in the plan, read by no one, marked as merged.
 */
function mergedInto(
  plan: DistributedPlan,
  stage: StagePlan,
  root: PhysicalNode,
  source: StagePlan,
  adapted: string,
): DistributedPlan {
  const joined: StagePlan = {
    ...stage,
    root,
    tasks: source.tasks,
    inputs: [...source.inputs, ...stage.inputs.filter((i) => i !== source.id)],
    adapted,
  };
  const merged: StagePlan = { ...source, adapted: `not run: merged into stage ${stage.id} at run time` };
  return withStages(plan, [joined, merged]);
}

function withStages(plan: DistributedPlan, changed: readonly StagePlan[]): DistributedPlan {
  const byId = new Map(changed.map((s) => [s.id, s]));
  return { ...plan, stages: plan.stages.map((s) => byId.get(s.id) ?? s) };
}

function walk(node: PhysicalNode, visit: (node: PhysicalNode) => void): void {
  visit(node);
  for (const child of physicalChildren(node)) walk(child, visit);
}

/** A hash join both of whose sides are read through shuffles. */
function isShuffleJoin(node: PhysicalNode): boolean {
  return (
    node.kind === 'hash-join' &&
    node.left.kind === 'exchange' &&
    node.left.exchange === 'hash' &&
    node.right.kind === 'exchange' &&
    node.right.exchange === 'hash'
  );
}

/** The plan with its one join over two shuffles rewritten by `rewrite`. */
function replaceJoin(node: PhysicalNode, rewrite: (join: PhysicalHashJoin) => PhysicalNode): PhysicalNode {
  if (isShuffleJoin(node)) return rewrite(node as PhysicalHashJoin);
  switch (node.kind) {
    case 'scan':
    case 'values':
    case 'exchange':
      return node;
    case 'hash-join':
      return { ...node, left: replaceJoin(node.left, rewrite), right: replaceJoin(node.right, rewrite) };
    case 'union':
      return { ...node, inputs: node.inputs.map((i) => replaceJoin(i, rewrite)) };
    default:
      return { ...node, input: replaceJoin(node.input, rewrite) };
  }
}
