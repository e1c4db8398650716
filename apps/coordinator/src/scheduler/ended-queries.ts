import { INTERNAL_PATHS, clusterHeaders } from '@tributary/protocol';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';

/** How long a completed query's exchange data may wait on its executors before they are told to drop it. */
export const ENDED_FLUSH_MS = 250;

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
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...clusterHeaders(this.secret, 'POST', url) },
      body: JSON.stringify({ queryIds: [...ids.keys()] }),
      signal: AbortSignal.timeout(5000),
    }).then(
      async (response) => {
        await response.body?.cancel();
        return response.ok;
      },
      () => false,
    );
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
