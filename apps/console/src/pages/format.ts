export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 && i > 0 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** How long ago an instant was: "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function formatAgo(iso: string, now = Date.now()): string {
  const ms = Math.max(0, now - Date.parse(iso));
  if (ms < 60_000) return `${Math.round(ms / 1000)} s ago`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min ago`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h ago`;
  return `${Math.round(ms / 86_400_000)} d ago`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString();
}

export interface JobSummary {
  id: string;
  sql: string;
  user: string;
  queryType: string;
  state: string;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  planningMs: number | null;
  queuedMs: number | null;
  rowCount: number | null;
  bytes: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  sources: string[];
  reflections: string[];
}

/** From submission to the end (or to now while it runs). */
export function jobDurationMs(job: JobSummary): number | null {
  const start = Date.parse(job.submittedAt);
  const end = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
  return Number.isFinite(start) ? end - start : null;
}
