import type { RecordBatch } from 'apache-arrow';
import { exprToString, type Field } from '@tributary/plan';
import { taskCount, type DistributedPlan, type PhysicalExchange, type StagePlan } from '@tributary/protocol';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { describeSortKeys } from '../operators/sort-keys.ts';
import { buildOperators } from './build-operators.ts';
import { explainPhysical } from './explain-physical.ts';

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
    return `${this.node.exchange}${order} from stage ${this.node.stage}`;
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

/** Extra lines per stage (EXPLAIN ANALYZE: each task's executor, rows, bytes and time). */
export type StageNotes = (stage: StagePlan) => readonly string[];

/** Prints a distributed plan: the coordinator's part, then every stage from the last to the first. */
export function explainDistributed(plan: DistributedPlan, notes?: StageNotes): string {
  const { result } = plan;
  const parts = [
    result.read === 'merge' ? `merge by ${describeSortKeys(result.orderBy ?? [])}` : `read ${result.read}`,
    ...(result.offset > 0 ? [`offset ${result.offset}`] : []),
    ...(result.limit !== null ? [`limit ${result.limit}`] : []),
  ];
  const lines = [`Coordinator: ${parts.join(', ')} from stage ${plan.stages.length - 1}`];
  for (const stage of [...plan.stages].reverse()) {
    const reads = stage.inputs.length ? `, reads stage ${stage.inputs.join(', ')}` : '';
    lines.push('', `Stage ${stage.id}: ${describeTasks(stage)}${reads}; output ${describeOutput(stage)}`);
    const operators = buildOperators(stage.root, { exchange: (node) => new ExchangeLabel(node) });
    lines.push(explainPhysical(operators, 1));
    for (const note of notes?.(stage) ?? []) lines.push(`  ${note}`);
  }
  return lines.join('\n');
}
