export { parseSql, type ParsedStatement } from './parse-sql.ts';
export {
  bindQuery,
  bindSql,
  type BindOptions,
  type BoundStatement,
  type StatementReads,
} from './bind-sql.ts';
export type { ViewColumnsChange } from './bind-context.ts';
export { COMMAND_BINDERS, type CommandBinder, type CommandInput } from './bind-command.ts';
export type * from './catalog-command.ts';
export { sameColumns } from './bind-view.ts';
export { tokenizeSql, positionAt, type SqlToken } from './sql-lexer.ts';
export {
  parseGrant,
  GRANT_PRIVILEGES,
  type GrantStatement,
  type GrantPrivilege,
  type GrantObjectKind,
} from './parse-grant.ts';
export { scalarFunctionNames } from './bind-function.ts';
export { AGGREGATE_NAMES } from './contains-aggregate.ts';
export { PG_TYPES, pgTypeOfColumn } from './pg-catalog-tables.ts';
export { postgresColumnName, postgresColumnNames } from './postgres-column-names.ts';
