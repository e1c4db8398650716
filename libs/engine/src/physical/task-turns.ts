import { setImmediate as onNextLoop } from 'node:timers';

/** How long a thread computes before it lets its event loop in and the next task take its turn. */
export const SLICE_MS = 10;

/**
 * A task of a small-lane query runs before large ones' slices only while its own run time
 * stays under this: a query planned as small that turns out heavy then waits with the large
 * ones (Trino's multilevel split queue demotes splits by the time they used the same way).
 */
export const DEMOTE_AFTER_MS = 1000;

/** The coordinator's admission lane of a task's query (libs/protocol TaskRequest.lane). */
export type TurnLane = 'small' | 'large';

interface Waiter {
  readonly turn: TaskTurn;
  readonly seq: number;
  readonly resume: () => void;
}

/**
 * Which task's slice runs next on a thread. Tasks on a worker thread interleave at batch
 * boundaries: every SLICE_MS of work the running task lets the event loop in and waits here.
 * Of the waiting tasks, one resumes per turn of the event loop: the one at the lowest level
 * (tasks of small-lane queries that have run less than DEMOTE_AFTER_MS, then the rest); among
 * small-lane tasks the one whose query reached the executor first; among the rest the one
 * that has run least (least attained service: a new task goes before one that has had the
 * thread for seconds); then the one that waited longest. So a quick
 * query's tasks pass the slices of heavy ones queued on the same thread instead of waiting a
 * slice behind each, while a task alone on its thread resumes at the next turn as before.
 */
export class TurnQueue {
  private readonly waiting: Waiter[] = [];
  private seq = 0;
  private dispatching = false;

  /** Resolves when it is this task's turn. */
  wait(turn: TaskTurn): Promise<void> {
    return new Promise((resume) => {
      this.waiting.push({ turn, seq: this.seq++, resume });
      this.schedule();
    });
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  private schedule(): void {
    if (this.dispatching || this.waiting.length === 0) return;
    this.dispatching = true;
    // One task resumes per turn of the event loop: messages (cancels, credits, new tasks) and
    // I/O are handled between slices, and a task resumed runs its slice before the next pick.
    onNextLoop(() => this.dispatch());
  }

  private dispatch(): void {
    this.dispatching = false;
    let best = 0;
    for (let i = 1; i < this.waiting.length; i++)
      if (goesBefore(this.waiting[i], this.waiting[best])) best = i;
    const [next] = this.waiting.splice(best, 1);
    next?.resume();
    this.schedule();
  }
}

function goesBefore(a: Waiter, b: Waiter): boolean {
  if (a.turn.level !== b.turn.level) return a.turn.level < b.turn.level;
  // Quick queries are alike in size: the one that came first finishes first (FIFO keeps their
  // tail short; sharing the thread among them would make all of them late together).
  if (a.turn.level === 0 && a.turn.queryArrival !== b.turn.queryArrival)
    return a.turn.queryArrival < b.turn.queryArrival;
  if (a.turn.ranMs !== b.turn.ranMs) return a.turn.ranMs < b.turn.ranMs;
  return a.seq < b.seq;
}

/** The turn queue of the thread this module runs on (each worker thread has its own). */
export const threadTurns = new TurnQueue();

/** When this thread last let its event loop in; shared by every task on it. */
let lastTurn = performance.now();

/** Time this thread's tasks spent letting the event loop in, in total (only differences mean anything). */
let yieldedMs = 0;

/** The milliseconds this thread's operators have given its event loop so far: what InstrumentedExec leaves out of an operator's time. */
export function cooperativeYieldMs(): number {
  return yieldedMs;
}

/** One task's place in its thread's turns: its lane and how long it has run. */
export class TaskTurn {
  /** Thread time this task used, counted at its pauses (the work since the thread last let its loop in). */
  ranMs = 0;

  /**
   * @param queryArrival when the task's query first reached this executor (any clock shared
   *   by the executor's threads): small-lane tasks of older queries go first.
   */
  constructor(
    readonly lane: TurnLane = 'large',
    readonly queryArrival = 0,
    private readonly queue: TurnQueue = threadTurns,
  ) {}

  /** 0 for tasks of small-lane queries that have not run long; 1 for the rest. */
  get level(): number {
    return this.lane === 'small' && this.ranMs < DEMOTE_AFTER_MS ? 0 : 1;
  }

  /** Whether the thread has computed for a slice since it last let its event loop in. */
  due(now: number): boolean {
    return now - lastTurn > SLICE_MS;
  }

  /** Lets the event loop in and waits for this task's next turn (counting the slice it ends as its own). */
  async pause(now = performance.now()): Promise<void> {
    this.ranMs += now - lastTurn;
    await this.queue.wait(this);
    lastTurn = performance.now();
    yieldedMs += lastTurn - now;
  }

  /** Waits for a first turn before a task starts, so a new heavy task queues behind quick ones. */
  async start(): Promise<void> {
    await this.queue.wait(this);
    lastTurn = performance.now();
  }
}
