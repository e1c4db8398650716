import { BIGINT, BOOLEAN, INTEGER, type SqlType } from '@tributary/common';
import type { AggregateCall, Expr } from './expr.ts';
import type {
  AggregateNode,
  Field,
  FilterNode,
  JoinNode,
  JoinType,
  LimitNode,
  LogicalPlan,
  ProjectNode,
  ScanNode,
  SortKey,
  SortNode,
  TableRef,
  ValuesNode,
  WindowNode,
  UnionNode,
  ExpandNode,
  ReplicateNode,
  UnnestNode,
} from './logical-plan.ts';
import type { WindowCall } from './window-call.ts';
import { MARK_COLUMN } from './logical-plan.ts';

/** Builders compute each node's schema so that no node is ever built with a wrong one. */
export function scan(
  table: TableRef,
  alias: string,
  columns: readonly number[] = table.columns.map((_, i) => i),
  filters: readonly Expr[] = [],
  limit: number | null = null,
): ScanNode {
  const schema = columns.map((i) => ({
    name: table.columns[i].name,
    type: table.columns[i].type,
    nullable: true,
    qualifier: alias,
  }));
  return { kind: 'scan', table, alias, columns, filters, limit, schema };
}

export function filter(input: LogicalPlan, predicate: Expr): FilterNode {
  return { kind: 'filter', input, predicate, schema: input.schema };
}

export function project(
  input: LogicalPlan,
  exprs: readonly Expr[],
  names: readonly string[],
  qualifiers?: readonly (string | undefined)[],
): ProjectNode {
  const schema = exprs.map((e, i): Field => {
    const qualifier = qualifiers?.[i] ?? (e.kind === 'column' ? input.schema[e.index]?.qualifier : undefined);
    return {
      name: names[i],
      type: e.type,
      nullable: true,
      ...(qualifier === undefined ? {} : { qualifier }),
    };
  });
  return { kind: 'project', input, exprs, schema };
}

export function aggregate(
  input: LogicalPlan,
  groupBy: readonly Expr[],
  aggregates: readonly AggregateCall[],
  names: readonly string[],
): AggregateNode {
  const types: SqlType[] = [...groupBy.map((g) => g.type), ...aggregates.map((a) => a.type)];
  const schema = types.map((type, i): Field => {
    const g = groupBy[i];
    const qualifier = g?.kind === 'column' ? input.schema[g.index]?.qualifier : undefined;
    return { name: names[i], type, nullable: true, ...(qualifier === undefined ? {} : { qualifier }) };
  });
  return { kind: 'aggregate', input, groupBy, aggregates, schema };
}

export function join(
  joinType: JoinType,
  left: LogicalPlan,
  right: LogicalPlan,
  condition: Expr | null,
): JoinNode {
  const schema =
    joinType === 'semi' || joinType === 'anti'
      ? left.schema
      : joinType === 'mark'
        ? [...left.schema, { name: MARK_COLUMN, type: BOOLEAN, nullable: false }]
        : [...left.schema, ...right.schema];
  return { kind: 'join', joinType, left, right, condition, schema };
}

export function sort(input: LogicalPlan, keys: readonly SortKey[]): SortNode {
  return { kind: 'sort', input, keys, schema: input.schema };
}

export function limit(input: LogicalPlan, limitCount: number | null, offset = 0): LimitNode {
  return { kind: 'limit', input, limit: limitCount, offset, schema: input.schema };
}

export function values(rows: readonly (readonly Expr[])[], names: readonly string[]): ValuesNode {
  const schema = names.map((name, i): Field => ({
    name,
    type: rows[0]?.[i]?.type ?? BIGINT,
    nullable: true,
  }));
  return { kind: 'values', rows, schema };
}

/** Input columns pass through; each call adds one column named by `names`. */
export function window(
  input: LogicalPlan,
  partitionBy: readonly Expr[],
  orderBy: readonly SortKey[],
  calls: readonly WindowCall[],
  names: readonly string[],
): WindowNode {
  const added = calls.map((c, i): Field => ({ name: names[i], type: c.type, nullable: true }));
  return { kind: 'window', input, partitionBy, orderBy, calls, schema: [...input.schema, ...added] };
}

/** UNION ALL; the schema is the first input's, nullable where any input's column is. */
export function union(inputs: readonly LogicalPlan[]): UnionNode {
  const schema = inputs[0].schema.map((f, i): Field => ({
    name: f.name,
    type: f.type,
    nullable: inputs.some((p) => p.schema[i].nullable),
  }));
  return { kind: 'union', inputs, schema };
}

/** The name of the grouping-set index column an ExpandNode appends. */
export const GROUPING_ID_NAME = '__grouping_id';

export function expand(
  input: LogicalPlan,
  keys: readonly Expr[],
  keyNames: readonly string[],
  sets: readonly (readonly number[])[],
): ExpandNode {
  const schema: Field[] = [
    ...input.schema,
    ...keys.map((k, i): Field => ({ name: keyNames[i], type: k.type, nullable: true })),
    { name: GROUPING_ID_NAME, type: INTEGER, nullable: false },
  ];
  return { kind: 'expand', input, keys, sets, schema };
}

export function replicate(input: LogicalPlan): ReplicateNode {
  return { kind: 'replicate', input, schema: input.schema.slice(0, -1) };
}

/** Unnests the input's last column (a LIST) into a column named `name`. */
export function unnest(input: LogicalPlan, name: string): UnnestNode {
  const list = input.schema[input.schema.length - 1].type;
  const element = list.kind === 'LIST' ? list.element : list;
  return {
    kind: 'unnest',
    input,
    schema: [...input.schema.slice(0, -1), { name, type: element, nullable: true }],
  };
}
