import type { CatalogRead, CatalogView, LogicalPlan } from '@tributary/plan';
import type { StatementState, ViewColumnsChange } from './bind-context.ts';
import { bindCommand } from './bind-command.ts';
import { bindSelect } from './bind-select.ts';
import { bindDescribe, showAsQuery } from './bind-show.ts';
import type { CatalogCommand } from './catalog-command.ts';
import { expressionTooDeep, isStackOverflow } from './check-expression-depth.ts';
import { newBindContext } from './new-bind-context.ts';
import { atUserPositions, parseSql } from './parse-sql.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { explainUnsupportedColumn } from './unsupported-column-error.ts';

/** What every bound statement says besides its plan: what it reads, and views found changed. */
export interface StatementReads {
  /** Every table and view it reads, once each (per view it is read through). */
  readonly reads: readonly CatalogRead[];
  /** Views whose columns, derived again at this use, differ from the catalog's record. */
  readonly viewColumnChanges: readonly ViewColumnsChange[];
  /**
   * Its plan holds values that change with no catalog write: the clock read at binding
   * (`current_date`, `now()`) or a system table's rows (sys.jobs, information_schema). A plan
   * cache must not keep such a plan.
   */
  readonly volatile: boolean;
}

export type BoundStatement = StatementReads &
  (
    | { kind: 'query'; plan: LogicalPlan }
    | { kind: 'explain'; plan: LogicalPlan; analyze: boolean }
    | { kind: 'command'; command: CatalogCommand }
  );

export interface BindOptions {
  /** Default source path for bare table names, e.g. ['tpch']. */
  context?: string[];
}

function distinctReads(reads: readonly CatalogRead[]): CatalogRead[] {
  const seen = new Map<string, CatalogRead>();
  for (const r of reads) {
    const key = JSON.stringify([r.kind, r.path.map((p) => p.toLowerCase()), r.via ?? null]);
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}

function withStackCheck<T>(bind: () => T): T {
  try {
    return bind();
  } catch (error) {
    // The depth check of parseSql should make this unreachable; a typed error if not.
    if (isStackOverflow(error))
      throw expressionTooDeep(undefined, {
        message: 'the statement is nested too deeply to bind; simplify it',
        cause: error,
      });
    throw error;
  }
}

/**
 * SQL text → a bound statement: a query's logical plan (names resolved, views expanded, types
 * coerced; not optimized), or a catalog command (CREATE VIEW, DROP VIEW, …) for the
 * coordinator to apply. SHOW and DESCRIBE become queries over the catalog tables.
 */
export function bindSql(sql: string, catalog: CatalogView, options: BindOptions = {}): BoundStatement {
  const state: StatementState = { reads: [], viewColumnChanges: [], volatile: false };
  try {
    return bindStatement(sql, catalog, options.context ?? [], state);
  } catch (error) {
    throw explainUnsupportedColumn(error, state.reads, catalog);
  }
}

function bindStatement(
  sql: string,
  catalog: CatalogView,
  defaultPath: readonly string[],
  state: StatementState,
): BoundStatement {
  const done = (): StatementReads => ({
    reads: distinctReads(state.reads),
    viewColumnChanges: state.viewColumnChanges,
    volatile: state.volatile,
  });
  const tokens = tokenizeSql(sql);
  const command = withStackCheck(() => bindCommand({ sql, tokens, catalog, defaultPath, statement: state }));
  if (command) return { kind: 'command', command, ...done() };
  const describe = bindDescribe(newBindContext(sql, tokens, catalog, defaultPath, state));
  if (describe) return { kind: 'query', plan: describe, ...done() };
  const text = showAsQuery(sql, tokens, defaultPath) ?? sql;
  const parsed = parseSql(text);
  const ctx = newBindContext(parsed.sql, parsed.tokens, catalog, defaultPath, state);
  const plan = atUserPositions(parsed, () => withStackCheck(() => bindSelect(ctx, parsed.ast, true)));
  return parsed.explain
    ? { kind: 'explain', plan, analyze: parsed.analyze, ...done() }
    : { kind: 'query', plan, ...done() };
}

/** The plan of a statement that must be a query (or EXPLAIN): tests and tools that bind SELECTs. */
export function bindQuery(sql: string, catalog: CatalogView, options: BindOptions = {}): LogicalPlan {
  const bound = bindSql(sql, catalog, options);
  if (bound.kind === 'command') throw new Error(`not a query: ${sql}`);
  return bound.plan;
}
