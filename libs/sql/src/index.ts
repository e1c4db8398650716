export { parseSql, type ParsedStatement } from './parse-sql.ts';
export { bindSql, type BindOptions, type BoundStatement } from './bind-sql.ts';
export { tokenizeSql, positionAt, type SqlToken } from './sql-lexer.ts';
