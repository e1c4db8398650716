import type { RecordBatch } from 'apache-arrow';
import { exprToString, type Field, type ScanCounters } from '@tributary/plan';
import { taskCount, type DistributedPlan, type PhysicalExchange, type StagePlan } from '@tributary/protocol';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { describeSortKeys } from '../operators/sort-keys.ts';
import { buildOperators } from './build-operators.ts';
import { describeScanCounters } from './describe-scan-counters.ts';
import { explainPhysicalLines } from './explain-physical.ts';

/** Stands for an exchange in EXPLAIN: it names the stage it reads and how. */
class ExchangeLabel implements PhysicalOperator {
  readonly name = 'Exchange';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema: readonly Field[];

  constructor(private readonly node: PhysicalExchange) {
    this.schema = node.schema;
  }

  describe(): string {
    const order = this.node.orderBy ? ` by ${describeSortKeys(this.node.orderBy)}` : '';
    const all = this.node.partitions === undefined ? '' : ` (all ${this.node.partitions} partitions)`;
    return `${this.node.exchange}${order} from stage ${this.node.stage}${all}`;
  }

  // eslint-disable-next-line require-yield
  async *execute(): AsyncIterable<RecordBatch> {
    throw new Error('an EXPLAIN label does not run');
  }
}

function describeOutput(stage: StagePlan): string {
  const output = stage.output;
  if (output.kind === 'result') return 'to the coordinator';
  if (output.kind === 'single') return 'as one partition';
  return `hash-partitioned by [${output.keys.map(exprToString).join(', ')}] into ${output.partitions}`;
}

function describeTasks(stage: StagePlan): string {
  const n = taskCount(stage.tasks);
  const unit = n === 1 ? 'task' : 'tasks';
  if (stage.tasks.kind === 'splits') return `${n} ${unit}, one per split group`;
  if (stage.tasks.kind === 'partitions') return `${n} ${unit}, one per partition`;
  return `1 task`;
}

/** One stage's EXPLAIN text: its heading, then one line an operator. */
export interface ExplainedStage {
  readonly id: number;
  readonly heading: string;
  /** What was decided about the stage at run time (StagePlan.adapted). */
  readonly adapted?: string;
  /** In pre-order, indented: line i is the operator EXPLAIN ANALYZE's figures number i. */
  readonly operators: readonly string[];
  /** What planning pruned from the stage's scan (describeScanCounters), if it pruned anything. */
  readonly scan?: string;
}

/**
 * A distributed plan's EXPLAIN text in parts: making it walks every operator (heavy for a
 * big plan: done on a planner thread), joining it with each stage's notes and figures is light.
 */
export interface ExplainedPlan {
  readonly header: string;
  /** From the last stage to the first. */
  readonly stages: readonly ExplainedStage[];
}

/**
 * `pruned` gives what planning counted for a stage's scan (planSplits: row groups, files and
 * partitions it left out), by stage id.
 */
export function explainStages(
  plan: DistributedPlan,
  pruned: (stage: number) => ScanCounters | undefined = () => undefined,
): ExplainedPlan {
  const { result } = plan;
  const parts = [
    result.read === 'merge' ? `merge by ${describeSortKeys(result.orderBy ?? [])}` : `read ${result.read}`,
    ...(result.offset > 0 ? [`offset ${result.offset}`] : []),
    ...(result.limit !== null ? [`limit ${result.limit}`] : []),
  ];
  return {
    header: `Coordinator: ${parts.join(', ')} from stage ${plan.stages.length - 1}`,
    stages: [...plan.stages].reverse().map((stage) => explainStage(stage, pruned(stage.id))),
  };
}

/** The EXPLAIN text's parts with `stages` explained again as they ran (changed at run time). */
export function withStagesExplained(
  explained: ExplainedPlan,
  stages: readonly StagePlan[],
  pruned: (stage: number) => ScanCounters | undefined = () => undefined,
): ExplainedPlan {
  if (stages.length === 0) return explained;
  const again = new Map(stages.map((s) => [s.id, explainStage(s, pruned(s.id))]));
  return { ...explained, stages: explained.stages.map((s) => again.get(s.id) ?? s) };
}

/** One stage's EXPLAIN text; `pruned`: what planning left out of its scan. */
export function explainStage(stage: StagePlan, pruned?: ScanCounters): ExplainedStage {
  const reads = stage.inputs.length ? `, reads stage ${stage.inputs.join(', ')}` : '';
  const operators = buildOperators(stage.root, { exchange: (node) => new ExchangeLabel(node) });
  const scan = pruned && describeScanCounters(pruned);
  return {
    id: stage.id,
    heading: `Stage ${stage.id}: ${describeTasks(stage)}${reads}; output ${describeOutput(stage)}`,
    ...(stage.adapted ? { adapted: stage.adapted } : {}),
    operators: explainPhysicalLines(operators, 1, stage.root),
    ...(scan ? { scan: `${scan} (planning)` } : {}),
  };
}

/** What EXPLAIN ANALYZE adds to the plan's text. */
export interface ExplainAnalysis {
  /** Lines under a stage: what each of its tasks did. */
  notes(stage: number): readonly string[];
  /** Text to end each operator line of a stage with, by the operator's pre-order position. */
  actuals(stage: number): readonly string[];
  /** What the stage's scan read and skipped, planning and tasks together (describeScanCounters). */
  scan?(stage: number): string | undefined;
}

/** The EXPLAIN text; with an analysis, each operator's figures and each task's lines (EXPLAIN ANALYZE). */
export function formatExplain(explained: ExplainedPlan, analysis?: ExplainAnalysis): string {
  const lines = [explained.header];
  for (const stage of explained.stages) {
    lines.push('', stage.heading);
    if (stage.adapted) lines.push(`  Adapted: ${stage.adapted}`);
    const actuals = analysis?.actuals(stage.id) ?? [];
    // Figures that do not number like the lines (a plan printed otherwise than it ran) are left out.
    const matched = actuals.length === stage.operators.length;
    stage.operators.forEach((line, i) => lines.push(matched && actuals[i] ? `${line} ${actuals[i]}` : line));
    const scan = analysis?.scan ? analysis.scan(stage.id) : stage.scan;
    if (scan) lines.push(`  ${scan}`);
    for (const note of analysis?.notes(stage.id) ?? []) lines.push(`  ${note}`);
  }
  return lines.join('\n');
}

/** Prints a distributed plan: the coordinator's part, then every stage from the last to the first. */
export function explainDistributed(plan: DistributedPlan): string {
  return formatExplain(explainStages(plan));
}
