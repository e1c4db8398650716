import { asTributaryError } from '@tributary/common';

/** SQLSTATEs of Tributary's error codes (Postgres' appendix A); others fall back by phase. */
const SQLSTATE_BY_CODE: Record<string, string> = {
  SQL_PARSE_ERROR: '42601',
  SQL_TOO_LONG: '54000',
  EXPRESSION_TOO_DEEP: '54001',
  TABLE_NOT_FOUND: '42P01',
  VIEW_NOT_FOUND: '42P01',
  SOURCE_NOT_FOUND: '3F000',
  SPACE_NOT_FOUND: '3F000',
  FOLDER_NOT_FOUND: '3F000',
  COLUMN_NOT_FOUND: '42703',
  AMBIGUOUS_COLUMN: '42702',
  AMBIGUOUS_TABLE: '42712',
  FUNCTION_NOT_FOUND: '42883',
  WRONG_ARGUMENT_COUNT: '42883',
  TYPE_MISMATCH: '42804',
  UNKNOWN_TYPE: '42704',
  CAST_INVALID: '22P02',
  NUMERIC_OVERFLOW: '22003',
  NUMERIC_OUT_OF_RANGE: '22003',
  SUBQUERY_MULTIPLE_ROWS: '21000',
  INVALID_AGGREGATE: '42803',
  GROUP_BY_REQUIRED: '42803',
  INVALID_GROUP_BY: '42803',
  UNSUPPORTED_FEATURE: '0A000',
  VIEW_EXISTS: '42P07',
  SPACE_EXISTS: '42P06',
  FOLDER_EXISTS: '42P06',
  ACCESS_DENIED: '42501',
  FORBIDDEN: '42501',
  QUERY_CANCELLED: '57014',
  CLIENT_GONE: '57014',
  QUERY_TIMEOUT: '57014',
  QUERY_MEMORY_EXCEEDED: '53200',
  QUERY_QUEUE_FULL: '53300',
  NO_EXECUTORS: '57P03',
  NOT_READY: '57P03',
  EXECUTOR_LOST: '58000',
  SOURCE_FILE_INVALID: '58030',
  SOURCE_CHANGED: '58030',
  INTERNAL_ERROR: 'XX000',
};

const SQLSTATE_BY_PHASE: Record<string, string> = {
  parse: '42601',
  bind: '42000',
  plan: '42000',
  execution: '22000',
  source: '58030',
  catalog: '42000',
  request: '22023',
  resource: '53000',
  internal: 'XX000',
};

export interface PgErrorFields {
  severity: 'ERROR' | 'FATAL';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character offset into the statement's text. */
  position?: number;
}

/** The character offset (1-based) of a 1-based line and column of `sql`. */
export function offsetOf(sql: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = sql.indexOf('\n', at);
    if (next < 0) break;
    at = next + 1;
  }
  return at + column;
}

/**
 * An error as Postgres' ErrorResponse: its SQLSTATE from its stable code, the code itself in
 * the detail (what REST clients match on), "did you mean" as the hint, and the statement
 * position from its line and column.
 */
export function pgErrorOf(error: unknown, sql?: string): PgErrorFields {
  const typed = asTributaryError(error);
  const code = SQLSTATE_BY_CODE[typed.code] ?? SQLSTATE_BY_PHASE[typed.phase] ?? 'XX000';
  return {
    severity: 'ERROR',
    code,
    message: typed.message,
    detail: `Tributary error code ${typed.code}`,
    ...(typed.suggestions?.length ? { hint: `did you mean ${typed.suggestions.join(', ')}?` } : {}),
    ...(sql !== undefined && typed.line !== undefined
      ? { position: offsetOf(sql, typed.line, typed.column ?? 1) }
      : {}),
  };
}
