import { randomUUID } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import { ExecutionError, TributaryError } from '@tributary/common';
import { connectorFor, type Split } from '@tributary/connectors';
import { partialAggregateSchema, type PhysicalOperator } from '@tributary/engine';
import { printPlan, type Field, type LogicalPlan, type ScanNode } from '@tributary/plan';
import {
  decodeFrames,
  EXECUTOR_PATHS,
  type FragmentRequest,
  type PartialAggregate,
} from '@tributary/protocol';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';
import { concatAsync, mergeAsync } from './async-merge.ts';

export interface RemoteFragmentOptions {
  readonly queryId: string;
  readonly registry: ExecutorRegistry;
  readonly splitsPerExecutor: number;
  /** How long a query waits for an executor when none is active (start-up, restart). */
  readonly executorWaitMs: number;
  /**
   * Keep the data's order (rows come in file order, as DuckDB returns them): executors get
   * contiguous runs of splits and their streams are concatenated rather than interleaved.
   */
  readonly preserveOrder?: boolean;
  /** Pre-aggregate on the executors; the stream then has partialAggregateSchema's layout. */
  readonly partialAggregate?: PartialAggregate;
  /** Folders the files read while planning splits must lie inside. */
  readonly roots: readonly string[];
}

function findScan(plan: LogicalPlan): ScanNode {
  if (plan.kind === 'scan') return plan;
  if (plan.kind === 'filter' || plan.kind === 'project' || plan.kind === 'sort' || plan.kind === 'limit') {
    return findScan(plan.input);
  }
  throw new ExecutionError('FRAGMENT_INVALID', `an executor fragment must end in a scan, found ${plan.kind}`);
}

/**
 * A leaf fragment (scan + filters + projections) run on the executors: its scan is cut into
 * splits, the splits are dealt out to the active executors, and their Arrow streams are
 * merged. An executor that cannot be reached before it sent anything is skipped and its
 * splits go to the next one; one lost mid-stream fails the query at once (the registry
 * reports it lost, which aborts the request), never hangs it.
 */
export class RemoteFragmentExec implements PhysicalOperator {
  readonly name = 'RemoteFragment';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema: readonly Field[];

  constructor(
    private readonly fragment: LogicalPlan,
    private readonly options: RemoteFragmentOptions,
  ) {
    const partial = options.partialAggregate;
    this.schema = partial ? partialAggregateSchema(partial.groupBy, partial.aggregates) : fragment.schema;
  }

  describe(): string {
    const partial = this.options.partialAggregate ? ' with partial aggregation' : '';
    return `on executors${partial}:\n${printPlan(this.fragment, 3)}`;
  }

  async *execute(signal: AbortSignal): AsyncGenerator<RecordBatch> {
    const scan = findScan(this.fragment);
    const executors = await this.options.registry.waitForActive(this.options.executorWaitMs, signal);
    if (executors.length === 0) {
      throw new ExecutionError(
        'NO_EXECUTORS',
        'no executor is available to run the query; check GET /api/v1/health',
        { status: 503 },
      );
    }
    const request = { columns: scan.columns, filters: scan.filters, limit: scan.limit };
    const splits = await connectorFor(scan.table.sourceType).planSplits(
      scan.table,
      request,
      executors.length * this.options.splitsPerExecutor,
      { roots: this.options.roots, signal },
    );
    if (splits.length === 0) return;
    const ordered = this.options.preserveOrder === true;
    const perExecutor = Math.ceil(splits.length / executors.length);
    const assignments = executors.map(() => [] as Split[]);
    splits.forEach((split, i) =>
      assignments[ordered ? Math.floor(i / perExecutor) : i % executors.length].push(split),
    );
    const streams = assignments
      .map((assigned, i) => ({ assigned, first: i }))
      .filter((a) => a.assigned.length > 0)
      .map(({ assigned, first }) => this.runOnExecutors(assigned, executors, first, signal));
    yield* ordered ? concatAsync(streams) : mergeAsync(streams);
  }

  /** Runs splits on executors[first], falling over to the next ones while nothing was received. */
  private async *runOnExecutors(
    splits: Split[],
    executors: ExecutorInfo[],
    first: number,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    let lastError: unknown;
    for (let attempt = 0; attempt < executors.length; attempt++) {
      const executor = executors[(first + attempt) % executors.length];
      if (executor.state !== 'active') continue;
      const response = await this.send(executor, splits, signal).catch((error: unknown) => {
        if (error instanceof TributaryError || signal.aborted) throw error;
        lastError = error;
        this.options.registry.markLost(executor.id);
        return undefined;
      });
      if (!response) continue;
      yield* response;
      return;
    }
    throw new ExecutionError(
      'EXECUTORS_UNREACHABLE',
      `no executor could run the fragment: ${lastError instanceof Error ? ((lastError.cause as Error | undefined)?.message ?? lastError.message) : 'none active'}`,
      { status: 503, cause: lastError },
    );
  }

  private async send(
    executor: ExecutorInfo,
    splits: Split[],
    signal: AbortSignal,
  ): Promise<AsyncGenerator<RecordBatch>> {
    const controller = new AbortController();
    const origin = `executor ${executor.id} (${executor.url})`;
    let lostError: ExecutionError | undefined;
    const onLost = (info: ExecutorInfo) => {
      if (info.id !== executor.id) return;
      lostError = new ExecutionError(
        'EXECUTOR_LOST',
        `${origin} stopped responding while running the query`,
        { status: 502 },
      );
      controller.abort(lostError);
    };
    const onAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.options.registry.on('lost', onLost);
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort);
      this.options.registry.off('lost', onLost);
    };
    const body: FragmentRequest = {
      queryId: this.options.queryId,
      fragmentId: randomUUID(),
      plan: this.fragment,
      splits,
      ...(this.options.partialAggregate ? { partialAggregate: this.options.partialAggregate } : {}),
    };
    let response: Response;
    try {
      response = await fetch(new URL(EXECUTOR_PATHS.runFragment, executor.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (error) {
      cleanup();
      throw lostError ?? error;
    }
    if (!response.ok || !response.body) {
      cleanup();
      const text = await response.text().catch(() => '');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed && typeof parsed === 'object' && 'code' in parsed)
        throw TributaryError.fromBody(parsed as never, response.status);
      throw new ExecutionError(
        'EXECUTOR_FAILED',
        `${origin} answered ${response.status}: ${text.slice(0, 200)}`,
        { status: 502 },
      );
    }
    const stream = response.body as unknown as AsyncIterable<Uint8Array>;
    return (async function* () {
      try {
        yield* decodeFrames(stream, origin);
      } catch (error) {
        throw lostError ?? (signal.aborted ? signal.reason : error);
      } finally {
        cleanup();
        controller.abort();
      }
    })();
  }
}
