import { physicalChildren, type PhysicalNode } from '@tributary/protocol';
import type { PhysicalOperator } from '../physical/physical-operator.ts';

/**
 * An indented, one-operator-a-line rendering of a physical plan for EXPLAIN. Given the
 * physical nodes the operators were built from, each line ends with the node's estimated
 * rows (`est. N rows`) where the optimizer could estimate them.
 */
export function explainPhysical(op: PhysicalOperator, indent = 0, node?: PhysicalNode): string {
  return explainPhysicalLines(op, indent, node).join('\n');
}

/**
 * The lines of `explainPhysical`, one an operator in pre-order: line i is the operator
 * EXPLAIN ANALYZE's figures number i (OperatorMetrics numbers the nodes the same way).
 */
export function explainPhysicalLines(op: PhysicalOperator, indent = 0, node?: PhysicalNode): string[] {
  const description = op.describe();
  const estimate = node?.estimatedRows === undefined ? '' : ` (est. ${node.estimatedRows} rows)`;
  const line = `${'  '.repeat(indent)}${op.name}${description ? ` ${description}` : ''}${estimate}`;
  // Operators are built one per node, children in the same order; anything else prints without estimates.
  const nodes = node ? physicalChildren(node) : [];
  const zipped = nodes.length === op.children.length;
  return [
    line,
    ...op.children.flatMap((c, i) => explainPhysicalLines(c, indent + 1, zipped ? nodes[i] : undefined)),
  ];
}
