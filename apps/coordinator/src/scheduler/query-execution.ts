import type { RecordBatch } from 'apache-arrow';
import { ExecutionError, TributaryError, makeRecordBatch } from '@tributary/common';
import {
  LimitExec,
  SortedMergeExec,
  StreamExec,
  batchColumn,
  concatAsync,
  mergeAsync,
} from '@tributary/engine';
import {
  INTERNAL_PATHS,
  clusterHeaders,
  resultStage,
  taskCount,
  type ScheduledPlan,
  type ScheduledStage,
  type StagePlan,
  type TaskOutputLocation,
  type TaskRequest,
  type TaskStats,
} from '@tributary/protocol';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';
import { AdaptiveJoins } from './adaptive-joins.ts';
import type { EndedQueries } from './ended-queries.ts';
import type { QueryLane } from './query-admission.ts';
import { runRemoteTask } from './remote-task.ts';
import { isRetryable, lostExecutorOf } from './task-failures.ts';
import { TaskSlots, stableHash, type ClusterLoad, type TaskAffinity } from './task-slots.ts';

export interface ExecutionOptions {
  readonly registry: ExecutorRegistry;
  readonly load: ClusterLoad;
  readonly secret: string;
  readonly fragmentTimeoutMs: number;
  /** Times a task is run again after its executor failed it (crash, loss, silence). */
  readonly taskRetries: number;
  readonly executorWaitMs: number;
  /** The query's memory limit on each executor, in bytes (0: the executors' own). */
  readonly queryMemoryBytes: number;
  /** EXPLAIN ANALYZE: tasks measure their operators and report them in their stats. */
  readonly analyze?: boolean;
  /** The query's admission lane: executors run small-lane queries' tasks' slices first. */
  readonly lane?: QueryLane;
  /** Where a completed query's executors are queued to drop its data (in batches). */
  readonly ended?: EndedQueries;
  /**
   * Shuffle joins are decided again from their build side's actual rows, against this
   * broadcast limit (adapt-join-distribution.ts); undefined: plans run as planned.
   */
  readonly adaptiveBroadcastRowLimit?: number;
  readonly log: (message: string) => void;
}

/** One finished run of a task, for EXPLAIN ANALYZE. */
export interface TaskRun {
  readonly stage: number;
  readonly index: number;
  readonly attempt: number;
  readonly executorId: string;
  readonly stats: TaskStats;
  /** When it was handed to its executor and when its stats came back, in ms since the query's execution began. */
  readonly startMs: number;
  readonly endMs: number;
}

/** Why one task failed so far: the executors to avoid, and how often its executor failed it. */
interface TaskFailures {
  readonly avoid: Set<string>;
  count: number;
}

interface TaskSize {
  readonly rows: number;
  readonly bytes: number;
}

/**
 * The most bytes of output all tasks of a stage together may send back inline (TaskStats.inline)
 * rather than leave in files, and the most one task may: a stage's small outputs (partial
 * aggregates, top-N rows, small hash partitions) then reach the next stage inside its task
 * requests, with no file written and no fetch from another executor. A next-stage request
 * carries at most a stage's budget per stage it reads; the coordinator holds them meanwhile.
 */
const STAGE_INLINE_BYTES = 256 * 1024;
const TASK_INLINE_BYTES = 64 * 1024;

/** What each of `tasks` tasks of a stage may send back inline. */
function inlineOutputBytes(tasks: number): number {
  return Math.min(TASK_INLINE_BYTES, Math.floor(STAGE_INLINE_BYTES / Math.max(1, tasks)));
}

/** Outputs lost and recomputed, and failed tasks re-run, before a query gives up. */
const MAX_RECOVERIES = 32;

/** How long an executor that left a task unanswered gets no new task. */
const SUSPEND_MS = 60_000;

/**
 * Runs a distributed plan: each stage's tasks are handed to executors as slots free up,
 * stages that feed others leave their output on the executors, and the result stage's
 * tasks stream to the coordinator, which merges, limits and relays them — the only work
 * done here. When an executor is lost, the tasks it ran are run elsewhere, and the
 * finished tasks whose output it held are run again from their inputs (lineage, as in
 * Spark and MapReduce). A result task that fails before it sent rows is run again alone;
 * once rows have reached the client, a failure ends the query.
 */
export class QueryExecution {
  private readonly outputs: (TaskOutputLocation | undefined)[][];
  private readonly materializing = new Map<number, Promise<void>>();
  private readonly attempts: number[][];
  /** Rows and bytes each task's last successful run left in its output, for runtime decisions. */
  private readonly outputSizes: (TaskSize | undefined)[][];
  /** What places a splits stage's tasks near their data: their splits, hashed (decoded columns are cached where they were read). */
  private readonly affinityKeys: (readonly string[] | undefined)[];
  /** The plan as it runs: planned, then changed by runtime decisions (AdaptiveJoins). */
  private current: ScheduledPlan;
  private readonly adaptive: AdaptiveJoins | undefined;
  /** Stages whose runtime decision was made (or is being made), by stage id. */
  private readonly adapting = new Map<number, Promise<void>>();
  private readonly slots: TaskSlots;
  private readonly used = new Map<string, ExecutorInfo>();
  private recoveries = 0;
  /** Rows and bytes each task run reported, and its output when inline, by task id, until its output is recorded. */
  private readonly lastOutputs = new Map<string, { size: TaskSize; inline?: readonly string[] }>();
  readonly runs: TaskRun[] = [];
  /** `stage.index` of every task that finished at least once, for progress. */
  private readonly finished = new Set<string>();
  private splitsDone = 0;
  private readonly began = performance.now();
  private readonly onLost = (info: ExecutorInfo) => this.forgetOutputsOn(info.id);

  constructor(
    readonly queryId: string,
    plan: ScheduledPlan,
    private readonly options: ExecutionOptions,
    private readonly signal: AbortSignal,
  ) {
    this.current = plan;
    this.outputs = plan.stages.map((s) => new Array(taskCount(s.tasks)).fill(undefined));
    this.attempts = plan.stages.map((s) => new Array(taskCount(s.tasks)).fill(0));
    this.outputSizes = plan.stages.map((s) => new Array(taskCount(s.tasks)).fill(undefined));
    this.affinityKeys = plan.stages.map(affinityKeysOf);
    this.adaptive =
      options.adaptiveBroadcastRowLimit === undefined
        ? undefined
        : new AdaptiveJoins(options.adaptiveBroadcastRowLimit);
    this.slots = new TaskSlots(options.registry, options.load, options.executorWaitMs);
    options.registry.on('lost', this.onLost);
  }

  /** The plan as it runs, with the decisions made at run time so far. */
  get plan(): ScheduledPlan {
    return this.current;
  }

  /** The stages changed by runtime decisions, parsed, for EXPLAIN ANALYZE and the job's profile. */
  get adaptedStages(): readonly StagePlan[] {
    return this.adaptive?.adapted ?? [];
  }

  /** The result's batches, shaped as the plan says (merge, offset, limit, columns). */
  async *stream(): AsyncGenerator<RecordBatch> {
    const { result, schema } = this.plan;
    let sent = false;
    for (;;) {
      try {
        await this.adapt(this.plan.stages.length - 1);
        const stage = resultStage(this.plan);
        await this.materializeInputs(stage);
        const streams = Array.from(
          { length: taskCount(stage.tasks) },
          (_, index) => new StreamExec(stage.schema, () => this.streamTask(stage, index)),
        );
        const merged =
          result.read === 'merge' && streams.length > 0
            ? new SortedMergeExec(streams, result.orderBy ?? [])
            : new StreamExec(stage.schema, (signal) => {
                const sources = streams.map((s) => s.execute(signal));
                return result.read === 'in-order' ? concatAsync(sources) : mergeAsync(sources);
              });
        const limited =
          result.limit === null && result.offset === 0
            ? merged
            : new LimitExec(merged, result.limit, result.offset);
        const keep = result.columns;
        const identity = keep.length === stage.schema.length && keep.every((c, i) => c === i);
        for await (const batch of limited.execute(this.signal)) {
          sent = true;
          yield identity
            ? batch
            : makeRecordBatch(
                schema,
                keep.map((c, i) => batchColumn(batch, c, schema[i].type)),
                batch.numRows,
              );
        }
        return;
      } catch (error) {
        // A result task that had fed rows into the merge failed: if none reached the client, start the stage over.
        if (sent || this.signal.aborted || !isRetryable(error) || ++this.recoveries > MAX_RECOVERIES)
          throw error;
        this.options.log(
          `query ${this.queryId}: the result stage failed before any row was sent; running it again`,
        );
      }
    }
  }

  /** Every task of every stage the result reads has its output on a live executor. */
  private async materializeInputs(stage: ScheduledStage): Promise<void> {
    await Promise.all(stage.inputs.map((id) => this.materialize(id)));
  }

  private materialize(stageId: number): Promise<void> {
    let running = this.materializing.get(stageId);
    if (!running) {
      running = this.adapt(stageId)
        .then(() => this.runMissingTasks(this.plan.stages[stageId]))
        .finally(() => this.materializing.delete(stageId));
      this.materializing.set(stageId, running);
    }
    return running;
  }

  /**
   * Makes the runtime decision about a stage once, before its first task: a shuffle join
   * whose build side proved small becomes a broadcast join, and an inner join of a whole
   * table with a side that proved small trades sides (AdaptiveJoins). The side to weigh runs
   * first for its size to be known; the other side's stage is then merged into this one.
   */
  private adapt(stageId: number): Promise<void> {
    let deciding = this.adapting.get(stageId);
    if (!deciding) {
      deciding = this.decide(stageId);
      this.adapting.set(stageId, deciding);
      // A failed decision (its build stage failed) is made again by the next attempt.
      deciding.catch(() => this.adapting.delete(stageId));
    }
    return deciding;
  }

  private async decide(stageId: number): Promise<void> {
    const join = this.adaptive?.joinOf(this.plan, stageId);
    if (!join) return;
    await this.materialize(join.first === 'build' ? join.build : join.probe);
    const adapted = this.adaptive!.decide(this.plan, join, (id) => {
      const sizes = this.outputSizes[id];
      if (!sizes.every((s) => s !== undefined)) return undefined;
      return {
        rows: sizes.reduce((sum, s) => sum + s!.rows, 0),
        bytes: sizes.reduce((sum, s) => sum + s!.bytes, 0),
      };
    });
    if (!adapted) return;
    this.current = adapted;
    const stage = adapted.stages[stageId];
    this.outputs[stageId] = new Array(taskCount(stage.tasks)).fill(undefined);
    this.attempts[stageId] = new Array(taskCount(stage.tasks)).fill(0);
    this.outputSizes[stageId] = new Array(taskCount(stage.tasks)).fill(undefined);
    this.affinityKeys[stageId] = affinityKeysOf(stage);
    this.options.log(`query ${this.queryId}: stage ${stageId}: ${stage.adapted}`);
  }

  private async runMissingTasks(stage: ScheduledStage): Promise<void> {
    const missing: number[] = [];
    this.outputs[stage.id].forEach((output, index) => {
      if (!output) missing.push(index);
    });
    await Promise.all(missing.map((index) => this.runStoredTask(stage, index)));
  }

  /** Runs a task whose output stays on its executor, until it succeeds or must fail the query. */
  private async runStoredTask(stage: ScheduledStage, index: number): Promise<void> {
    const failures = { avoid: new Set<string>(), count: 0 };
    for (;;) {
      const task = await this.prepare(stage, index);
      const executor = await this.slots.acquire(failures.avoid, this.signal, {
        affinity: this.affinityOf(stage, index),
      });
      try {
        for await (const _ of this.run(executor, task, stage, index)) {
          // A stage that feeds another streams nothing back: its rows stay in its exchange files
          // (or, when small, come back in its stats).
        }
        const output = this.lastOutputs.get(task.taskId);
        this.lastOutputs.delete(task.taskId);
        this.outputs[stage.id][index] = {
          executorId: executor.id,
          url: executor.url,
          taskId: task.taskId,
          ...(output?.inline ? { inline: output.inline } : {}),
        };
        this.outputSizes[stage.id][index] = output?.size;
        return;
      } catch (error) {
        await this.recover(error, executor, failures);
      } finally {
        this.slots.release(executor.id);
      }
    }
  }

  /** Runs a result task and yields its batches; run again elsewhere when it fails before its first batch. */
  private async *streamTask(stage: ScheduledStage, index: number): AsyncGenerator<RecordBatch> {
    const failures = { avoid: new Set<string>(), count: 0 };
    for (;;) {
      const task = await this.prepare(stage, index);
      const executor = await this.slots.acquire(failures.avoid, this.signal, {
        beyondShare: this.plan.result.read === 'merge',
        affinity: this.affinityOf(stage, index),
      });
      let yielded = false;
      try {
        for await (const batch of this.run(executor, task, stage, index)) {
          yielded = true;
          yield batch;
        }
        return;
      } catch (error) {
        if (yielded) {
          if (!isRetryable(error)) throw error;
          throw new ExecutionError(
            'EXECUTOR_LOST',
            `${error instanceof Error ? error.message : String(error)}; rows of this task were already sent`,
            { status: 502, cause: error },
          );
        }
        await this.recover(error, executor, failures);
      } finally {
        this.slots.release(executor.id);
      }
    }
  }

  /**
   * Decides whether a failed task runs again: an input lost with its executor is computed
   * again first; a task its executor failed (crash, loss, silence) runs elsewhere, at most
   * `taskRetries` more times; anything else (an error in the data or the SQL) fails the query.
   */
  private async recover(error: unknown, executor: ExecutorInfo, failures: TaskFailures): Promise<void> {
    if (this.signal.aborted) throw this.signal.reason;
    const lostInput = lostExecutorOf(error);
    if (lostInput !== undefined) {
      this.forgetOutputsOn(lostInput);
      await this.checkAlive(lostInput);
    } else if (isRetryable(error)) {
      failures.avoid.add(executor.id);
      if (error instanceof TributaryError && error.code === 'FRAGMENT_TIMEOUT')
        this.options.registry.suspend(executor.id, SUSPEND_MS);
      else await this.checkAlive(executor.id);
      if (++failures.count > this.options.taskRetries) throw error;
    } else {
      throw error;
    }
    if (++this.recoveries > MAX_RECOVERIES) throw error;
    this.options.log(
      `query ${this.queryId}: running a task again (${error instanceof Error ? error.message : String(error)})`,
    );
  }

  private affinityOf(stage: ScheduledStage, index: number): TaskAffinity | undefined {
    const keys = this.affinityKeys[stage.id];
    return keys && { keys, index };
  }

  /** A fresh attempt of a task, with the locations of the outputs it reads (computed first when missing). */
  private async prepare(stage: ScheduledStage, index: number): Promise<TaskRequest> {
    for (;;) {
      this.signal.throwIfAborted();
      await this.materializeInputs(stage);
      const inputs = stage.inputs.map((id) => ({ stage: id, outputs: this.outputs[id] }));
      // An executor lost after its outputs were computed: compute them again.
      if (inputs.some((i) => i.outputs.some((o) => o === undefined))) continue;
      const attempt = this.attempts[stage.id][index]++;
      return {
        queryId: this.queryId,
        stage: stage.id,
        index,
        taskId: `${this.queryId}.${stage.id}.${index}.${attempt}`,
        plan: stage.plan,
        ...(stage.tasks.kind === 'splits'
          ? {
              splits: stage.tasks.groups[index],
              affinity: Number(this.affinityKeys[stage.id]![index]),
            }
          : {}),
        inputs: inputs.map((i) => ({ stage: i.stage, outputs: i.outputs as TaskOutputLocation[] })),
        output: stage.output,
        ...(stage.output.kind === 'result'
          ? {}
          : { inlineOutputBytes: inlineOutputBytes(taskCount(stage.tasks)) }),
        queryMemoryBytes: this.options.queryMemoryBytes,
        ...(this.options.analyze ? { analyze: true } : {}),
        ...(this.options.lane ? { lane: this.options.lane } : {}),
      };
    }
  }

  private run(
    executor: ExecutorInfo,
    task: TaskRequest,
    stage: ScheduledStage,
    index: number,
  ): AsyncGenerator<RecordBatch> {
    this.used.set(executor.id, executor);
    const startMs = performance.now() - this.began;
    return runRemoteTask(executor, task, {
      registry: this.options.registry,
      secret: this.options.secret,
      fragmentTimeoutMs: this.options.fragmentTimeoutMs,
      signal: this.signal,
      onStats: ({ inline, ...stats }) => {
        if (stage.output.kind !== 'result')
          this.lastOutputs.set(task.taskId, { size: { rows: stats.rows, bytes: stats.bytes }, inline });
        this.runs.push({
          stage: stage.id,
          index,
          attempt: this.attempts[stage.id][index] - 1,
          executorId: executor.id,
          stats,
          startMs,
          endMs: performance.now() - this.began,
        });
        const key = `${stage.id}.${index}`;
        if (!this.finished.has(key)) {
          this.finished.add(key);
          if (stage.tasks.kind === 'splits') this.splitsDone += stage.tasks.groups[index].length;
        }
      },
    });
  }

  /** Tasks finished (at least once) of all the plan's tasks, and the splits those read of all splits. */
  progress(): { tasksDone: number; tasksTotal: number; splitsDone: number; splitsTotal: number } {
    let tasksTotal = 0;
    let splitsTotal = 0;
    // A stage merged into another at run time is read by no one and never runs.
    const read = new Set(this.plan.stages.flatMap((s) => s.inputs));
    const last = this.plan.stages.length - 1;
    for (const stage of this.plan.stages) {
      if (stage.id !== last && !read.has(stage.id)) continue;
      tasksTotal += taskCount(stage.tasks);
      if (stage.tasks.kind === 'splits') for (const group of stage.tasks.groups) splitsTotal += group.length;
    }
    return { tasksDone: this.finished.size, tasksTotal, splitsDone: this.splitsDone, splitsTotal };
  }

  private forgetOutputsOn(executorId: string): void {
    for (const outputs of this.outputs) {
      for (let i = 0; i < outputs.length; i++)
        // An inline output is held here: it outlives the executor that made it.
        if (outputs[i]?.executorId === executorId && !outputs[i]!.inline) outputs[i] = undefined;
    }
  }

  /** An executor that cannot be reached at once is declared lost, so every query stops using it. */
  private async checkAlive(executorId: string): Promise<void> {
    const executor = this.options.registry.get(executorId);
    if (!executor || executor.state === 'lost') return;
    const alive = await fetch(new URL('/api/v1/health', executor.url), {
      signal: AbortSignal.timeout(1000),
    }).then(
      (r) => r.ok,
      () => false,
    );
    if (!alive) {
      this.options.log(`executor ${executorId} does not answer: declaring it lost`);
      this.options.registry.markLost(executorId);
    }
  }

  /**
   * Stops what still runs and drops the query's data on every executor it used: at once for a
   * query that failed or was cancelled (its tasks may still run), in the next batch for one
   * that completed (EndedQueries).
   */
  async close(outcome: 'completed' | 'failed' = 'failed'): Promise<void> {
    this.options.registry.off('lost', this.onLost);
    this.slots.close();
    const ended = this.options.ended;
    if (outcome === 'completed' && ended) {
      for (const executor of this.used.values()) ended.add(executor, this.queryId);
      return;
    }
    await Promise.all(
      [...this.used.values()].map(async (executor) => {
        if (executor.state === 'lost') return;
        const url = new URL(`${INTERNAL_PATHS.queries}/${this.queryId}`, executor.url);
        await fetch(url, {
          method: 'DELETE',
          headers: clusterHeaders(this.options.secret, 'DELETE', url),
          signal: AbortSignal.timeout(5000),
        }).then(
          (response) => response.body?.cancel(),
          () => undefined,
        );
      }),
    );
  }
}

/** What places a splits stage's tasks near their data: their splits, hashed (decoded columns are cached where they were read). */
function affinityKeysOf(stage: ScheduledStage): readonly string[] | undefined {
  return stage.tasks.kind === 'splits'
    ? stage.tasks.groups.map((g) => String(stableHash(JSON.stringify(g))))
    : undefined;
}
