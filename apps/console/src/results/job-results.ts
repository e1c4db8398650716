import { api, authHeaders } from '../api/api-client.ts';
import { ResultPager, type FetchedPage } from './result-pager.ts';

/** The results route's JSON page. */
async function fetchJsonPage(
  jobId: string,
  offset: number,
  limit: number,
  signal: AbortSignal,
): Promise<FetchedPage> {
  const path = `/api/v1/jobs/${encodeURIComponent(jobId)}/results?offset=${offset}&limit=${limit}&format=json`;
  return api<FetchedPage>('GET', path, undefined, signal);
}

/** A pager over a completed job's spooled rows (GET /api/v1/jobs/:id/results, page by page). */
export function jobPager(jobId: string, onLoad: () => void): ResultPager {
  return new ResultPager(
    (offset, limit, signal) => fetchJsonPage(jobId, offset, limit, signal),
    500,
    24,
    onLoad,
  );
}

export async function allRows(jobId: string, totalRows: number): Promise<FetchedPage> {
  return fetchJsonPage(jobId, 0, totalRows, new AbortController().signal);
}

export const DOWNLOAD_FORMATS = [
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'parquet', label: 'Parquet', extension: 'parquet' },
  { format: 'arrow', label: 'Arrow', extension: 'arrows' },
] as const;

/** Saves a job's whole result in one of the API's formats (fetched with the session's token, then saved). */
export async function downloadResult(
  jobId: string,
  format: (typeof DOWNLOAD_FORMATS)[number],
): Promise<void> {
  const response = await fetch(`/api/v1/jobs/${encodeURIComponent(jobId)}/results?format=${format.format}`, {
    headers: authHeaders(),
  });
  if (!response.ok) throw new Error(`download failed: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `job-${jobId}.${format.extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
