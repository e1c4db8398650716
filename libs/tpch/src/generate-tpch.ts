import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@tributary/common';
import { runTask, type ChunkPayload, type GenerateTask, type TpchFormat } from './generate-task.ts';
import { GROUP_TABLES, groupRows, type TpchGroup } from './generate-tables.ts';
import { CsvSink, ParquetSink, SqliteDatabase, type TableSink } from './table-sinks.ts';
import { tpchCardinalities, type TpchTableName } from './tpch-schema.ts';

export interface GenerateTpchOptions {
  readonly scaleFactor: number;
  readonly format: TpchFormat;
  /** The folder that receives `<table>.csv`, `<table>.parquet` or `tpch.db`. */
  readonly out: string;
  /** Generator threads; 0 generates on the calling thread (small scale factors). Default: one per core. */
  readonly workers?: number;
  readonly log?: (message: string) => void;
}

export interface GenerateTpchReport {
  readonly rows: Readonly<Record<TpchTableName, number>>;
  readonly elapsedMs: number;
}

const GROUPS: readonly TpchGroup[] = ['region', 'nation', 'supplier', 'customer', 'part', 'orders'];

/** Rows of the driving table per task: about 100,000 rows of output each. */
const CHUNK_ROWS: Readonly<Record<TpchGroup, number>> = {
  region: 5,
  nation: 25,
  supplier: 100_000,
  customer: 100_000,
  part: 25_000,
  orders: 25_000,
};

function tasksOf(scaleFactor: number, format: TpchFormat): GenerateTask[] {
  const tasks: GenerateTask[] = [];
  for (const group of GROUPS) {
    const rows = groupRows(group, scaleFactor);
    for (let start = 0; start < rows; start += CHUNK_ROWS[group]) {
      tasks.push({
        format,
        range: { group, scaleFactor, start, end: Math.min(rows, start + CHUNK_ROWS[group]) },
      });
    }
  }
  return tasks;
}

/** Runs tasks on worker threads, each answer matched to its task by id. */
class GeneratorPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { id: number; task: GenerateTask }[] = [];
  private readonly waiting = new Map<
    number,
    { resolve: (p: ChunkPayload[]) => void; reject: (e: Error) => void }
  >();
  private nextId = 0;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const worker = startModuleWorker(new URL('./generate-worker.ts', import.meta.url));
      worker.on('message', (message: { id: number; payloads?: ChunkPayload[]; error?: string }) => {
        const waiter = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        if (message.error !== undefined)
          waiter?.reject(new Error(`TPC-H generator thread: ${message.error}`));
        else waiter?.resolve(message.payloads!);
        this.release(worker);
      });
      worker.on('error', (error) => {
        for (const waiter of this.waiting.values()) waiter.reject(error);
        this.waiting.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  run(task: GenerateTask): Promise<ChunkPayload[]> {
    const id = this.nextId++;
    const answer = new Promise<ChunkPayload[]>((resolve, reject) =>
      this.waiting.set(id, { resolve, reject }),
    );
    this.queue.push({ id, task });
    this.dispatch();
    return answer;
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) this.idle.pop()!.postMessage(this.queue.shift()!);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Generates TPC-H at a scale factor into one file per table. Tasks (ranges of rows) run on
 * worker threads, a few ahead of the writer; their results are written in task order, so
 * the files are the same whatever the number of threads. Memory stays at a few chunks.
 */
export async function generateTpch(options: GenerateTpchOptions): Promise<GenerateTpchReport> {
  const started = performance.now();
  tpchCardinalities(options.scaleFactor); // validates the scale factor
  await mkdir(options.out, { recursive: true });
  const threads = options.workers ?? availableParallelism();
  const pool = threads > 0 ? new GeneratorPool(threads) : undefined;
  const run = (task: GenerateTask): Promise<ChunkPayload[]> =>
    pool ? pool.run(task) : Promise.resolve().then(() => runTask(task));
  const tasks = tasksOf(options.scaleFactor, options.format);
  const ahead = Math.max(1, threads * 2);
  const inFlight: Promise<ChunkPayload[]>[] = [];
  let nextTask = 0;
  const refill = () => {
    while (nextTask < tasks.length && inFlight.length < ahead) {
      const answer = run(tasks[nextTask++]);
      answer.catch(() => undefined); // awaited in order below
      inFlight.push(answer);
    }
  };

  const database = options.format === 'sqlite' ? await SqliteDatabase.create(options.out) : undefined;
  const sinks = new Map<TpchTableName, TableSink>();
  const rows = {} as Record<TpchTableName, number>;
  const openSink = async (table: TpchTableName): Promise<TableSink> => {
    if (database) return database.table(table);
    return options.format === 'csv' ? CsvSink.open(options.out, table) : ParquetSink.open(options.out, table);
  };
  try {
    refill();
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t];
      const group = task.range.group;
      if (task.range.start === 0) {
        for (const table of GROUP_TABLES[group]) {
          sinks.set(table, await openSink(table));
          rows[table] = 0;
        }
      }
      const payloads = await inFlight.shift()!;
      refill();
      for (const payload of payloads) {
        await sinks.get(payload.table)!.write(payload);
        rows[payload.table] += payload.rows;
      }
      if (task.range.end === groupRows(group, options.scaleFactor)) {
        for (const table of GROUP_TABLES[group]) {
          await sinks.get(table)!.close();
          sinks.delete(table);
          options.log?.(`${table}: ${rows[table].toLocaleString('en-US')} rows`);
        }
      }
    }
    await database?.close();
  } catch (error) {
    for (const sink of sinks.values()) await sink.abort();
    await database?.abort();
    throw error;
  } finally {
    await pool?.close();
  }
  return { rows, elapsedMs: performance.now() - started };
}
