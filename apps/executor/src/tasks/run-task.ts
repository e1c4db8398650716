import { ExecutionError } from '@tributary/common';
import {
  buildOperators,
  MemoryReservation,
  OperatorMetrics,
  TaskTurn,
  spilledBytesOnThisThread,
  type MemoryPool,
  type SharedBuilds,
} from '@tributary/engine';
import { countedAnything, emptyScanCounters } from '@tributary/plan';
import {
  encodeBatchFrame,
  planFromJson,
  type PhysicalExchange,
  type TaskRequest,
  type TaskStats,
} from '@tributary/protocol';
import type { ExchangeFiles } from '../exchange/exchange-files.ts';
import { ExchangeSourceExec } from '../exchange/exchange-source.ts';
import { ExchangeWriter } from '../exchange/exchange-writer.ts';

/** What a worker thread knows of the executor it belongs to. */
export interface TaskRuntime {
  readonly executorId: string;
  readonly secret: string;
  readonly files: ExchangeFiles;
  readonly roots: readonly string[];
}

/**
 * Runs one task inside a worker thread: builds its operators (exchanges read the earlier
 * stages' outputs it was given the locations of), then either streams its rows as batch
 * frames through `emit` (the result stage; `emit` resolves when the reader has room) or
 * leaves them for the next stage: in this executor's exchange files, or in its stats when small.
 */
export async function runTask(
  task: TaskRequest,
  runtime: TaskRuntime,
  memory: MemoryPool,
  signal: AbortSignal,
  emit: (frame: Uint8Array) => Promise<void>,
  onFile?: (file: string | null) => void,
  shared?: { readonly builds: SharedBuilds; readonly pool: MemoryPool },
  turn: TaskTurn = new TaskTurn(task.lane),
): Promise<TaskStats> {
  const started = performance.now();
  const spilledBefore = spilledBytesOnThisThread();
  const spilled = () => spilledBytesOnThisThread() - spilledBefore;
  const locations = new Map(task.inputs.map((input) => [input.stage, input.outputs]));
  const exchange = (node: PhysicalExchange) => {
    const outputs = locations.get(node.stage);
    if (!outputs)
      throw new ExecutionError(
        'TASK_INVALID',
        `task ${task.taskId} reads stage ${node.stage} but was not told where its output is`,
      );
    // A broadcast of a hash-partitioned output (adapted at run time) reads every partition.
    const partitions =
      node.exchange === 'hash' ? [task.index] : Array.from({ length: node.partitions ?? 1 }, (_, i) => i);
    return new ExchangeSourceExec(node, outputs, partitions, {
      queryId: task.queryId,
      executorId: runtime.executorId,
      files: runtime.files,
      secret: runtime.secret,
    });
  };
  const plan = planFromJson(task.plan);
  const metrics = task.analyze ? new OperatorMetrics(plan) : undefined;
  const scanCounters = emptyScanCounters();
  // What every task reports besides its rows: operator figures when analyzed, scan counters when any.
  const operators = () => ({
    ...(metrics ? { operators: metrics.summary() } : {}),
    ...(countedAnything(scanCounters) ? { scan: scanCounters } : {}),
  });
  const root = buildOperators(plan, {
    splits: task.splits,
    roots: runtime.roots,
    exchange,
    cooperative: turn,
    onFile,
    scanCounters,
    resources: { memory, spillDir: runtime.files.spillDir(task.queryId) },
    metrics,
    sharedBuilds: shared && { ...shared, queryId: task.queryId, stage: task.stage },
  });
  let rows = 0;
  let bytes = 0;
  if (task.output.kind === 'result') {
    for await (const batch of root.execute(signal)) {
      if (batch.numRows === 0) continue;
      const frame = encodeBatchFrame(batch);
      rows += batch.numRows;
      bytes += frame.length;
      await emit(frame);
    }
    return { rows, bytes, elapsedMs: performance.now() - started, spilledBytes: spilled(), ...operators() };
  }
  const reservation = new MemoryReservation(memory, 'Exchange output');
  const writer = new ExchangeWriter(
    task.output,
    root.schema,
    runtime.files,
    task.queryId,
    task.taskId,
    reservation,
    task.inlineOutputBytes,
  );
  try {
    for await (const batch of root.execute(signal)) {
      rows += batch.numRows;
      bytes += batch.data.byteLength;
      await writer.write(batch);
    }
    const output = await writer.finish();
    return {
      rows,
      bytes,
      elapsedMs: performance.now() - started,
      ...output,
      spilledBytes: spilled(),
      ...operators(),
    };
  } finally {
    await writer.close();
  }
}
