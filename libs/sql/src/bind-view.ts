import {
  BindError,
  TributaryError,
  typeToString,
  type ColumnDescriptor,
  type SqlPosition,
} from '@tributary/common';
import type { CatalogRead, LogicalPlan, ViewDefinition } from '@tributary/plan';
import type { BindContext } from './bind-context.ts';
import { bindSelect } from './bind-select.ts';
import { newBindContext } from './new-bind-context.ts';
import { atUserPositions, parseSql } from './parse-sql.ts';

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((p, i) => p.toLowerCase() === b[i].toLowerCase());

/** Columns equal by name and type (the catalog's record of a view's columns is still true). */
export function sameColumns(a: readonly ColumnDescriptor[], b: readonly ColumnDescriptor[]): boolean {
  return (
    a.length === b.length &&
    a.every((c, i) => c.name === b[i].name && typeToString(c.type) === typeToString(b[i].type))
  );
}

/** What a read made inside a view's SQL carries: the view, whose owner's rights apply. */
export function readVia(ctx: BindContext): Pick<CatalogRead, 'via' | 'viaOwner'> {
  if (!ctx.view) return {};
  return { via: ctx.view.path, ...(ctx.view.owner === null ? {} : { viaOwner: ctx.view.owner }) };
}

/**
 * A view at its point of use: its SQL parsed and bound in its own context (its default path),
 * so its plan joins the statement's and is optimized with it (filters push through it). A
 * view that reads itself, directly or through others, fails with VIEW_CYCLE; one that no
 * longer binds (a table or column gone) with VIEW_INVALID, naming the view and what is
 * missing, at the line and column inside the view's SQL. When its columns came out other than
 * the catalog holds (its inputs changed), the statement reports them, for the catalog to update.
 */
export function bindView(
  ctx: BindContext,
  view: ViewDefinition,
  position: SqlPosition | undefined,
): LogicalPlan {
  const name = view.path.join('.');
  for (let outer = ctx.view; outer; outer = outer.outer) {
    if (samePath(outer.path, view.path)) {
      const chain: string[] = [];
      for (let s = ctx.view; s; s = s.outer) chain.unshift(s.path.join('.'));
      throw new BindError('VIEW_CYCLE', `view "${name}" reads itself (${[...chain, name].join(' → ')})`, {
        position,
        details: { view: name },
      });
    }
  }
  ctx.statement.reads.push({ path: view.path, kind: 'view', owner: view.owner, ...readVia(ctx) });
  let plan: LogicalPlan;
  try {
    const parsed = parseSql(view.sql);
    const inner = newBindContext(parsed.sql, parsed.tokens, ctx.catalog, view.context, ctx.statement, {
      path: view.path,
      owner: view.owner,
      ...(ctx.view ? { outer: ctx.view } : {}),
    });
    plan = atUserPositions(parsed, () => bindSelect(inner, parsed.ast, true));
  } catch (error) {
    throw invalidView(error, name);
  }
  const columns = plan.schema.map((f) => ({ name: f.name, type: f.type }));
  if (!sameColumns(columns, view.columns))
    ctx.statement.viewColumnChanges.push({ path: view.path, sql: view.sql, columns });
  return plan;
}

/** A parse or bind error inside a view's SQL, as VIEW_INVALID naming the view (the innermost one). */
function invalidView(error: unknown, name: string): unknown {
  if (!(error instanceof TributaryError)) return error;
  if (error.code === 'VIEW_INVALID' || error.code === 'VIEW_CYCLE') return error;
  if (error.phase !== 'bind' && error.phase !== 'parse') return error;
  const where =
    error.line === undefined ? '' : ` (line ${error.line}, column ${error.column ?? 1} of its SQL)`;
  return new BindError('VIEW_INVALID', `view "${name}" is invalid: ${error.message}${where}`, {
    ...(error.line === undefined ? {} : { position: { line: error.line, column: error.column ?? 1 } }),
    ...(error.suggestions ? { suggestions: error.suggestions } : {}),
    details: { view: name, reason: error.code },
    cause: error,
  });
}
