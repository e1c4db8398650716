import { INTERNAL_PATHS, clusterHeaders, requestInternal, responseText } from '@tributary/protocol';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';

/** How long a completed query's exchange data may wait on its executors before they are told to drop it. */
export const ENDED_FLUSH_MS = 250;

/** How long an executor may take to answer a batch. */
const SEND_TIMEOUT_MS = 5000;

/** Flushes an id survives when its executor does not answer (then the executor's restart empties its folder anyway). */
const MAX_ATTEMPTS = 3;

/**
 * Tells executors, in batches, which completed queries' exchange files they may drop. A
 * query that completed has nothing left running that anyone waits for, so one request per
 * executor every ENDED_FLUSH_MS replaces a DELETE per executor per query: measured under
 * `npm run load`, those requests were a tenth of the coordinator's event loop time. Queries
 * that failed or were cancelled still DELETE at once, since that also stops their tasks.
 */
export class EndedQueries {
  private readonly pending = new Map<string, { executor: ExecutorInfo; ids: Map<string, number> }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly secret: string,
  ) {}

  add(executor: ExecutorInfo, queryId: string): void {
    let entry = this.pending.get(executor.id);
    if (!entry) {
      entry = { executor, ids: new Map() };
      this.pending.set(executor.id, entry);
    }
    entry.ids.set(queryId, 0);
    this.timer ??= setTimeout(() => void this.flush(), ENDED_FLUSH_MS).unref();
  }

  /** Sends every pending batch now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(batches.map((batch) => this.send(batch.executor, batch.ids)));
  }

  private async send(executor: ExecutorInfo, ids: Map<string, number>): Promise<void> {
    const current = this.registry.get(executor.id);
    // A lost executor's data went with it (or goes when it starts again, with an empty folder).
    if (!current || current.state === 'lost') return;
    const url = new URL(INTERNAL_PATHS.queriesEnded, executor.url);
    // Over the kept-alive connections tasks use (fetch cost more CPU than the queries' own requests).
    const exchange = requestInternal(
      'POST',
      url,
      clusterHeaders(this.secret, 'POST', url),
      JSON.stringify({ queryIds: [...ids.keys()] }),
    );
    const timer = setTimeout(() => exchange.destroy(), SEND_TIMEOUT_MS);
    const ok = await exchange.response
      .then(async (response) => {
        await responseText(response);
        const status = response.statusCode ?? 0;
        return status >= 200 && status < 300;
      })
      .catch(() => false);
    clearTimeout(timer);
    if (ok) return;
    for (const [id, attempts] of ids)
      if (attempts + 1 < MAX_ATTEMPTS) this.requeue(executor, id, attempts + 1);
  }

  private requeue(executor: ExecutorInfo, queryId: string, attempts: number): void {
    this.add(executor, queryId);
    this.pending.get(executor.id)?.ids.set(queryId, attempts);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
