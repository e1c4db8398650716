import { UnnestExec } from '../operators/unnest-exec.ts';
import { InternalError } from '@tributary/common';
import type { Split } from '@tributary/connectors';
import type { ScanCounters } from '@tributary/plan';
import { physicalChildren, type PhysicalExchange, type PhysicalNode } from '@tributary/protocol';
import type { MemoryPool, OperatorResources } from '../memory/memory-pool.ts';
import { CooperativeExec } from '../physical/cooperative-exec.ts';
import { InstrumentedExec } from '../physical/instrumented-exec.ts';
import type { OperatorMetrics } from '../physical/operator-metrics.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import type { TaskTurn } from '../physical/task-turns.ts';
import { FilterExec } from '../operators/filter-exec.ts';
import { HashAggregate } from '../operators/hash-aggregate.ts';
import { HashJoin } from '../operators/hash-join.ts';
import type { BuildShare, SharedBuilds } from '../operators/shared-builds.ts';
import { LimitExec } from '../operators/limit-exec.ts';
import { ProjectExec } from '../operators/project-exec.ts';
import { ScanExec, type ConnectorLookup } from '../operators/scan.ts';
import { SortExec, TopN } from '../operators/sort.ts';
import { ValuesExec } from '../operators/values-exec.ts';
import { WindowExec } from '../operators/window-exec.ts';
import { UnionExec } from '../operators/union-exec.ts';
import { ExpandExec } from '../operators/expand-exec.ts';
import { ReplicateExec } from '../operators/replicate-exec.ts';

/** What a task gives the operators it builds. */
export interface OperatorContext {
  /** Defaults to the registry of @tributary/connectors. */
  readonly connectorFor?: ConnectorLookup;
  /** The splits the task's scan reads; undefined lets the connector plan them (one process). */
  readonly splits?: readonly Split[];
  /** Folders every scanned file must lie inside; without them every file is refused. */
  readonly roots?: readonly string[];
  /** Reads an earlier stage's output; tasks without exchanges need none. */
  exchange?(node: PhysicalExchange): PhysicalOperator;
  /** Let the thread's event loop in between batches, taking this task's turns (tasks on worker threads: see CooperativeExec). */
  readonly cooperative?: TaskTurn;
  /** The memory buffering operators reserve and the folder they spill to; unbounded by default. */
  readonly resources?: OperatorResources;
  /** Told which file a scan reads (see ScanExecOptions.onFile). */
  readonly onFile?: (file: string | null) => void;
  /** Where the task's scan counts what it reads and skips (a stage has at most one scan). */
  readonly scanCounters?: ScanCounters;
  /** EXPLAIN ANALYZE: every operator counts its rows, batches and time here (made for the same plan). */
  readonly metrics?: OperatorMetrics;
  /**
   * The build sides this thread shares among the tasks of a stage, with what identifies the
   * stage and the pool their memory is charged to (see SharedBuilds).
   */
  readonly sharedBuilds?: {
    readonly builds: SharedBuilds;
    readonly queryId: string;
    readonly stage: number;
    readonly pool: MemoryPool;
  };
}

/**
 * Whether a plan gives the same rows in every task of its stage: it reads no splits and no
 * partition of a shuffle, only whole outputs of earlier stages (broadcast, gather) or literals.
 */
function sameInEveryTask(node: PhysicalNode): boolean {
  if (node.kind === 'scan') return false;
  if (node.kind === 'exchange') return node.exchange !== 'hash';
  return physicalChildren(node).every(sameInEveryTask);
}

/** Where a hash join's build side is shared on its thread, if it can be (see SharedBuilds). */
function buildShare(
  node: PhysicalNode & { kind: 'hash-join' },
  context: OperatorContext,
): BuildShare | undefined {
  const shared = context.sharedBuilds;
  // Right and full joins mark the build rows they matched: each task needs its own marks.
  if (!shared || node.joinType === 'right' || node.joinType === 'full' || !sameInEveryTask(node.right))
    return undefined;
  // Equal build inputs and keys make equal build sides, so the plan text itself is the key.
  const key = `${shared.stage}:${node.left.schema.length}:${JSON.stringify(node.condition)}:${JSON.stringify(node.right)}`;
  return { builds: shared.builds, queryId: shared.queryId, key, pool: shared.pool };
}

/** Turns a physical plan (data) into the operators that run it. */
export function buildOperators(node: PhysicalNode, context: OperatorContext = {}): PhysicalOperator {
  const built = buildOperator(node, context);
  // Measured inside the cooperative wrapper, so that this operator's own yields are not its time.
  const operator = context.metrics ? new InstrumentedExec(built, context.metrics.of(node)) : built;
  return context.cooperative ? new CooperativeExec(operator, context.cooperative) : operator;
}

function buildOperator(node: PhysicalNode, context: OperatorContext): PhysicalOperator {
  const build = (child: PhysicalNode) => buildOperators(child, context);
  switch (node.kind) {
    case 'scan':
      return new ScanExec(node.scan, {
        roots: context.roots ?? [],
        connectorFor: context.connectorFor,
        splits: context.splits,
        onFile: context.onFile,
        counters: context.scanCounters,
      });
    case 'values':
      return new ValuesExec(node.rows, node.schema);
    case 'filter':
      return new FilterExec(build(node.input), node.predicate);
    case 'project':
      return new ProjectExec(build(node.input), node.exprs, node.schema, node.filter ?? undefined);
    case 'aggregate':
      return new HashAggregate(
        build(node.input),
        node.groupBy,
        node.aggregates,
        node.schema,
        node.mode,
        context.resources,
        node.ensuredGroups,
      );
    case 'hash-join':
      return new HashJoin(
        build(node.left),
        build(node.right),
        node.joinType,
        node.condition,
        node.schema,
        context.resources,
        buildShare(node, context),
        // A right input every task reads whole (broadcast) is built once per thread instead.
        node.buildLeft === true && !sameInEveryTask(node.right),
      );
    case 'sort':
      return new SortExec(build(node.input), node.keys, context.resources);
    case 'top-n':
      return new TopN(build(node.input), node.keys, node.limit, node.offset, context.resources);
    case 'limit':
      return new LimitExec(build(node.input), node.limit, node.offset);
    case 'window':
      return new WindowExec(
        build(node.input),
        node.partitionBy,
        node.orderBy,
        node.calls,
        node.schema,
        context.resources,
      );
    case 'union':
      return new UnionExec(node.inputs.map(build), node.schema);
    case 'expand':
      return new ExpandExec(build(node.input), node.keys, node.sets, node.schema);
    case 'replicate':
      return new ReplicateExec(build(node.input), node.schema);
    case 'unnest':
      return new UnnestExec(build(node.input), node.schema);
    case 'exchange':
      if (!context.exchange)
        throw new InternalError(`stage ${node.stage}'s output was read by a task with no exchange inputs`);
      return context.exchange(node);
  }
}
