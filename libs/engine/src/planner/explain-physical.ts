import type { PhysicalOperator } from '../physical/physical-operator.ts';

/** An indented, one-operator-a-line rendering of a physical plan for EXPLAIN. */
export function explainPhysical(op: PhysicalOperator, indent = 0): string {
  const description = op.describe();
  const line = `${'  '.repeat(indent)}${op.name}${description ? ` ${description}` : ''}`;
  return [line, ...op.children.map((c) => explainPhysical(c, indent + 1))].join('\n');
}
