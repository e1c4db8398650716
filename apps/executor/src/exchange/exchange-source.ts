import type { ReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { RecordBatch } from 'apache-arrow';
import { ExecutionError, TributaryError } from '@tributary/common';
import { SortedMergeExec, StreamExec, mergeAsync, type PhysicalOperator } from '@tributary/engine';
import type { Field } from '@tributary/plan';
import {
  INTERNAL_PATHS,
  clusterHeaders,
  decodeFrames,
  requestInternal,
  type PhysicalExchange,
  type TaskOutputLocation,
} from '@tributary/protocol';
import type { ExchangeFiles } from './exchange-files.ts';

/** What an exchange read needs to know of the task and the executor it runs on. */
export interface ExchangeReadContext {
  readonly queryId: string;
  readonly executorId: string;
  readonly files: ExchangeFiles;
  readonly secret: string;
}

/** Bytes held whole (an inline output, a small file read at once) as the chunks of a stream. */
async function* whole(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Reads an earlier stage's output: some partitions (one for a shuffle, all of them for a
 * broadcast of a hash-partitioned output) of every task of that stage, from the task's own
 * request (a small output, carried inline), this executor's files or over HTTP from the
 * executor that holds them. Streams are taken as
 * they come, or for a merge exchange merged in order. A partition that cannot be fetched
 * fails with EXCHANGE_FETCH_FAILED naming the executor that held it, so the coordinator
 * can recompute that task's output (lineage) and run this task again.
 */
export class ExchangeSourceExec implements PhysicalOperator {
  readonly name = 'Exchange';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema: readonly Field[];

  constructor(
    private readonly node: PhysicalExchange,
    private readonly locations: readonly TaskOutputLocation[],
    private readonly partitions: readonly number[],
    private readonly context: ExchangeReadContext,
  ) {
    this.schema = node.schema;
  }

  describe(): string {
    const parts =
      this.partitions.length === 1
        ? `partition ${this.partitions[0]}`
        : `${this.partitions.length} partitions`;
    return `${this.node.exchange} from stage ${this.node.stage} ${parts} of ${this.locations.length} task(s)`;
  }

  execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const streams = this.locations.flatMap((location) =>
      this.partitions.map(
        (partition) => new StreamExec(this.schema, (s) => this.read(location, partition, s)),
      ),
    );
    // A merge needs an input; a stage whose scan had no split left has no output to merge.
    if (this.node.exchange === 'merge' && streams.length > 0)
      return new SortedMergeExec(streams, this.node.orderBy ?? []).execute(signal);
    return mergeAsync(streams.map((s) => s.execute(signal)));
  }

  private async *read(
    location: TaskOutputLocation,
    partition: number,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    const { queryId, files } = this.context;
    const origin = `executor ${location.executorId}`;
    const lost = (cause: unknown) =>
      new ExecutionError(
        'EXCHANGE_FETCH_FAILED',
        `could not read the output of task ${location.taskId} from ${origin}: ${(cause as Error).message}`,
        { status: 502, cause, details: { executorId: location.executorId, taskId: location.taskId } },
      );
    let chunks: AsyncIterable<Uint8Array>;
    let cut: (() => void) | undefined;
    if (location.inline) {
      const base64 = location.inline[partition];
      if (base64 === undefined)
        throw new ExecutionError(
          'TASK_INVALID',
          `task ${location.taskId}'s inline output lacks partition ${partition}`,
        );
      chunks = whole(Buffer.from(base64, 'base64'));
    } else if (location.executorId === this.context.executorId) {
      let body: Buffer | ReadStream;
      try {
        body = files.readPartition(queryId, location.taskId, partition, signal);
      } catch (error) {
        throw lost(error);
      }
      chunks = Buffer.isBuffer(body) ? whole(body) : body;
    } else {
      const url = new URL(
        `${INTERNAL_PATHS.exchange}/${queryId}/${location.taskId}/${partition}`,
        location.url,
      );
      if (signal.aborted) throw signal.reason;
      const exchange = requestInternal('GET', url, clusterHeaders(this.context.secret, 'GET', url));
      // Cancelled, or the consumer stopped early: the connection is cut (a response read to
      // its end is back in the agent's pool and left alone).
      cut = () => exchange.destroy();
      signal.addEventListener('abort', cut, { once: true });
      let response: IncomingMessage;
      try {
        response = await exchange.response;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw lost(error);
      }
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        throw lost(new Error(`it answered ${status}`));
      }
      chunks = response;
    }
    try {
      yield* decodeFrames(chunks, origin);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // An error frame inside an exchange file cannot happen; a cut stream or a missing file means the data is lost.
      if (error instanceof TributaryError && error.code !== 'EXECUTOR_STREAM_CUT') throw error;
      throw lost(error);
    } finally {
      if (cut) {
        signal.removeEventListener('abort', cut);
        cut();
      }
    }
  }
}
