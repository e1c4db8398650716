import type { Field } from '@tributary/plan';

/**
 * How a join's rows meet: the rule the fragmenter applies to estimates at planning
 * (fragment-plan.ts) and the scheduler to actual sizes at run time
 * (adapt-join-distribution.ts), so both weigh a broadcast against a shuffle the same way.
 */

/** Joins whose left (probe) rows each appear in the output at most once per match: the right side may be broadcast. */
export const PROBE_PRESERVING: ReadonlySet<string> = new Set([
  'inner',
  'left',
  'semi',
  'anti',
  'cross',
  'single',
  'mark',
]);

/** A build side beyond `broadcastRowLimit` is broadcast by cost only up to this many times it. */
export const BROADCAST_COST_CAP = 10;

/**
 * Whether a build side of `buildRows` rows should be broadcast to `partitions` task slots
 * rather than both sides shuffled: when it has no more than `broadcastRowLimit` rows, or (up
 * to ten times that, to bound each thread's table) when sending it to every slot moves well
 * under half the rows a shuffle of the probe side would, as Trino's automatic join
 * distribution weighs the two by cost. `probeRows` undefined: only the limit decides.
 */
export function broadcastPays(
  buildRows: number,
  probeRows: number | undefined,
  broadcastRowLimit: number,
  partitions: number,
): boolean {
  if (buildRows <= broadcastRowLimit) return true;
  if (probeRows === undefined || buildRows > BROADCAST_COST_CAP * broadcastRowLimit) return false;
  return 2 * buildRows * partitions <= probeRows;
}

/**
 * Whether broadcasting a build side of `buildBytes` (as it ran) to `partitions` task slots
 * moves no more bytes than shuffling the probe side would (the build side is read by every
 * slot instead of once; the probe side, not yet run, is sized from its estimated rows and
 * its columns' widths). Rows alone misjudge wide build sides: a 325,000-row join of
 * lineitem and partsupp weighs 36 MB, twice the 1.5 million orders keys it would spare.
 */
export function broadcastMovesLess(
  buildBytes: number,
  probeRows: number | undefined,
  probeSchema: readonly Field[],
  partitions: number,
): boolean {
  if (probeRows === undefined) return false;
  return buildBytes * (partitions - 1) <= probeRows * estimatedRowBytes(probeSchema);
}

/** Bytes a row of `schema` takes in Arrow batches, about: fixed widths, strings at 24 (offset and ~20 bytes). */
export function estimatedRowBytes(schema: readonly Field[]): number {
  let bytes = 0;
  for (const field of schema) {
    switch (field.type.kind) {
      case 'NULL':
        break;
      case 'BOOLEAN':
        bytes += 1;
        break;
      case 'INTEGER':
      case 'DATE':
        bytes += 4;
        break;
      case 'BIGINT':
      case 'DOUBLE':
      case 'TIMESTAMP':
      case 'TIME':
        bytes += 8;
        break;
      case 'HUGEINT':
      case 'DECIMAL':
        bytes += 16;
        break;
      case 'VARCHAR':
        bytes += 24;
        break;
    }
  }
  return bytes;
}
