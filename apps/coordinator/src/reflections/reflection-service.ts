import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExecutionError, RequestError, TributaryError, asTributaryError } from '@tributary/common';
import { definingSql, type ReflectionRecord, type ReflectionStore } from '@tributary/reflections';
import { buildMaterialization, type BuildDeps } from './build-materialization.ts';

export interface ReflectionServiceOptions extends BuildDeps {
  readonly store: ReflectionStore;
  /** A reflection without an interval of its own is rebuilt this often; 0: never on a timer. */
  readonly refreshIntervalMs: number;
  /** How often datasets are checked for changed data (and dropped reflections' folders swept); 0: never. */
  readonly checkIntervalMs: number;
  /** Retries of a failed build before the reflection is FAILED. */
  readonly retries: number;
  /** Builds that may run at once (default 1); each is a job through admission like any query. */
  readonly concurrency?: number;
  /** First retry's delay; each next one doubles it. */
  readonly retryDelayMs?: number;
  /**
   * How long a replaced materialization's folder is kept for the queries that may still read
   * it: longer than any query may run (the query deadline).
   */
  readonly graceMs: number;
  readonly log: (message: string) => void;
}

/** How a build ended, for whoever waits for it (`?wait=true`). */
export type BuildOutcome =
  | { readonly ok: true; readonly reflection: ReflectionRecord }
  | { readonly ok: false; readonly error: TributaryError; readonly final: boolean };

/**
 * Keeps reflections built: a queue of builds, up to `concurrency` at once (each a job that
 * waits for admission like users' queries, so builds never take the cluster from them; a
 * reflection is never built twice at once, and a build reads its sources, never another
 * reflection), retries with backoff then FAILED, a
 * periodic check of every reflection's datasets (changed data: STALE, rebuilt) and of its
 * refresh interval, and the disk: folders no catalog row references are deleted at start-up
 * (a crash mid-build leaves a `.tmp` one), a replaced folder after a grace period longer than
 * any query may still read it, a dropped reflection's folder at the next check.
 */
export class ReflectionService {
  private readonly queue: string[] = [];
  private readonly running = new Map<string, { controller: AbortController; jobId?: string }>();
  private readonly again = new Set<string>();
  private readonly waiters = new Map<string, ((outcome: BuildOutcome) => void)[]>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly deletions = new Set<NodeJS.Timeout>();
  private checkTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private stopped = false;
  /** Builds wait for start(): its sweep must not take a build's `.tmp` folder for a crash's leftover. */
  private started = false;
  /** Folders of reflections no longer in the catalog, by when a sweep first found them. */
  private readonly orphanSince = new Map<string, number>();

  constructor(private readonly options: ReflectionServiceOptions) {}

  get store(): ReflectionStore {
    return this.options.store;
  }

  /**
   * Before any build: deletes every folder under the reflections folder that the catalog does
   * not reference (`.tmp` ones of a build a crash interrupted included), then queues the
   * reflections that need a build (new, or REFRESHING when the process stopped).
   */
  async start(): Promise<void> {
    await this.sweep(true);
    this.started = true;
    for (const reflection of this.store.list())
      if (reflection.enabled && (reflection.status === 'REFRESHING' || reflection.materialization === null))
        this.request(reflection.id);
    if (this.options.checkIntervalMs > 0) this.scheduleCheck();
    this.next();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.checkTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    for (const timer of this.deletions) clearTimeout(timer);
    for (const build of this.running.values())
      build.controller.abort(new ExecutionError('QUERY_CANCELLED', 'the coordinator is stopping'));
  }

  /** Queues a build (once: a build asked for while one runs runs again after it). */
  request(id: string): void {
    if (this.stopped) return;
    const retry = this.retryTimers.get(id);
    if (retry) {
      clearTimeout(retry);
      this.retryTimers.delete(id);
    }
    if (this.running.has(id)) this.again.add(id);
    else if (!this.queue.includes(id)) this.queue.push(id);
    // Started on the next turn: the statement or request that asked for it finishes first (a REST
    // create sets its refresh policy right after its CREATE statement), and the build reads that.
    setImmediate(() => this.next());
  }

  /**
   * A refresh asked for by a user (SQL, REST): a reflection that FAILED gets its retries anew,
   * its last error kept until a build succeeds.
   */
  refreshNow(id: string): void {
    const reflection = this.store.get(id);
    if (!reflection) return;
    if (reflection.failureCount > 0)
      this.store.setStatus(id, reflection.status === 'FAILED' ? 'REFRESHING' : reflection.status, {
        failureCount: 0,
        lastError: reflection.lastError,
      });
    this.request(id);
  }

  /** The id of the job building this reflection now, if one is. */
  buildingJob(id: string): string | undefined {
    return this.running.get(id)?.jobId;
  }

  /**
   * Resolves when the next build of the reflection ends (success, or its last retry failed),
   * or with a timeout error after `timeoutMs`: what `?wait=true` waits for.
   */
  waitForBuild(id: string, timeoutMs: number): Promise<BuildOutcome> {
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      const timer = setTimeout(() => {
        const rest = (this.waiters.get(id) ?? []).filter((w) => w !== settle);
        this.waiters.set(id, rest);
        resolve({
          ok: false,
          final: false,
          error: new RequestError(
            'REFLECTION_WAIT_TIMEOUT',
            `the build of reflection ${id} did not end within ${timeoutMs} ms; it goes on (GET /api/v1/reflections/${id})`,
            { status: 504 },
          ),
        });
      }, timeoutMs);
      const settle = (outcome: BuildOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      list.push(settle);
      this.waiters.set(id, list);
    });
  }

  private notify(id: string, outcome: BuildOutcome): void {
    const list = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    for (const settle of list) settle(outcome);
  }

  /** A dropped reflection: its build stopped, its folder deleted after the grace period. */
  dropped(id: string): void {
    this.queue.splice(0, this.queue.length, ...this.queue.filter((q) => q !== id));
    this.running
      .get(id)
      ?.controller.abort(new ExecutionError('QUERY_CANCELLED', 'the reflection was dropped'));
    clearTimeout(this.retryTimers.get(id));
    this.retryTimers.delete(id);
    // Queries planned before the drop may still read its copy.
    this.deleteLater(join(this.options.reflectionsDir, id));
  }

  /** Starts queued builds while fewer than `concurrency` run. */
  private next(): void {
    while (!this.stopped && this.started && this.running.size < Math.max(1, this.options.concurrency ?? 1)) {
      // The first queued reflection not being built now (a build asked for while it runs waits in `again`).
      const at = this.queue.findIndex((q) => !this.running.has(q));
      if (at < 0) return;
      const [id] = this.queue.splice(at, 1);
      const reflection = this.store.get(id);
      if (!reflection || !reflection.enabled) continue;
      void this.build(reflection);
    }
  }

  /** The number of builds running now. */
  get buildsRunning(): number {
    return this.running.size;
  }

  private async build(reflection: ReflectionRecord): Promise<void> {
    const id = reflection.id;
    const controller = new AbortController();
    this.running.set(id, { controller });
    this.store.setStatus(id, 'REFRESHING');
    try {
      const materialization = await buildMaterialization(
        reflection,
        {
          ...this.options,
          onJob: (jobId) => {
            const build = this.running.get(id);
            if (build) build.jobId = jobId;
          },
        },
        controller.signal,
      );
      let previous;
      try {
        previous = this.store.switchMaterialization(materialization);
      } catch (error) {
        await rm(materialization.folder, { recursive: true, force: true });
        throw error;
      }
      if (previous) this.deleteLater(previous.folder);
      this.options.log(
        `reflection ${reflection.name} on ${reflection.datasetPath.join('.')} built: ${materialization.rows} rows, ` +
          `${materialization.bytes} bytes in ${Math.round(materialization.refreshMs ?? 0)} ms`,
      );
      this.notify(id, { ok: true, reflection: this.store.get(id)! });
    } catch (error) {
      this.failed(id, asTributaryError(error));
    } finally {
      this.running.delete(id);
      if (this.again.delete(id)) this.queue.push(id);
      this.next();
    }
  }

  /** A failed build: retried after a backoff while retries remain, then FAILED with the reason. */
  private failed(id: string, error: TributaryError): void {
    const reflection = this.store.get(id);
    if (!reflection || this.stopped) return void this.notify(id, { ok: false, error, final: true });
    const failures = reflection.failureCount + 1;
    const final = failures > this.options.retries;
    const reason = `${error.code}: ${error.message}`;
    this.store.setStatus(id, final ? 'FAILED' : 'REFRESHING', { failureCount: failures, lastError: reason });
    this.options.log(
      `reflection ${reflection.name} on ${reflection.datasetPath.join('.')}: build ${failures} failed (${reason})` +
        (final ? '; FAILED' : '; retrying'),
    );
    if (final) {
      this.again.delete(id);
      return void this.notify(id, { ok: false, error, final: true });
    }
    const delay = (this.options.retryDelayMs ?? 1000) * 2 ** (failures - 1);
    const timer = setTimeout(() => {
      this.retryTimers.delete(id);
      this.request(id);
    }, delay);
    timer.unref();
    this.retryTimers.set(id, timer);
  }

  /** A replaced materialization's folder, deleted once no query that began before the switch can read it. */
  private deleteLater(folder: string): void {
    const timer = setTimeout(() => {
      this.deletions.delete(timer);
      void rm(folder, { recursive: true, force: true });
    }, this.options.graceMs);
    timer.unref();
    this.deletions.add(timer);
  }

  private scheduleCheck(): void {
    if (this.stopped) return;
    this.checkTimer = setTimeout(() => {
      void this.check().finally(() => this.scheduleCheck());
    }, this.options.checkIntervalMs);
    this.checkTimer.unref();
  }

  /**
   * One round of the periodic check: a reflection whose base tables' data changed since its
   * build (fingerprints taken on a planner thread, off the event loop) is STALE and rebuilt;
   * one past its refresh interval is rebuilt; dropped reflections' folders are deleted.
   */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const now = Date.now();
      for (const reflection of this.store.list()) {
        const built = reflection.materialization;
        if (!reflection.enabled || !built || reflection.status === 'FAILED') continue;
        if (this.running.has(reflection.id) || this.queue.includes(reflection.id)) continue;
        const interval = reflection.refreshPolicy.intervalMs ?? this.options.refreshIntervalMs;
        if (interval > 0 && now - built.builtAt >= interval) {
          this.request(reflection.id);
          continue;
        }
        let current;
        try {
          current = await this.options.planner.snapshot(definingSql(reflection));
        } catch (error) {
          this.options.log(
            `reflection ${reflection.name}: cannot check its data (${(error as Error).message})`,
          );
          continue;
        }
        const before = new Map(built.snapshot.map((s) => [`${s.source}\0${s.table}`, s.fingerprint]));
        const changed =
          current.length !== built.snapshot.length ||
          current.some((s) => s.changedOnDisk || before.get(`${s.source}\0${s.table}`) !== s.fingerprint);
        if (changed) {
          this.store.setStatus(reflection.id, 'STALE');
          this.request(reflection.id);
        }
      }
      await this.sweep(false);
    } finally {
      this.checking = false;
    }
  }

  /**
   * Deletes what the catalog does not reference under the reflections folder: at start-up
   * every such folder; later only those of reflections that no longer exist (a build in
   * progress has a `.tmp` folder no row references yet), a grace period after it first found
   * them (a dataset dropped takes its reflections with it without telling this service).
   */
  private async sweep(startup: boolean): Promise<void> {
    const dir = this.options.reflectionsDir;
    const referenced = this.store.referencedFolders();
    const known = new Set(this.store.list().map((r) => r.id));
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      return;
    }
    for (const reflectionId of entries) {
      const folder = join(dir, reflectionId);
      if (!known.has(reflectionId)) {
        // At start-up no query runs; later one planned before the reflection went may still read it.
        const since = this.orphanSince.get(folder) ?? Date.now();
        this.orphanSince.set(folder, since);
        if (!this.running.has(reflectionId) && (startup || Date.now() - since >= this.options.graceMs)) {
          await rm(folder, { recursive: true, force: true });
          this.orphanSince.delete(folder);
        }
        continue;
      }
      if (!startup) continue;
      for (const entry of await readdir(folder).catch(() => [] as string[])) {
        const path = join(folder, entry);
        if (!referenced.has(path)) await rm(path, { recursive: true, force: true });
      }
    }
  }
}
