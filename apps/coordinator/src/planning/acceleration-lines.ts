import { describeDuration } from '@tributary/reflections';
import type { PlannedAcceleration } from './plan-with-reflections.ts';

/**
 * EXPLAIN's account of reflections, under the logical plan (whose scans of reflections show
 * the substitution): a line per reflection considered, with its relationship and reason.
 */
export function accelerationLines(acceleration: PlannedAcceleration | null | undefined): string {
  if (!acceleration || acceleration.relationships.length === 0) return '';
  const lines = acceleration.relationships.map((r) => {
    const age =
      r.relationship === 'CHOSEN' && r.stalenessMs ? ` (data ${describeDuration(r.stalenessMs)} old)` : '';
    return `  ${r.reflectionName} (${r.reflectionType} on ${r.datasetPath.join('.')}): ${r.relationship}${r.reason ? `: ${r.reason}` : ''}${age}`;
  });
  return `\n\nReflections:\n${lines.join('\n')}`;
}
