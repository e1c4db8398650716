import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/;

/**
 * Bytes an exchange file is read in at a time, locally or to send it to another executor:
 * four times fewer reads (thread-pool round trips, HTTP chunks) than the stream default of
 * 64 KiB, while a task reading the outputs of many tasks at once still buffers little.
 */
export const EXCHANGE_READ_CHUNK_BYTES = 256 * 1024;

/** Whether a query or task id can name a file (ids come from requests: no "..", no slashes). */
export function isSafeId(id: string): boolean {
  return SAFE_ID.test(id) && id !== '.' && id !== '..';
}

/**
 * Where an executor keeps a query's files: `<workDir>/<queryId>/exchange/<taskId>.<partition>`
 * for task outputs (each a frame stream ending in an end frame) and `<workDir>/<queryId>/spill`
 * for operators' spill files. Everything of a query goes when the query ends.
 */
export class ExchangeFiles {
  constructor(readonly workDir: string) {}

  queryDir(queryId: string): string {
    return join(this.workDir, queryId);
  }

  exchangeDir(queryId: string): string {
    return join(this.workDir, queryId, 'exchange');
  }

  spillDir(queryId: string): string {
    return join(this.workDir, queryId, 'spill');
  }

  partitionFile(queryId: string, taskId: string, partition: number): string {
    return join(this.exchangeDir(queryId), `${taskId}.${partition}`);
  }

  async removeQuery(queryId: string): Promise<void> {
    if (!isSafeId(queryId)) return;
    const dir = this.queryDir(queryId);
    // Most queries leave nothing here (a task streamed straight to the coordinator): one stat of
    // the executor's own work folder, in place, spares them a recursive removal through libuv's pool.
    if (!existsSync(dir)) return;
    await rm(dir, { recursive: true, force: true });
  }
}
