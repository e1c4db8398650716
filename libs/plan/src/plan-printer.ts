import { typeToString } from '@tributary/common';
import { exprToDisplayString } from './expr-visitors.ts';
import type { AggregateCall } from './expr.ts';
import type { LogicalPlan, ScanPushdown, SortKey } from './logical-plan.ts';
import { scanInputColumns } from './scan-input-columns.ts';
import { planInputs } from './plan-visitors.ts';
import { windowCallToString } from './window-call-to-string.ts';

function sortKeysToString(keys: readonly SortKey[]): string {
  return keys
    .map(
      (k) =>
        `${exprToDisplayString(k.expr)} ${k.ascending ? 'ASC' : 'DESC'}${k.nullsFirst ? ' NULLS FIRST' : ''}`,
    )
    .join(', ');
}

function aggregateToString(a: AggregateCall): string {
  if (a.fn === 'count_star') return 'count(*)';
  const param = a.param === undefined ? '' : `, ${JSON.stringify(a.param)}`;
  const order = a.orderBy?.length
    ? ` ORDER BY ${a.orderBy.map((k) => `${exprToDisplayString(k.expr)}${k.ascending ? '' : ' DESC'}`).join(', ')}`
    : '';
  return `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${a.arg ? exprToDisplayString(a.arg) : ''}${a.arg2 ? `, ${exprToDisplayString(a.arg2)}` : ''}${param}${order})`;
}

/** What a scan's source computes for it (ScanPushdown), as EXPLAIN shows it. */
export function pushedToString(pushed: ScanPushdown | undefined): string {
  if (!pushed) return '';
  const parts: string[] = [];
  for (const j of pushed.joins)
    parts.push(
      ` join ${j.table.source}.${j.table.table}${j.alias !== j.table.table ? ` AS ${j.alias}` : ''}`,
    );
  if (pushed.aggregate)
    parts.push(
      ` partial-aggregate groupBy=[${pushed.aggregate.groupBy.map(exprToDisplayString).join(', ')}] aggs=[${pushed.aggregate.aggregates.map(aggregateToString).join(', ')}]`,
    );
  if (pushed.orderBy.length) parts.push(` orderBy=[${sortKeysToString(pushed.orderBy)}]`);
  return parts.join('');
}

function describe(plan: LogicalPlan): string {
  switch (plan.kind) {
    case 'scan': {
      const input = scanInputColumns(plan);
      const cols = plan.pushed?.aggregate ? '' : ` [${plan.columns.map((i) => input[i].name).join(', ')}]`;
      const filters = plan.filters.length
        ? ` filters=[${plan.filters.map(exprToDisplayString).join(', ')}]`
        : '';
      const limit = plan.limit === null ? '' : ` limit=${plan.limit}`;
      return `Scan ${plan.table.source}.${plan.table.table}${plan.alias !== plan.table.table ? ` AS ${plan.alias}` : ''}${pushedToString(plan.pushed)}${cols}${filters}${limit}`;
    }
    case 'filter':
      return `Filter ${exprToDisplayString(plan.predicate)}`;
    case 'project':
      return `Project ${plan.exprs.map((e, i) => `${exprToDisplayString(e)} AS ${plan.schema[i].name}`).join(', ')}`;
    case 'aggregate':
      return `Aggregate groupBy=[${plan.groupBy.map(exprToDisplayString).join(', ')}] aggs=[${plan.aggregates.map(aggregateToString).join(', ')}]`;
    case 'join':
      return `Join ${plan.joinType}${plan.condition ? ` on ${exprToDisplayString(plan.condition)}` : ''}`;
    case 'sort':
      return `Sort ${sortKeysToString(plan.keys)}`;
    case 'window':
      return `Window partitionBy=[${plan.partitionBy.map(exprToDisplayString).join(', ')}] orderBy=[${sortKeysToString(plan.orderBy)}] calls=[${plan.calls.map(windowCallToString).join(', ')}]`;
    case 'limit':
      return `Limit ${plan.limit ?? 'ALL'}${plan.offset ? ` offset=${plan.offset}` : ''}`;
    case 'union':
      return `Union all (${plan.inputs.length} inputs)`;
    case 'expand':
      return `Expand keys=[${plan.keys.map(exprToDisplayString).join(', ')}] sets=[${plan.sets.map((set) => `(${set.map((k) => exprToDisplayString(plan.keys[k])).join(', ')})`).join(', ')}]`;
    case 'unnest':
      return `Unnest ${plan.input.schema[plan.input.schema.length - 1].name} as ${plan.schema[plan.schema.length - 1].name}`;
    case 'replicate':
      return `Replicate count=${plan.input.schema[plan.input.schema.length - 1].name}`;
    case 'values':
      return `Values ${plan.rows.length} row(s) [${plan.schema.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ')}]`;
  }
}

/** An indented, one-node-a-line rendering; plan tests compare it with expected text. */
export function printPlan(plan: LogicalPlan, indent = 0): string {
  const line = `${'  '.repeat(indent)}${describe(plan)}`;
  return [line, ...planInputs(plan).map((p) => printPlan(p, indent + 1))].join('\n');
}
