import type { Worker } from 'node:worker_threads';
import { InternalError, SourceError, TributaryError, startModuleWorker } from '@tributary/common';
import type { SourceType } from '@tributary/plan';
import type { CheckedTableSnapshot } from '../reflections/base-table-snapshots.ts';
import type { PlanOutcome, PlanRequest } from './plan-query.ts';
import type {
  PlannerJob,
  PlannerLoaded,
  PlannerMessage,
  PlannerReply,
  PlannerResult,
  PlannerRetire,
  PlannerWorkerData,
  SnapshottedTable,
} from './planner-worker.ts';

const WORKER_URL = new URL('./planner-worker.ts', import.meta.url);

/** Thread replacements a job may live through before it is taken for their cause. */
const MAX_RESENDS = 2;

interface Pending {
  readonly job: PlannerJob;
  readonly resolve: (result: PlannerResult) => void;
  readonly reject: (error: unknown) => void;
  thread: Thread;
  /** How often a thread replacement sent it again. */
  resends: number;
}

interface Thread {
  worker: Worker;
  readonly pending: Set<number>;
  /** Settles once the thread has loaded the planner (or was lost before it did). */
  readonly loaded: Promise<void>;
}

/**
 * Planner threads: parsing, binding, optimizing and cutting a query into stages run there,
 * and reading a new source's footers and samples, so neither a huge statement nor a big
 * folder stalls the coordinator's event loop. A plan given up on (the
 * query was cancelled or timed out) tears its thread down and starts a new one; the other
 * plans that thread held are sent again.
 */
export class PlannerPool {
  private readonly threads: Thread[] = [];
  /**
   * A started thread with no job, kept from the first replacement on: starting one loads the
   * whole planner (a second or more on a busy machine), and a file that trapped a decoder once
   * is often read again, so the next replacement is ready at once.
   */
  private spare: Thread | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    size: number,
    private readonly data: PlannerWorkerData,
    private readonly log: (message: string) => void,
    /** The threads' module (tests start stand-ins); planner-worker.ts by default. */
    private readonly workerUrl: URL = WORKER_URL,
  ) {
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): Thread {
    const worker = startModuleWorker(this.workerUrl, { workerData: this.data });
    let markLoaded = () => {};
    const thread: Thread = {
      worker,
      pending: new Set(),
      loaded: new Promise<void>((resolve) => (markLoaded = resolve)),
    };
    worker.on('message', (reply: PlannerReply | PlannerRetire | PlannerLoaded) => {
      if ('loaded' in reply) {
        markLoaded();
        return;
      }
      // A replaced thread may still answer: what it held was sent again, the new answer counts.
      if (!this.threads.includes(thread)) return;
      if ('retire' in reply) {
        this.log('a planner thread asked to be replaced (a decoder trapped on it); starting a new one');
        this.replace(thread);
        return;
      }
      const entry = this.pending.get(reply.id);
      if (!entry) return;
      this.pending.delete(reply.id);
      thread.pending.delete(reply.id);
      if (reply.ok) entry.resolve(reply.result);
      else entry.reject(TributaryError.fromBody(reply.error, reply.status));
    });
    const lost = (why: string) => {
      markLoaded();
      if (thread === this.spare) this.spare = undefined;
      if (!this.threads.includes(thread)) return;
      this.log(`a planner thread died (${why}); starting a new one`);
      // What it held may be what killed it: fail those rather than kill the next thread too.
      for (const id of thread.pending) {
        const entry = this.pending.get(id);
        this.pending.delete(id);
        entry?.reject(threadDied(entry.job, why));
      }
      thread.pending.clear();
      this.replace(thread);
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return thread;
  }

  /**
   * Settles once every planner thread has loaded the planner (a second or more on a busy
   * machine): the coordinator is not ready before, so that a query sent at once is not kept
   * waiting for it.
   */
  async loaded(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.loaded));
  }

  /** Replaces a thread, sending the plans it held to the new one. */
  private replace(thread: Thread): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    const fresh = this.spare ?? this.spawn();
    this.threads[index] = fresh;
    this.spare = this.spawn();
    void thread.worker.terminate();
    for (const id of thread.pending) {
      const entry = this.pending.get(id);
      if (!entry) continue;
      // A job on every thread that died is the likely cause: it fails rather than kill the next.
      if (++entry.resends > MAX_RESENDS) {
        this.pending.delete(id);
        entry.reject(threadDied(entry.job, `its thread was replaced ${entry.resends} times`));
      } else this.send(id, entry, fresh);
    }
  }

  private send(id: number, entry: Pending, thread: Thread): void {
    entry.thread = thread;
    thread.pending.add(id);
    thread.worker.postMessage({ id, job: entry.job } satisfies PlannerMessage);
  }

  /** Asks every idle planner thread to give back the memory its heap grew to (IdleMemoryReducer). */
  releaseMemory(): void {
    for (const thread of this.threads)
      if (thread.pending.size === 0) thread.worker.postMessage({ release: true } satisfies PlannerMessage);
  }

  plan(request: PlanRequest, signal: AbortSignal): Promise<PlanOutcome> {
    return this.submit({ kind: 'plan', request }, signal) as Promise<PlanOutcome>;
  }

  /**
   * A source's tables, read from its files on a planner thread (footers, headers, samples),
   * each with the snapshot of its files.
   */
  discover(
    type: SourceType,
    path: string,
    options: Readonly<Record<string, unknown>>,
  ): Promise<SnapshottedTable[]> {
    return this.submit({ kind: 'discover', type, path, options }, new AbortController().signal) as Promise<
      SnapshottedTable[]
    >;
  }

  /**
   * The base tables `sql` reads (through views) with their data's fingerprints now, as
   * planning computes them for the plan cache: a reflection build takes them before it reads.
   */
  snapshot(sql: string): Promise<CheckedTableSnapshot[]> {
    return this.submit({ kind: 'snapshot', sql }, new AbortController().signal) as Promise<
      CheckedTableSnapshot[]
    >;
  }

  private submit(job: PlannerJob, signal: AbortSignal): Promise<PlannerResult> {
    if (this.threads.length === 0) return Promise.reject(new InternalError('the planner is stopped'));
    signal.throwIfAborted();
    const id = this.nextId++;
    const thread = this.threads.reduce((best, t) => (t.pending.size < best.pending.size ? t : best));
    return new Promise<PlannerResult>((resolve, reject) => {
      const onAbort = () => {
        const entry = this.pending.get(id);
        if (!entry) return;
        this.pending.delete(id);
        entry.thread.pending.delete(id);
        // The thread may be deep in this plan: only a new thread gets it back for the others.
        this.replace(entry.thread);
        reject(signal.reason);
      };
      const entry: Pending = {
        job,
        resolve: (result) => {
          signal.removeEventListener('abort', onAbort);
          resolve(result);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
        thread,
        resends: 0,
      };
      this.pending.set(id, entry);
      signal.addEventListener('abort', onAbort, { once: true });
      this.send(id, entry, thread);
    });
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    if (this.spare) threads.push(this.spare);
    this.spare = undefined;
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}

/** How a job fails when its thread died under it: reading a source's files names the path. */
function threadDied(job: PlannerJob, why: string): TributaryError {
  if (job.kind === 'discover')
    return new SourceError(
      'SOURCE_FILE_INVALID',
      `cannot read "${job.path}": the planner thread reading it died (${why})`,
      { details: { file: job.path } },
    );
  return new InternalError(`planning failed: its thread died (${why})`);
}
