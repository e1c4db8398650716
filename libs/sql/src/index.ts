export { parseSql, type ParsedStatement } from './parse-sql.ts';
export { bindSql, type BindOptions, type BoundStatement } from './bind-sql.ts';
export { tokenizeSql, positionAt, type SqlToken } from './sql-lexer.ts';
export {
  parseGrant,
  GRANT_PRIVILEGES,
  type GrantStatement,
  type GrantPrivilege,
  type GrantObjectKind,
} from './parse-grant.ts';
