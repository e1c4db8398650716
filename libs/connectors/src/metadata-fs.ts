import { realpathSync, statSync, type Stats } from 'node:fs';
import { realpath as realpathAsync, stat as statAsync } from 'node:fs/promises';
import { isMainThread } from 'node:worker_threads';

/**
 * The file-metadata calls of scans and snapshots (realpath, stat): on a worker thread (an
 * executor's task thread, a coordinator's planner thread) done synchronously, on a main thread
 * through libuv's pool. A worker thread is there to compute and serves no other client, so a
 * syscall of a few microseconds is cheaper done in place than queued to the pool, handed back
 * and awaited: measured on a point lookup served by a reflection, a task made about a dozen
 * such calls before its first row, each costing tens of microseconds of CPU and a round trip
 * through the pool's threads. A main thread's event loop serves every client, so there they
 * stay asynchronous (a stat on a slow network mount must not stall it). Errors are the same
 * either way (an ErrnoException with its code).
 */
const onWorkerThread = !isMainThread;

/**
 * The real path (symlinks followed) of `path`, as the C library's realpath resolves it.
 * `inPlace`: synchronously even on a main thread (a caller that checks a few local files).
 */
export function realpathOf(path: string, inPlace = onWorkerThread): Promise<string> {
  if (!inPlace) return realpathAsync(path);
  try {
    return Promise.resolve(realpathSync.native(path));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

/** stat(2) of `path` (symlinks followed); `inPlace` as for realpathOf. */
export function statOf(path: string, inPlace = onWorkerThread): Promise<Stats> {
  if (!inPlace) return statAsync(path);
  try {
    return Promise.resolve(statSync(path));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
