/** The service's one error shape (TributaryError.toBody()). */
export interface ErrorBody {
  code: string;
  message: string;
  phase?: string;
  line?: number;
  column?: number;
  suggestions?: string[];
  field?: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

const TOKEN_KEY = 'tributary.token';

/** Called when the service answers 401: the console shows its sign-in form. */
let onUnauthorized: () => void = () => {};

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value === null) localStorage.removeItem(TOKEN_KEY);
  else localStorage.setItem(TOKEN_KEY, value);
}

/** Headers every API request carries: the session token when signed in (Dremio's `_dremio` prefix). */
export function authHeaders(): Record<string, string> {
  const t = token();
  return t ? { authorization: `_dremio${t}` } : {};
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: ErrorBody;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = { code: 'HTTP_' + response.status, message: `${response.status} ${response.statusText}` };
  }
  if (response.status === 401) onUnauthorized();
  return new ApiError(response.status, body);
}

/** A request to the service's API; the answer's JSON, or an ApiError with the error body. */
export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(signal ? { signal } : {}),
  });
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** A request whose answer is read as bytes (downloads). */
export async function apiBytes(path: string): Promise<{ blob: Blob; contentType: string }> {
  const response = await fetch(path, { headers: authHeaders() });
  if (!response.ok) throw await errorOf(response);
  return { blob: await response.blob(), contentType: response.headers.get('content-type') ?? '' };
}

/** A streamed answer (server-sent events). */
export async function apiStream(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(path, { headers: { ...authHeaders(), accept: 'text/event-stream' }, signal });
  if (!response.ok) throw await errorOf(response);
  if (!response.body) throw new ApiError(0, { code: 'NO_STREAM', message: 'the answer has no body' });
  return response.body;
}
