/** A column of a JSON query result, as the REST API describes it. */
export interface ResultColumn {
  name: string;
  type: string;
}

export interface SqlResult {
  columns: ResultColumn[];
  rows: unknown[][];
  rowCount: number;
  jobId: string;
  elapsedMs: number;
}

export interface ErrorResponseBody {
  code: string;
  message: string;
  phase: string;
  line?: number;
  column?: number;
  suggestions?: string[];
  /** The request field at fault (a JSON pointer), for schema validation errors. */
  field?: string;
  details?: Record<string, unknown>;
}

export interface HttpAnswer<T = unknown> {
  status: number;
  /** Parsed JSON when the body is JSON, undefined otherwise. */
  body: T;
  text: string;
  contentType: string;
}

export interface SourceTable {
  name: string;
  columns: ResultColumn[];
  unsupportedColumns?: { name: string; type: string; hint?: string }[];
}

export interface SourceInfo {
  name: string;
  type: string;
  path: string;
  tables: SourceTable[];
}

/** Thin fetch wrapper over the REST contract; never throws on HTTP error statuses. */
export class TributaryClient {
  /** `token`: sent as `Authorization: Bearer <token>` on every request (a coordinator with auth on). */
  constructor(
    private readonly baseUrl: () => string,
    private readonly token: () => string | undefined = () => undefined,
  ) {}

  async request<T = unknown>(
    method: string,
    route: string,
    body?: unknown,
    init: { headers?: Record<string, string>; rawBody?: string; timeoutMs?: number } = {},
  ): Promise<HttpAnswer<T>> {
    const token = this.token();
    const headers: Record<string, string> = {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...init.headers,
    };
    let payload: string | undefined = init.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined && headers['content-type'] === undefined)
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl()}${route}`, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    let parsed: unknown = undefined;
    if (text.length > 0 && contentType.includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    return { status: response.status, body: parsed as T, text, contentType };
  }

  /** Runs SQL and returns the answer whatever its status. */
  sqlAnswer(sql: string, timeoutMs?: number): Promise<HttpAnswer<SqlResult & ErrorResponseBody>> {
    return this.request('POST', '/api/v1/sql', { sql }, { timeoutMs });
  }

  /** Runs SQL and fails with the server's error body unless it answered 200. */
  async sql(sql: string, timeoutMs?: number): Promise<SqlResult> {
    const answer = await this.sqlAnswer(sql, timeoutMs);
    if (answer.status !== 200) {
      throw new Error(
        `POST /api/v1/sql answered ${answer.status}: ${answer.text.slice(0, 2_000)}\nSQL: ${sql}`,
      );
    }
    return answer.body;
  }

  /** Runs SQL asking for an Arrow IPC stream; returns the raw bytes. */
  async sqlArrow(sql: string): Promise<{ status: number; contentType: string; bytes: Uint8Array }> {
    const response = await fetch(`${this.baseUrl()}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/vnd.apache.arrow.stream' },
      body: JSON.stringify({ sql }),
      signal: AbortSignal.timeout(60_000),
    });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', bytes };
  }

  addSourceAnswer(source: {
    name: string;
    type: string;
    path: string;
    options?: Record<string, unknown>;
  }): Promise<HttpAnswer<SourceInfo & ErrorResponseBody>> {
    return this.request('POST', '/api/v1/sources', source);
  }

  /** Registers a source and fails unless the service answered 201. */
  async addSource(source: {
    name: string;
    type: string;
    path: string;
    options?: Record<string, unknown>;
  }): Promise<SourceInfo> {
    const answer = await this.addSourceAnswer(source);
    if (answer.status !== 201) {
      throw new Error(
        `POST /api/v1/sources ${source.name} answered ${answer.status}: ${answer.text.slice(0, 2_000)}`,
      );
    }
    return answer.body;
  }
}
