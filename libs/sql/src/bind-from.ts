import { BindError, BOOLEAN } from '@tributary/common';
import {
  call,
  conjunction,
  join,
  project,
  scan,
  column,
  type Expr,
  type JoinType,
  type LogicalPlan,
} from '@tributary/plan';
import { findName, isQuotedAt, positionOfToken, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindLateral, isLateral } from './bind-lateral.ts';
import { splitColumnAliases } from './split-column-aliases.ts';
import { unifyComparison } from './coerce.ts';
import { containsSubquery } from './contains-subquery.ts';
import { joinOnSubqueries } from './join-on-subqueries.ts';
import { NATURAL_USING } from './natural-joins.ts';
import { ANTI_JOIN, SEMI_JOIN, semiAntiJoinOf } from './semi-anti-joins.ts';
import { NAME_PART_SEPARATOR } from './long-names.ts';
import { resolveRelation } from './resolve-table.ts';
import { bindView, readVia } from './bind-view.ts';
import { bindValues } from './bind-values.ts';
import { systemTablePlan } from './system-tables.ts';
import { bindTableFunction, type FunctionDomain } from './bind-table-function.ts';
import { Scope, type NamePart, type ScopeColumn } from './scope.ts';
import type { AstFrom, AstNode, AstSelect } from './sql-ast.ts';

export interface BoundFrom {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
  /**
   * Where the plan holds the columns of its correlation domain, when a table function read
   * the enclosing query (bind-table-function.ts): the SELECT then joins no domain of its own.
   */
  readonly domainAt?: number;
}

export type SubqueryBinder = (ast: AstSelect) => LogicalPlan;

const JOIN_TYPES: Record<string, JoinType> = {
  JOIN: 'inner',
  INNERJOIN: 'inner',
  LEFTJOIN: 'left',
  LEFTOUTERJOIN: 'left',
  RIGHTJOIN: 'right',
  RIGHTOUTERJOIN: 'right',
  FULLJOIN: 'full',
  FULLOUTERJOIN: 'full',
  CROSSJOIN: 'cross',
};

/** A derived table or CTE: the subquery's plan with its columns requalified by the alias. */
function derived(plan: LogicalPlan, aliasText: string, defaultNames: readonly string[] = []): BoundFrom {
  const { alias, columnNames } = splitColumnAliases(aliasText);
  for (const given of [columnNames, defaultNames])
    if (given.length > plan.schema.length)
      throw new BindError(
        'INVALID_ARGUMENT',
        `table "${alias}" has ${plan.schema.length} columns but ${given.length} column names were given`,
      );
  const names = plan.schema.map((f, i) => columnNames[i] ?? defaultNames[i] ?? f.name);
  const qualifiers = names.map(() => alias);
  // Requalify the subquery's own final Project rather than stacking another on it.
  const wrapped =
    plan.kind === 'project'
      ? project(plan.input, plan.exprs, names, qualifiers)
      : project(
          plan,
          plan.schema.map((f, i) => column(i, f.name, f.type)),
          names,
          qualifiers,
        );
  const columns: ScopeColumn[] = plan.schema.map((f, i) => ({
    name: names[i],
    type: f.type,
    index: i,
    qualifier: alias,
  }));
  return { plan: wrapped, scope: new Scope(columns) };
}

/** A table function over the correlation domain: its last column is the only one named. */
function overDomain(plan: LogicalPlan, alias: string, name: string): BoundFrom {
  const last = plan.schema.length - 1;
  const columns: ScopeColumn[] = [{ name, type: plan.schema[last].type, index: last, qualifier: alias }];
  return { plan, scope: new Scope(columns), domainAt: 0 };
}

function bindItem(
  ctx: BindContext,
  item: AstFrom,
  bindSubquery: SubqueryBinder,
  range: TextRange | undefined,
  outer?: Scope,
  domain?: FunctionDomain,
): BoundFrom {
  const expr = item.expr as AstNode | undefined;
  if (expr?.ast) {
    const alias = item.as ?? 'subquery';
    return derived(bindSubquery(expr.ast), alias);
  }
  if (expr?.type === 'values') return derived(bindValues(ctx, expr, range), item.as ?? 'valueslist');
  const tableFunction = bindTableFunction(ctx, item, range, outer, domain);
  if (tableFunction) {
    const alias = splitColumnAliases(item.as ?? '');
    const bound = tableFunction.overDomain
      ? overDomain(
          tableFunction.plan,
          alias.alias || tableFunction.name,
          alias.columnNames[0] ?? tableFunction.name,
        )
      : derived(tableFunction.plan, item.as ?? tableFunction.name, [tableFunction.name]);
    // Postgres names a one-column function's column by the table alias too (`FROM
    // generate_series(1, 3) s … s`): reachable unqualified, left out of `*`.
    if (item.as && alias.columnNames.length === 0 && alias.alias !== tableFunction.name) {
      const [only] = bound.scope.columns;
      return {
        ...bound,
        scope: new Scope([...bound.scope.columns, { ...only, name: alias.alias, functionAlias: true }]),
      };
    }
    return bound;
  }
  if (expr || typeof item.table !== 'string') {
    throw new BindError('UNSUPPORTED_FEATURE', 'this kind of FROM item is not supported yet', {
      details: { feature: 'from item' },
    });
  }
  const texts = [item.db, item.schema, item.table]
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .flatMap((p) => p.split(NAME_PART_SEPARATOR));
  const at = findName(ctx, texts, range);
  const parts: NamePart[] = texts.map((text, i) => ({ text, quoted: isQuotedAt(ctx, at, i) }));
  const position = positionOfToken(ctx, at);
  if (parts.length === 1) {
    const cte = [...ctx.ctes.values()].find((c) =>
      parts[0].quoted ? c.name === parts[0].text : c.name.toLowerCase() === parts[0].text.toLowerCase(),
    );
    if (cte) {
      if (cte.binding) {
        throw new BindError(
          'UNSUPPORTED_FEATURE',
          `recursive CTEs are not supported yet ("${cte.name}" refers to itself)`,
          { position, details: { feature: 'recursive CTEs' } },
        );
      }
      if (!cte.bound) {
        cte.binding = true;
        try {
          cte.bound = bindSubquery(cte.ast);
        } finally {
          cte.binding = false;
        }
      }
      return derived(cte.bound, item.as ?? cte.name, cte.columnNames);
    }
  }
  const relation = resolveRelation(ctx.catalog, parts, ctx.defaultPath, position);
  if (relation.kind === 'view') {
    const path = relation.view.path;
    return derived(bindView(ctx, relation.view, position), item.as ?? path[path.length - 1]);
  }
  if (relation.kind === 'system') {
    ctx.statement.volatile = true;
    return derived(systemTablePlan(relation.table, ctx.catalog.listing()), item.as ?? relation.table.name);
  }
  const table = relation.table;
  ctx.statement.reads.push({ path: [table.source, table.table], kind: 'table', ...readVia(ctx) });
  const alias = item.as ?? table.table;
  const plan = scan(table, alias);
  const columns: ScopeColumn[] = table.columns.map((c, i) => ({
    name: c.name,
    type: c.type,
    index: i,
    qualifier: alias,
    source: table.source,
    table: table.table,
  }));
  return { plan, scope: new Scope(columns) };
}

function usingCondition(
  ctx: BindContext,
  left: Scope,
  right: Scope,
  offset: number,
  names: readonly AstNode[],
  range: TextRange | undefined,
): { condition: Expr; hidden: Set<number>; merged: Map<number, Expr> } {
  const conditions: Expr[] = [];
  const hidden = new Set<number>();
  // Left copy's index → COALESCE(left, right): the value of the USING column itself.
  const merged = new Map<number, Expr>();
  for (const n of names) {
    const text = String(n.value);
    const part: NamePart = { text, quoted: n.type === 'double_quote_string' };
    const position = positionOfToken(ctx, findName(ctx, [text], range));
    const l = left.resolve([part], position);
    const r = right.resolve([part], position);
    hidden.add(r.index + offset);
    const pair = unifyComparison(l, { ...r, index: r.index + offset }, position);
    conditions.push(call('eq', pair, BOOLEAN));
    merged.set(l.index, call('coalesce', pair, pair[0].type));
  }
  return { condition: conjunction(conditions) as Expr, hidden, merged };
}

const isNaturalJoin = (using: readonly AstNode[]): boolean =>
  using.length === 1 && String(using[0].value) === NATURAL_USING;

/** NATURAL JOIN's USING list: the names both sides show (any case), spelled as on the left. */
function sharedNames(left: Scope, right: Scope): AstNode[] {
  const shown = (scope: Scope) => scope.columns.filter((c) => !c.usingDuplicate && !c.functionAlias);
  const rightNames = new Set(shown(right).map((c) => c.name.toLowerCase()));
  const names = [...new Set(shown(left).map((c) => c.name))].filter((n) => rightNames.has(n.toLowerCase()));
  if (names.length === 0)
    throw new BindError(
      'INVALID_JOIN',
      `NATURAL JOIN finds no column name on both sides (left: ${shown(left)
        .map((c) => c.name)
        .join(', ')}; right: ${shown(right)
        .map((c) => c.name)
        .join(', ')}); use CROSS JOIN for a cross product`,
    );
  return names.map((value) => ({ type: 'default', value }) as AstNode);
}

/**
 * node-sql-parser reads `a CROSS JOIN b` after an unaliased table as `a AS cross JOIN b`
 * (likewise NATURAL); put the keyword back where it belongs.
 */
function repairJoinKeywords(items: readonly AstFrom[]): AstFrom[] {
  const repaired = [...items];
  for (let i = 0; i + 1 < repaired.length; i++) {
    const keyword = repaired[i].as?.toUpperCase();
    const next = repaired[i + 1];
    if (
      (keyword === 'CROSS' || keyword === 'NATURAL') &&
      next.join?.toUpperCase().replace(/\s+/g, '') === 'INNERJOIN' &&
      !next.on &&
      !next.using
    ) {
      repaired[i] = { ...repaired[i], as: null };
      repaired[i + 1] = { ...next, join: `${keyword} JOIN` };
    }
  }
  return repaired;
}

/**
 * Binds the FROM clause: a Scan per table (all columns), joined left to right; comma
 * joins become cross joins (their WHERE stays above, for the optimizer to push down).
 * `outer` is the enclosing query's scope when the FROM is a correlated subquery's: ON and
 * LATERAL fall back to it for names of their own they lack.
 */
export function bindFrom(
  ctx: BindContext,
  itemsIn: readonly AstFrom[],
  bindSubquery: SubqueryBinder,
  range: TextRange | undefined,
  outer?: Scope,
  domain?: FunctionDomain,
): BoundFrom {
  const items = repairJoinKeywords(itemsIn);
  let current = bindItem(ctx, items[0], bindSubquery, range, outer, domain);
  for (const item of items.slice(1)) {
    const joinKey = typeof item.join === 'string' ? item.join.toUpperCase().replace(/\s+/g, '') : '';
    if (isLateral(item)) {
      const domainAt = current.domainAt;
      current = { ...bindLateral(ctx, item, current, joinKey, range, outer), domainAt };
      continue;
    }
    const right = bindItem(ctx, item, bindSubquery, range, outer, domain);
    if (current.domainAt !== undefined && right.domainAt !== undefined)
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'two table functions reading the enclosing query are not supported yet',
      );
    const domainAt =
      current.domainAt ??
      (right.domainAt === undefined ? undefined : current.plan.schema.length + right.domainAt);
    const offset = current.plan.schema.length;
    const joinType = joinKey === '' ? 'cross' : JOIN_TYPES[joinKey];
    if (!joinType)
      throw new BindError('UNSUPPORTED_FEATURE', `${item.join} not supported yet`, {
        details: { feature: item.join },
      });
    let columns: ScopeColumn[] = [...current.scope.columns, ...right.scope.shifted(offset)];
    let condition: Expr | null = null;
    let merged = new Map<number, Expr>();
    const semiAnti = item.on ? semiAntiJoinOf(item.on) : undefined;
    if (item.using?.some((u) => String(u.value) === SEMI_JOIN || String(u.value) === ANTI_JOIN))
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'SEMI and ANTI JOIN with USING are not supported yet; write ON',
        {
          details: { feature: 'semi join using' },
        },
      );
    if (semiAnti && containsSubquery(semiAnti.condition))
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'subqueries in the ON of a SEMI or ANTI JOIN are not supported yet',
        {
          details: { feature: 'semi join on subquery' },
        },
      );
    if (item.using && item.using.length > 0) {
      const names = isNaturalJoin(item.using) ? sharedNames(current.scope, right.scope) : item.using;
      const bound = usingCondition(ctx, current.scope, right.scope, offset, names, range);
      condition = bound.condition;
      merged = bound.merged;
      columns = columns.map((c) => (bound.hidden.has(c.index) ? { ...c, usingDuplicate: true } : c));
    } else if (item.on && containsSubquery(item.on)) {
      const plan = joinOnSubqueries(
        ctx,
        joinType,
        current.plan,
        right.plan,
        new Scope(columns, outer),
        item.on,
        range,
      );
      current = { plan, scope: new Scope(columns), domainAt };
      continue;
    } else if (item.on) {
      condition = new ExprBinder(ctx, new Scope(columns, outer), 'JOIN ON', range).bindCondition(
        semiAnti?.condition ?? item.on,
        range,
      );
    }
    const type: JoinType = semiAnti?.type ?? (joinType === 'cross' && condition ? 'inner' : joinType);
    if (type !== 'cross' && condition === null) {
      throw new BindError('INVALID_JOIN', `${String(item.join)} needs an ON or USING clause`, {
        position: positionOfToken(ctx, findName(ctx, [String(item.table ?? '')], range)),
      });
    }
    let plan: LogicalPlan = join(type, current.plan, right.plan, condition);
    if ((type === 'right' || type === 'full') && merged.size > 0) {
      // Unmatched right rows have a NULL left copy: the USING column is COALESCE(left, right).
      const exprs = plan.schema.map((f, i) => merged.get(i) ?? column(i, f.name, f.type));
      plan = project(
        plan,
        exprs,
        plan.schema.map((f) => f.name),
        plan.schema.map((f) => f.qualifier),
      );
      columns = columns.map((c) => (merged.has(c.index) ? { ...c, type: merged.get(c.index)!.type } : c));
    }
    // A semi or anti join shows its left side's columns only.
    current = { plan, scope: semiAnti ? current.scope : new Scope(columns), domainAt };
  }
  return current;
}
