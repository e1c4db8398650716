import { ListAggAccumulator } from './list-agg-accumulator.ts';
import { BIGINT, DOUBLE, InternalError, type SqlType } from '@tributary/common';
import { needsAllValues, type AggregateCall } from '@tributary/plan';
import type { Accumulator, AggregateMode } from './accumulator.ts';
import { AvgAccumulator, avgSumStateType } from './avg-accumulator.ts';
import { CountAccumulator } from './count-accumulator.ts';
import { DistinctAccumulator } from './distinct-accumulator.ts';
import { MinMaxAccumulator } from './min-max-accumulator.ts';
import { SumAccumulator } from './sum-accumulator.ts';
import { BitAccumulator } from './bit-accumulator.ts';
import { BoolAccumulator } from './bool-accumulator.ts';
import { OrderedStringAggAccumulator } from './ordered-string-agg-accumulator.ts';
import { QuantileAccumulator } from './quantile-accumulator.ts';
import { StringAggAccumulator } from './string-agg-accumulator.ts';
import { VARIANCE_STATE_TYPES, VarianceAccumulator } from './variance-accumulator.ts';
import { COVARIANCE_STATE_TYPES, CovarianceAccumulator } from './covariance-accumulator.ts';
import { ModeAccumulator } from './mode-accumulator.ts';
import { PickAccumulator, pickStateTypes } from './pick-accumulator.ts';
import { ProductAccumulator } from './product-accumulator.ts';

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
export { BoolAccumulator } from './bool-accumulator.ts';
export { OrderedStringAggAccumulator } from './ordered-string-agg-accumulator.ts';
export { QuantileAccumulator } from './quantile-accumulator.ts';
export { StringAggAccumulator } from './string-agg-accumulator.ts';
export { VarianceAccumulator } from './variance-accumulator.ts';

/** Whether every aggregate's state can be merged ('final' mode), which spilling relies on. */
export function aggregatesMergeable(calls: readonly AggregateCall[]): boolean {
  return calls.every((c) => !needsAllValues(c));
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
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      return VARIANCE_STATE_TYPES;
    case 'bool_and':
    case 'bool_or':
    case 'bit_and':
    case 'bit_or':
    case 'bit_xor':
    case 'string_agg':
    case 'list':
      return [call.type];
    case 'any_value':
    case 'first':
    case 'last':
    case 'arg_max':
    case 'arg_min':
      return pickStateTypes(call.fn, call.arg!.type, call.arg2?.type);
    case 'product':
      return [DOUBLE];
    case 'corr':
    case 'covar_pop':
    case 'covar_samp':
    case 'regr_slope':
    case 'regr_intercept':
      return COVARIANCE_STATE_TYPES;
    case 'mode':
    case 'median':
    case 'quantile_cont':
    case 'quantile_disc':
      // Never split: their groups' rows are shuffled whole (needsAllValues).
      throw new InternalError(`${call.fn}() has no partial state`);
  }
}

/** The accumulator computing `call` in the given mode. */
export function createAccumulator(call: AggregateCall, mode: AggregateMode): Accumulator {
  const argType = call.arg?.type;
  const distinct = call.distinct && call.fn !== 'min' && call.fn !== 'max';
  if (needsAllValues(call) && mode !== 'single')
    throw new InternalError(`${call.fn}() cannot be split into partial and final aggregation`);
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
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop':
      accumulator = new VarianceAccumulator(call.fn, mode);
      break;
    case 'bool_and':
    case 'bool_or':
      accumulator = new BoolAccumulator(call.fn === 'bool_and');
      break;
    case 'bit_and':
    case 'bit_or':
    case 'bit_xor':
      accumulator = new BitAccumulator(call.fn, call.type);
      break;
    case 'string_agg':
      accumulator = call.orderBy?.length
        ? new OrderedStringAggAccumulator(String(call.param ?? ','), call.orderBy)
        : new StringAggAccumulator(String(call.param ?? ','));
      break;
    case 'any_value':
    case 'first':
    case 'last':
    case 'arg_max':
    case 'arg_min':
      accumulator = new PickAccumulator(call.fn, argType!, call.arg2?.type, mode);
      break;
    case 'product':
      accumulator = new ProductAccumulator();
      break;
    case 'list':
      accumulator = new ListAggAccumulator(call.type, mode, call.orderBy ?? [], call.arg2 !== undefined);
      break;
    case 'corr':
    case 'covar_pop':
    case 'covar_samp':
    case 'regr_slope':
    case 'regr_intercept':
      accumulator = new CovarianceAccumulator(call.fn, mode);
      break;
    case 'mode':
      accumulator = new ModeAccumulator(
        argType!,
        call.orderBy?.length ? (call.orderBy[0].ascending ? 1 : -1) : undefined,
      );
      break;
    case 'median':
    case 'quantile_cont':
    case 'quantile_disc': {
      const continuous =
        call.fn === 'quantile_cont' || (call.fn === 'median' && call.type.kind !== 'VARCHAR');
      const fraction = call.fn === 'median' ? 0.5 : Number(call.param);
      const descending = call.orderBy?.[0]?.ascending === false;
      accumulator = new QuantileAccumulator(argType!, call.type, fraction, continuous, descending);
      break;
    }
  }
  if (!distinct) return accumulator;
  // list(DISTINCT x) keeps one NULL, as DuckDB's does; its FILTER decides before the values are deduplicated.
  const list = call.fn === 'list';
  return new DistinctAccumulator(
    accumulator,
    argType!,
    list,
    list && call.arg2 !== undefined ? 1 : undefined,
  );
}
