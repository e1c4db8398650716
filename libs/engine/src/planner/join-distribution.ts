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
