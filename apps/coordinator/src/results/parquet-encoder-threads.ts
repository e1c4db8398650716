import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@tributary/common';
import type { ParquetEncoderOptions } from './parquet-encoder-messages.ts';

const WORKER_URL = new URL('./parquet-encoder-worker.ts', import.meta.url);

/** Idle encoder threads kept warm per set of options, and for how long. */
const MAX_IDLE = 2;
const IDLE_MS = 60_000;

interface IdleThread {
  readonly worker: Worker;
  readonly timer: NodeJS.Timeout;
  /** Drops it from the idle list when it exits or fails while idle. */
  readonly lost: () => void;
}

const idle = new Map<string, IdleThread[]>();

function remove(key: string, entry: IdleThread): void {
  const list = idle.get(key) ?? [];
  const at = list.indexOf(entry);
  if (at >= 0) list.splice(at, 1);
  clearTimeout(entry.timer);
  entry.worker.off('exit', entry.lost);
  entry.worker.off('error', entry.lost);
}

/**
 * A Parquet encoder thread (parquet-encoder-worker.ts): a warm one when one is idle, else a new
 * one. Starting a thread loads parquet-wasm, about 0.3 s, more than encoding a small file
 * takes: a reflection partitioned 100 ways writes 100 files, and took 36 s of thread starts.
 */
export function borrowEncoderThread(options: ParquetEncoderOptions): Worker {
  const key = JSON.stringify(options);
  const entry = idle.get(key)?.at(-1);
  if (!entry) return startModuleWorker(WORKER_URL, { workerData: options });
  remove(key, entry);
  entry.worker.ref();
  return entry.worker;
}

/**
 * Gives back a thread whose file ended cleanly (its `done` received): kept for the next file
 * up to MAX_IDLE per options, for IDLE_MS, and never keeping the process alive.
 */
export function returnEncoderThread(worker: Worker, options: ParquetEncoderOptions): void {
  const key = JSON.stringify(options);
  const list = idle.get(key) ?? [];
  if (list.length >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const lost = () => {
    remove(key, entry);
    void worker.terminate();
  };
  const entry: IdleThread = { worker, timer: setTimeout(lost, IDLE_MS).unref(), lost };
  worker.on('exit', lost);
  worker.on('error', lost);
  list.push(entry);
  idle.set(key, list);
}
