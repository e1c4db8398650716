import { VARCHAR } from '@tributary/common';
import { literal, type Field, type LogicalPlan } from '@tributary/plan';
import type { BindContext } from './bind-context.ts';
import { bindView, readVia } from './bind-view.ts';
import { resolveRelation } from './resolve-table.ts';
import type { SqlToken } from './sql-lexer.ts';
import { TokenCursor } from './token-cursor.ts';

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * `SHOW SCHEMAS` and `SHOW TABLES [IN|FROM schema]` as queries over information_schema (so
 * they filter, join and page like any query). Without IN, SHOW TABLES lists the schema of the
 * statement's context, or every table when there is none. undefined: not a SHOW statement.
 */
export function showAsQuery(
  sql: string,
  tokens: readonly SqlToken[],
  defaultPath: readonly string[],
): string | undefined {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('show')) return undefined;
  if (c.words('schemas') || c.words('databases')) {
    c.expectEnd();
    return 'SELECT schema_name FROM information_schema.schemata ORDER BY schema_name';
  }
  if (c.words('tables')) {
    let schema = defaultPath.length > 0 ? defaultPath.join('.') : undefined;
    if (c.words('in') || c.words('from'))
      schema = c
        .name('a schema name')
        .parts.map((p) => p.text)
        .join('.');
    c.expectEnd();
    const where = schema === undefined ? '' : ` WHERE lower(table_schema) = lower(${quote(schema)})`;
    return `SELECT table_schema, table_name FROM information_schema.tables${where} ORDER BY table_schema, table_name`;
  }
  throw c.error('expected SCHEMAS or TABLES');
}

const DESCRIBE_COLUMNS = ['column_name', 'column_type', 'null', 'key', 'default', 'extra'];

/**
 * `DESCRIBE [TABLE] name` (or DESC): the columns of a table, view or catalog table, named as
 * a FROM item would be (context, views, did-you-mean), in DuckDB's shape. A view's columns are
 * derived from its SQL now. undefined: not a DESCRIBE statement.
 */
export function bindDescribe(ctx: BindContext): LogicalPlan | undefined {
  const c = new TokenCursor(ctx.sql, ctx.tokens);
  if (!c.words('describe') && !c.words('desc')) return undefined;
  c.words('table');
  const name = c.name('a table name');
  c.expectEnd();
  const relation = resolveRelation(ctx.catalog, name.parts, ctx.defaultPath, name.position);
  let columns: readonly { name: string; type: Field['type'] }[];
  if (relation.kind === 'view') columns = bindView(ctx, relation.view, name.position).schema;
  else if (relation.kind === 'system') columns = relation.table.columns;
  else {
    ctx.statement.reads.push({
      path: [relation.table.source, relation.table.table],
      kind: 'table',
      ...readVia(ctx),
    });
    columns = relation.table.columns;
  }
  const text = (value: string | null) => literal(value, VARCHAR);
  return {
    kind: 'values',
    rows: columns.map((col) => [
      text(col.name),
      text(col.type.kind === 'DECIMAL' ? `DECIMAL(${col.type.precision},${col.type.scale})` : col.type.kind),
      text('YES'),
      text(null),
      text(null),
      text(null),
    ]),
    schema: DESCRIBE_COLUMNS.map((n) => ({ name: n, type: VARCHAR, nullable: true })),
  };
}
