import { BIGINT, InternalError, type SqlType } from '@tributary/common';
import type { AggregateCall } from '@tributary/plan';
import type { Accumulator, AggregateMode } from './accumulator.ts';
import { AvgAccumulator, avgSumStateType } from './avg-accumulator.ts';
import { CountAccumulator } from './count-accumulator.ts';
import { DistinctAccumulator } from './distinct-accumulator.ts';
import { MinMaxAccumulator } from './min-max-accumulator.ts';
import { SumAccumulator } from './sum-accumulator.ts';

// The accumulators live one a file; this registry picks one per aggregate call, and re-exports
// them so that importers of this module keep working.
export type { Accumulator, AggregateMode } from './accumulator.ts';
export { AvgAccumulator, avgSumStateType } from './avg-accumulator.ts';
export { compareBytes } from './compare-bytes.ts';
export { CountAccumulator } from './count-accumulator.ts';
export { DistinctAccumulator } from './distinct-accumulator.ts';
export { MinMaxAccumulator } from './min-max-accumulator.ts';
export { SumAccumulator } from './sum-accumulator.ts';
export { WideSum } from './wide-sum.ts';

/** Whether every aggregate's state can be merged ('final' mode), which spilling relies on. */
export function aggregatesMergeable(calls: readonly AggregateCall[]): boolean {
  return calls.every((c) => !c.distinct || c.fn === 'min' || c.fn === 'max');
}

/** The columns partial aggregation emits for one aggregate, which final aggregation reads. */
export function aggregateStateTypes(call: AggregateCall): SqlType[] {
  switch (call.fn) {
    case 'count_star':
    case 'count':
      return [BIGINT];
    case 'sum':
      return [call.type];
    case 'avg':
      return [avgSumStateType(call.arg!.type), BIGINT];
    case 'min':
    case 'max':
      return [call.arg!.type];
  }
}

/** The accumulator computing `call` in the given mode. */
export function createAccumulator(call: AggregateCall, mode: AggregateMode): Accumulator {
  const argType = call.arg?.type;
  const distinct = call.distinct && call.fn !== 'min' && call.fn !== 'max';
  if (distinct && mode !== 'single')
    throw new InternalError(`${call.fn}(DISTINCT …) cannot be split into partial and final aggregation`);
  let accumulator: Accumulator;
  switch (call.fn) {
    case 'count_star':
      accumulator = mode === 'final' ? new CountAccumulator(true, true) : new CountAccumulator(false);
      break;
    case 'count':
      accumulator = mode === 'final' ? new CountAccumulator(true, true) : new CountAccumulator(true);
      break;
    case 'sum':
      accumulator = new SumAccumulator(mode === 'final' ? call.type : argType!, call.type);
      break;
    case 'avg':
      accumulator = new AvgAccumulator(argType!, mode);
      break;
    case 'min':
    case 'max':
      accumulator = new MinMaxAccumulator(argType!, call.fn === 'max');
      break;
  }
  return distinct ? new DistinctAccumulator(accumulator, argType!) : accumulator;
}
