/** One query's outcome as a client saw it over HTTP. */
export interface TimedAnswer {
  /** From sending the request to having read the whole body, in milliseconds. */
  ms: number;
  /** HTTP status; 0 when no response arrived (connection refused or cut, client timeout). */
  status: number;
  /** The error's code: the body's `code` for an HTTP error, or one named here for a failure of the exchange. */
  code?: string;
  message?: string;
  columns?: unknown[];
  rows?: unknown[][];
  /** The answer's Server-Timing header. */
  serverTiming?: string;
}

function failureCode(error: unknown): { code: string; message: string } {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return { code: 'CLIENT_TIMEOUT', message: String(e.message) };
  const cause = e?.cause;
  const code = cause?.code ?? (e?.message === 'terminated' ? 'BODY_CUT' : 'FAILED');
  return {
    code: `CONNECTION_${code}`,
    message: `${e?.message ?? String(error)}${cause?.message ? `: ${cause.message}` : ''}`,
  };
}

/**
 * POSTs `sql` to /api/v1/sql and times it end to end: the clock stops once the whole JSON
 * body has been read, before it is parsed (parsing is the load generator's cost, not the service's).
 */
export async function timedSql(baseUrl: string, sql: string, timeoutMs: number): Promise<TimedAnswer> {
  const started = performance.now();
  let status = 0;
  let text: string;
  let serverTiming: string | undefined;
  try {
    const response = await fetch(`${baseUrl}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    serverTiming = response.headers.get('server-timing') ?? undefined;
    text = await response.text();
  } catch (error) {
    return { ms: performance.now() - started, status, ...failureCode(error) };
  }
  const ms = performance.now() - started;
  let body: { code?: unknown; message?: unknown; columns?: unknown; rows?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  if (status !== 200) {
    return {
      ms,
      status,
      code: typeof body?.code === 'string' ? body.code : `HTTP_${status}`,
      message: typeof body?.message === 'string' ? body.message : text.slice(0, 200),
    };
  }
  if (!body || !Array.isArray(body.rows)) {
    return {
      ms,
      status,
      code: 'BAD_JSON',
      message: `a 200 answer that is not a result: ${text.slice(0, 200)}`,
    };
  }
  return {
    ms,
    status,
    columns: Array.isArray(body.columns) ? body.columns : [],
    rows: body.rows as unknown[][],
    serverTiming,
  };
}
