import type { JobState } from '@tributary/catalog';

/** How far a running job has got: tasks (and the splits they read) finished of all, rows produced. */
export interface JobProgress {
  readonly tasksDone: number;
  readonly tasksTotal: number;
  readonly splitsDone: number;
  readonly splitsTotal: number;
  readonly rows: number;
}

/** What a job's end tells its watchers. */
export interface JobOutcome {
  readonly state: 'COMPLETED' | 'FAILED' | 'CANCELED';
  readonly rowCount: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** Where in the SQL a failed job's error lies, and the names it may have meant (the console underlines it). */
  readonly errorLine?: number;
  readonly errorColumn?: number;
  readonly suggestions?: readonly string[];
}

/** How many ended jobs' outcomes are kept, for watchers that subscribe a moment after the end. */
const RECENTLY_ENDED = 256;

export type LiveJobEvent =
  { readonly type: 'state'; readonly state: JobState } | ({ readonly type: 'end' } & JobOutcome);

interface LiveJob {
  state: JobState;
  progress: () => JobProgress;
  readonly listeners: Set<(event: LiveJobEvent) => void>;
}

const NO_PROGRESS: JobProgress = { tasksDone: 0, tasksTotal: 0, splitsDone: 0, splitsTotal: 0, rows: 0 };

/**
 * The jobs this coordinator is running now, in memory: their state and progress as they
 * change, for the jobs API and its server-sent events. The catalog holds the same states
 * a moment later (it writes behind); a job leaves this map when it ends.
 */
export class LiveJobs {
  private readonly jobs = new Map<string, LiveJob>();
  private readonly recentlyEnded = new Map<string, JobOutcome>();

  begin(id: string): void {
    this.jobs.set(id, { state: 'PLANNING', progress: () => NO_PROGRESS, listeners: new Set() });
  }

  setState(id: string, state: JobState): void {
    const job = this.jobs.get(id);
    if (!job || job.state === state) return;
    job.state = state;
    for (const listener of job.listeners) listener({ type: 'state', state });
  }

  /** Where the job's progress is read from once it runs. */
  setProgress(id: string, progress: () => JobProgress): void {
    const job = this.jobs.get(id);
    if (job) job.progress = progress;
  }

  end(id: string, outcome: JobOutcome): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    this.recentlyEnded.set(id, outcome);
    if (this.recentlyEnded.size > RECENTLY_ENDED)
      this.recentlyEnded.delete(this.recentlyEnded.keys().next().value as string);
    for (const listener of job.listeners) listener({ type: 'end', ...outcome });
  }

  /** The outcome of a job that ended here lately (the catalog's record has no error position). */
  endedOutcome(id: string): JobOutcome | undefined {
    return this.recentlyEnded.get(id);
  }

  get(id: string): { state: JobState; progress: JobProgress } | undefined {
    const job = this.jobs.get(id);
    return job && { state: job.state, progress: job.progress() };
  }

  /** Calls `listener` on each change of a running job until it ends; undefined when the job is not running here. */
  subscribe(id: string, listener: (event: LiveJobEvent) => void): (() => void) | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Ids of the jobs running now (their spools are being written). */
  has(id: string): boolean {
    return this.jobs.has(id);
  }
}
