import { ColumnBuilder, readItem, type ListItem, type SqlType } from '@tributary/common';
import { column, type AggregateCall, type AggregateFunctionName } from '@tributary/plan';
import { createAccumulator } from '../operators/hash-aggregate-accumulators.ts';

const ONE_GROUP = new Int32Array(0);
let groupIds = ONE_GROUP;

/**
 * list_sum(l), list_avg(l), list_aggregate(l, 'median')…: the aggregate over the list's
 * elements as over a group's rows, by the very accumulator a GROUP BY uses, so that types,
 * NULL handling and digits are the aggregate's own. Returns the result as a list item.
 */
export function listAggregate(
  list: readonly ListItem[],
  fn: string,
  element: SqlType,
  type: SqlType,
): ListItem {
  const values = new ColumnBuilder(element, list.length);
  for (const item of list) values.appendItem(item);
  const call: AggregateCall = {
    fn: fn as AggregateFunctionName,
    arg: column(0, 'element', element),
    distinct: false,
    type,
    ...(fn === 'string_agg' ? { param: ',' } : {}),
  };
  const accumulator = createAccumulator(call, 'single');
  accumulator.resize(1);
  if (groupIds.length < list.length) groupIds = new Int32Array(Math.max(list.length, 2 * groupIds.length));
  accumulator.update(groupIds, [values.finish()], null, list.length);
  return readItem(accumulator.emit(0, 1)[0], 0);
}
