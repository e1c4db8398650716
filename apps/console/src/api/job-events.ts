import { apiStream } from './api-client.ts';
import { SseParser } from './sse-parser.ts';

export interface JobProgress {
  tasksDone: number;
  tasksTotal: number;
  splitsDone: number;
  splitsTotal: number;
  rows: number;
}

/** A job's last `state` event: its final state, and where its error lies when it failed on the SQL. */
export interface JobEnd {
  state: string;
  rowCount?: number | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  errorLine?: number;
  errorColumn?: number;
  suggestions?: string[];
}

const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/**
 * Follows a job's server-sent events (GET /api/v1/jobs/:id/events) until its final state:
 * `onState` for each state, `onProgress` for progress. Resolves with the final state event.
 */
export async function followJob(
  id: string,
  handlers: { onState?: (state: string) => void; onProgress?: (progress: JobProgress) => void },
  signal: AbortSignal,
): Promise<JobEnd> {
  const stream = await apiStream(`/api/v1/jobs/${encodeURIComponent(id)}/events`, signal);
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let last: JobEnd | undefined;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.push(decoder.decode(value, { stream: true }))) {
        const data = JSON.parse(event.data) as Record<string, unknown>;
        if (event.event === 'progress') handlers.onProgress?.(data as unknown as JobProgress);
        else if (event.event === 'state') {
          last = data as unknown as JobEnd;
          handlers.onState?.(last.state);
          if (FINAL_STATES.has(last.state)) return last;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
  // The stream ended without a final state (the server stopped): report what was seen last.
  return last ?? { state: 'UNKNOWN', errorMessage: 'the event stream ended early' };
}
