/** Where in the life of a request an error arose; clients and logs group by it. */
export type ErrorPhase =
  | 'parse'
  | 'bind'
  | 'plan'
  | 'execution'
  | 'catalog'
  | 'source'
  | 'request'
  | 'config'
  | 'resource'
  | 'internal';

export interface SqlPosition {
  line: number;
  column: number;
}

export interface ErrorOptions {
  status?: number;
  position?: SqlPosition;
  suggestions?: string[];
  details?: Record<string, unknown>;
  /** The request field at fault, as a JSON pointer into the request part (`/type`, `/options/header`). */
  field?: string;
  cause?: unknown;
}

/** The JSON body every failed request carries; never a stack trace. */
export interface ErrorBody {
  code: string;
  message: string;
  phase: ErrorPhase;
  line?: number;
  column?: number;
  suggestions?: string[];
  details?: Record<string, unknown>;
  field?: string;
}

/**
 * The one base class of errors a user can cause or see. `code` is stable (clients match
 * on it), `status` is the HTTP status it maps to.
 */
export class TributaryError extends Error {
  readonly code: string;
  readonly phase: ErrorPhase;
  readonly status: number;
  readonly line?: number;
  readonly column?: number;
  readonly suggestions?: string[];
  readonly details?: Record<string, unknown>;
  readonly field?: string;

  constructor(code: string, phase: ErrorPhase, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.phase = phase;
    this.status = options.status ?? 400;
    if (options.position) {
      this.line = options.position.line;
      this.column = options.position.column;
    }
    if (options.suggestions && options.suggestions.length > 0) this.suggestions = options.suggestions;
    if (options.details) this.details = options.details;
    if (options.field !== undefined) this.field = options.field;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message, phase: this.phase };
    if (this.line !== undefined) body.line = this.line;
    if (this.column !== undefined) body.column = this.column;
    if (this.suggestions) body.suggestions = this.suggestions;
    if (this.details) body.details = this.details;
    if (this.field !== undefined) body.field = this.field;
    return body;
  }

  static fromBody(body: ErrorBody, status = 400): TributaryError {
    return new TributaryError(body.code, body.phase, body.message, {
      status,
      position: body.line !== undefined ? { line: body.line, column: body.column ?? 1 } : undefined,
      suggestions: body.suggestions,
      details: body.details,
      field: body.field,
    });
  }
}

export class ParseError extends TributaryError {
  constructor(message: string, position: SqlPosition | undefined, options: ErrorOptions = {}) {
    super('SQL_PARSE_ERROR', 'parse', message, { ...options, position });
  }
}

/** Name resolution and typing errors: unknown table/column, ambiguity, type mismatch. */
export class BindError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'bind', message, options);
  }
}

export class PlanError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'plan', message, options);
  }
}

export class ExecutionError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'execution', message, { status: 500, ...options });
  }
}

/**
 * An execution error the query's data causes: an overflow, text that does not cast, an
 * argument outside a function's domain. The query is at fault, not the service: 400, as a
 * bind error is, and never worth a retry.
 */
export class DataError extends ExecutionError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, message, { status: 400, ...options });
  }
}

/** Problems with a registered source or its files: paths, permissions, corrupt data. */
export class SourceError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'source', message, options);
  }
}

export class CatalogError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'catalog', message, options);
  }
}

export class RequestError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'request', message, options);
  }
}

export class ConfigError extends TributaryError {
  constructor(key: string, message: string, options: ErrorOptions = {}) {
    super('CONFIG_INVALID', 'config', `configuration key "${key}": ${message}`, {
      ...options,
      details: { key, ...options.details },
    });
  }
}

/** A query needs more of a bounded resource (memory, disk) than it may use. */
export class ResourceError extends TributaryError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(code, 'resource', message, { status: 503, ...options });
  }
}

export class InternalError extends TributaryError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('INTERNAL_ERROR', 'internal', message, { status: 500, ...options });
  }
}

/** Turns anything thrown into a TributaryError, keeping the original as `cause`. */
export function asTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { cause: error });
}
