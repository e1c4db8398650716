import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the thread checkpoints the write-ahead log. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The write-ahead log's size, in pages, past which the catalog's own connection checkpoints
 * after all (SQLite's automatic checkpoint): only when the thread has stopped keeping up.
 */
export const BACKSTOP_PAGES = 16_384;

/**
 * The thread's code: its own connection to the catalog file, a PASSIVE checkpoint every
 * `intervalMs` (it waits for no reader or writer: what it cannot copy now, it copies next
 * time), and a message for each one that copied frames or failed. Plain CommonJS, so that the
 * thread loads no TypeScript tooling.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const tick = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result.checkpointed > 0) parentPort.postMessage({ checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

type FromThread = { readonly checkpointed: number } | { readonly error: string };

/**
 * Checkpoints the catalog's write-ahead log on a thread of its own. A commit in WAL mode
 * appends pages to the log; SQLite's automatic checkpoint then copies them into the database
 * file, with an fsync, inside whichever commit crosses 1,000 pages: on the coordinator's event
 * loop, every 150 or so queries (each query's job row is committed), 10–26 ms each time on
 * this machine's disk. Here that copy runs beside the event loop, and the catalog's own
 * connection checkpoints only past BACKSTOP_PAGES.
 */
export class WalCheckpointer {
  private frames = 0;
  private waiting: { frames: number; resolve: () => void }[] = [];

  private constructor(
    private readonly worker: Worker,
    log: (message: string) => void,
  ) {
    worker.on('message', (message: FromThread) => {
      if ('error' in message) {
        log(`catalog checkpoint failed: ${message.error}`);
        return;
      }
      this.frames += message.checkpointed;
      this.waiting = this.waiting.filter((w) => (this.frames >= w.frames ? (w.resolve(), false) : true));
    });
    worker.on('error', (error) => log(`catalog checkpoint thread failed: ${error.message}`));
    // A checkpoint is never a reason to keep the process alive.
    worker.unref();
  }

  /** Starts the thread on the catalog file `file` (in WAL mode already). */
  static start(
    file: string,
    log: (message: string) => void,
    intervalMs = CHECKPOINT_INTERVAL_MS,
  ): WalCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    return new WalCheckpointer(worker, log);
  }

  /** Resolves once the thread has copied at least `frames` frames in all (for tests). */
  untilCheckpointed(frames: number): Promise<void> {
    if (this.frames >= frames) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ frames, resolve }));
  }

  /** Stops the thread after the checkpoint it may be in; its connection closes. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await exited;
  }
}
