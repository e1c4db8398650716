import {
  BIGINT,
  BindError,
  BOOLEAN,
  commonSupertype,
  INTEGER,
  isNumeric,
  NULL_TYPE,
  sameType,
  typeToString,
  VARCHAR,
  type SqlType,
} from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  filter,
  limit,
  literal,
  project,
  replicate,
  sort,
  union,
  type Expr,
  type LogicalPlan,
  type SortKey,
} from '@tributary/plan';
import { positionAtOffset, type BindContext } from './bind-context.ts';
import { bindLimit } from './bind-limit.ts';
import { ORDER_BY_ALL, expandOrderByAll, lastOrderByAll } from './by-all.ts';
import { castTo } from './coerce.ts';
import { matchNames } from './name-match.ts';
import { bareName, ordinalOf, type AstNode, type AstSelect, type AstSetOperation } from './sql-ast.ts';

/**
 * The type a column of a set operation takes, as DuckDB unifies the two sides: numbers
 * widen (INTEGER ∪ BIGINT → BIGINT, DECIMAL ∪ INTEGER → a DECIMAL holding both), DATE ∪
 * TIMESTAMP → TIMESTAMP, and anything with VARCHAR becomes VARCHAR; undefined when there is
 * no such type (a DATE with a number).
 */
export function setOperationType(a: SqlType, b: SqlType): SqlType | undefined {
  if (a.kind === 'NULL' && b.kind === 'NULL') return INTEGER;
  const common = commonSupertype(a, b);
  if (common) return common.kind === 'NULL' ? INTEGER : common;
  if (a.kind === 'VARCHAR' || b.kind === 'VARCHAR') return VARCHAR;
  // BOOLEAN with a number: DuckDB takes the number's type (TRUE is 1).
  if (a.kind === 'BOOLEAN' && isNumeric(b)) return b;
  if (b.kind === 'BOOLEAN' && isNumeric(a)) return a;
  return undefined;
}

/** `plan` with each column cast to `types` (unchanged when it already has them). */
/**
 * UNION BY NAME: both sides with the left's column names, then the right's others (names
 * compared in any case, as DuckDB does), each side NULL where it lacks one.
 */
function matchedByName(left: LogicalPlan, right: LogicalPlan): [LogicalPlan, LogicalPlan] {
  const names = left.schema.map((f) => f.name);
  for (const f of right.schema)
    if (!names.some((n) => n.toLowerCase() === f.name.toLowerCase())) names.push(f.name);
  const side = (plan: LogicalPlan): LogicalPlan =>
    project(
      plan,
      names.map((name) => {
        const i = plan.schema.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
        return i < 0 ? literal(null, NULL_TYPE) : column(i, plan.schema[i].name, plan.schema[i].type);
      }),
      names,
    );
  return [side(left), side(right)];
}

function castColumns(plan: LogicalPlan, types: readonly SqlType[], names: readonly string[]): LogicalPlan {
  if (plan.schema.every((f, i) => sameType(f.type, types[i]) && f.name === names[i])) return plan;
  const exprs = plan.schema.map((f, i) => castTo(column(i, f.name, f.type), types[i]));
  return project(plan, exprs, names);
}

/** The columns of `plan` followed by two tags: `left` says which side a row came from. */
function tagged(plan: LogicalPlan, left: boolean): LogicalPlan {
  const exprs: Expr[] = [
    ...plan.schema.map((f, i) => column(i, f.name, f.type)),
    literal(left ? 1 : null, INTEGER),
    literal(left ? null : 1, INTEGER),
  ];
  return project(plan, exprs, [...plan.schema.map((f) => f.name), '__left', '__right']);
}

/**
 * Binds a set operation (parseSetOperations made the tree) with its own ORDER BY and LIMIT.
 * UNION ALL is a Union; UNION an Aggregate over all columns of it (NULLs group together, as
 * set semantics want). INTERSECT and EXCEPT [ALL] are one Union of both sides tagged by side,
 * an Aggregate counting each distinct row on each side, a Filter on the counts and, for ALL,
 * a Replicate of each row min(left, right) or left − right times: one shuffle by the row's
 * columns in a cluster, like any aggregate.
 */
export function bindSetOperation(
  ctx: BindContext,
  ast: AstSelect & { set_operation: AstSetOperation },
  bindQuery: (ast: AstSelect) => LogicalPlan,
): LogicalPlan {
  const op = ast.set_operation;
  const position = positionAtOffset(ctx, op.offset);
  const keyword = `${op.op.toUpperCase()}${op.all ? ' ALL' : ''}`;
  let left = bindQuery(op.left);
  let right = bindQuery(op.right);
  if (op.byName) [left, right] = matchedByName(left, right);
  if (left.schema.length !== right.schema.length)
    throw new BindError(
      'SET_OPERATION_COLUMN_COUNT',
      `each side of ${keyword} must have the same number of columns: the left has ${left.schema.length}, the right ${right.schema.length}`,
      { position, details: { left: left.schema.length, right: right.schema.length } },
    );
  const names = left.schema.map((f) => f.name);
  const types = left.schema.map((f, i) => {
    const r = right.schema[i];
    const t = setOperationType(f.type, r.type);
    if (!t)
      throw new BindError(
        'TYPE_MISMATCH',
        `column ${i + 1} of ${keyword} has types ${typeToString(f.type)} and ${typeToString(r.type)}, which have no common type`,
        { position },
      );
    return t;
  });
  const l = castColumns(left, types, names);
  const r = castColumns(right, types, names);
  const keys = types.map((t, i) => column(i, names[i], t));
  let plan: LogicalPlan;
  if (op.op === 'union') {
    // Chains of UNION ALL become one Union of every branch.
    const inputs = [l, r].flatMap((p) => (p.kind === 'union' ? p.inputs : [p]));
    plan = union(inputs);
    if (!op.all) plan = aggregate(plan, keys, [], names);
  } else {
    const n = types.length;
    const both = union([tagged(l, true), tagged(r, false)]);
    const counts = aggregate(
      both,
      keys,
      [
        { fn: 'count', arg: column(n, '__left', INTEGER), distinct: false, type: BIGINT },
        { fn: 'count', arg: column(n + 1, '__right', INTEGER), distinct: false, type: BIGINT },
      ],
      [...names, '__left_count', '__right_count'],
    );
    const cl = column(n, '__left_count', BIGINT);
    const cr = column(n + 1, '__right_count', BIGINT);
    const zero = literal(0, BIGINT);
    const intersect = op.op === 'intersect';
    const predicate = intersect
      ? conjunction([call('gt', [cl, zero], BOOLEAN), call('gt', [cr, zero], BOOLEAN)])!
      : op.all
        ? call('gt', [cl, cr], BOOLEAN)
        : conjunction([call('gt', [cl, zero], BOOLEAN), call('eq', [cr, zero], BOOLEAN)])!;
    plan = filter(counts, predicate);
    if (op.all) {
      const times: Expr = intersect
        ? {
            kind: 'case',
            whens: [{ when: call('lt', [cl, cr], BOOLEAN), then: cl }],
            otherwise: cr,
            type: BIGINT,
          }
        : call('subtract', [cl, cr], BIGINT);
      plan = replicate(project(plan, [...keys, times], [...names, '__copies']));
    } else plan = project(plan, keys, names);
  }
  return orderAndLimit(ctx, ast, plan);
}

/** ORDER BY (output names or positions, as DuckDB allows over a set operation) and LIMIT. */
function orderAndLimit(ctx: BindContext, ast: AstSelect, input: LogicalPlan): LogicalPlan {
  let plan = input;
  const names = plan.schema.map((f) => f.name);
  const at = (node: AstNode) =>
    node.loc ? { line: node.loc.start.line, column: node.loc.start.column } : undefined;
  const keys = expandOrderByAll(ast.orderby ?? [], names.length, (node) =>
    node.type === ORDER_BY_ALL ? lastOrderByAll(ctx.tokens) : at(node),
  ).map((o): SortKey => {
    let index = -1;
    const k = ordinalOf(o.expr);
    const name = bareName(o.expr);
    if (k !== undefined) {
      if (k < 1 || k > names.length)
        throw new BindError('INVALID_POSITION', `ORDER BY position ${k} is not in the select list`, {
          position: at(o.expr),
        });
      index = k - 1;
    } else if (name) {
      const found = matchNames(
        names.map((n, i) => ({ n, i })),
        (x) => x.n,
        name.text,
        name.quoted,
      );
      if (found.length === 0)
        throw new BindError(
          'COLUMN_NOT_FOUND',
          `column "${name.text}" is not a result column of the set operation`,
          { position: at(o.expr), suggestions: names },
        );
      index = found[0].i;
    }
    if (index < 0)
      throw new BindError(
        'INVALID_ORDER_BY',
        'ORDER BY of a set operation takes result column names or positions; to sort by an expression, select it in every branch or move the set operation into a FROM clause',
        { position: at(o.expr) },
      );
    const ascending = String(o.type ?? 'ASC').toUpperCase() !== 'DESC';
    const nullsFirst =
      String(o.nulls ?? '')
        .toLowerCase()
        .replace(/\s+/g, '') === 'nullsfirst';
    return { expr: column(index, names[index], plan.schema[index].type), ascending, nullsFirst };
  });
  if (keys.length > 0) plan = sort(plan, keys);
  const bounds = bindLimit(ctx, ast, undefined);
  if (bounds) plan = limit(plan, bounds.count, bounds.offset);
  return plan;
}
