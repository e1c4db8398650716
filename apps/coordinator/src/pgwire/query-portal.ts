import type { RecordBatch } from 'apache-arrow';
import { RequestError } from '@tributary/common';
import type { Field } from '@tributary/plan';
import type { QueryResult, QueryService } from '../query/query-service.ts';
import { jsonRowSlices } from '../results/json-slices.ts';
import { pgMessages, type DescribedColumn } from './pg-messages.ts';
import { pgTypeOf } from './pg-types.ts';
import { pgValueEncoder, textOf, type PgValueEncoder } from './pg-value-encoders.ts';
import type { SessionSettings } from './session-settings.ts';

/** The session's tributary.max_staleness_ms as the query service takes it (a bad value it refuses, typed). */
function maxStaleness(value: string | undefined): { maxStalenessMs?: unknown } {
  if (value === undefined || value === '0') return {};
  return { maxStalenessMs: /^\d+$/.test(value.trim()) ? Number(value) : value };
}

/** What a step of a portal sends: its DataRows, and whether the rows ran out. */
export interface PortalChunk {
  readonly bytes: Buffer;
  readonly rows: number;
}

/**
 * A statement with its parameters bound, run as a job on first need (Describe or Execute)
 * and read batch by batch as the client asks: a portal with a row limit resumes where it
 * stopped, and nothing is read from the executors before the socket took the last slice.
 */
export class QueryPortal {
  private result: QueryResult | undefined;
  private starting: Promise<QueryResult> | undefined;
  private iterator: AsyncIterator<RecordBatch> | undefined;
  /** Rows of the current slice that a row limit left unsent. */
  private pending: unknown[][] = [];
  private slices: AsyncIterator<unknown[][]> | undefined;
  private encoders: PgValueEncoder[] = [];
  private readonly controller = new AbortController();
  private jobId: string | undefined;
  rowCount = 0;
  done = false;
  private closed = false;

  constructor(
    readonly sql: string,
    private readonly resultFormats: readonly number[],
    private readonly queries: QueryService,
    private readonly user: string | undefined,
    private readonly settings?: Pick<SessionSettings, 'get'>,
  ) {}

  /** The running job's id once it started (to cancel it). */
  get job(): string | undefined {
    return this.jobId;
  }

  /** Starts the job if needed and returns its result (columns known). */
  start(): Promise<QueryResult> {
    this.starting ??= (async () => {
      const job = this.queries.start(
        {
          sql: this.sql,
          queryType: 'PGWIRE',
          ...(this.user === undefined ? {} : { user: this.user }),
          ...maxStaleness(this.settings?.get('tributary.max_staleness_ms')),
        },
        this.controller.signal,
      );
      this.jobId = job.id;
      const result = await job.result;
      this.result = result;
      this.iterator = result.batches[Symbol.asyncIterator]();
      this.encoders = result.fields.map((f, i) => pgValueEncoder(f.type, this.formatOf(i)));
      return result;
    })();
    return this.starting;
  }

  private formatOf(column: number): number {
    const f = this.resultFormats;
    return f.length === 0 ? 0 : f.length === 1 ? f[0] : (f[column] ?? 0);
  }

  /** The RowDescription of the result (starting the job). */
  async describe(): Promise<Buffer> {
    const result = await this.start();
    return pgMessages.rowDescription(this.columns(result.fields));
  }

  private columns(fields: readonly Field[]): DescribedColumn[] {
    return fields.map((f, i) => ({ name: f.name, type: pgTypeOf(f.type), format: this.formatOf(i) }));
  }

  /**
   * DataRows, one slice (a few thousand values) at a time, up to `maxRows` in all (0: no
   * limit). Each slice is encoded only after the previous one was written.
   */
  async *rows(maxRows: number): AsyncGenerator<PortalChunk> {
    const result = await this.start();
    let left = maxRows > 0 ? maxRows : Infinity;
    try {
      while (left > 0 && !this.done) {
        if (this.pending.length === 0) {
          const next = await this.nextSlice(result);
          if (next === undefined) {
            this.done = true;
            break;
          }
          this.pending = next;
        }
        const take = this.pending.length <= left ? this.pending : this.pending.slice(0, left);
        this.pending = take === this.pending ? [] : this.pending.slice(take.length);
        left -= take.length;
        this.rowCount += take.length;
        yield { bytes: this.encode(take), rows: take.length };
      }
      if (this.done) this.close();
    } catch (error) {
      this.close(error);
      throw error;
    }
  }

  private async nextSlice(result: QueryResult): Promise<unknown[][] | undefined> {
    for (;;) {
      if (this.slices) {
        const slice = await this.slices.next();
        if (!slice.done) return slice.value;
        this.slices = undefined;
      }
      const batch = await this.iterator!.next();
      if (batch.done) return undefined;
      this.slices = jsonRowSlices(batch.value, result.fields);
    }
  }

  /**
   * DataRow messages of a slice of rows, written into one buffer: text values go straight
   * from their string into it (one allocation a slice, not one a value).
   */
  private encode(rows: readonly unknown[][]): Buffer {
    const fields = this.result!.fields;
    const binary = fields.map((_, i) => this.formatOf(i) === 1);
    const values: (string | Buffer | null)[] = [];
    let size = 0;
    for (const row of rows) {
      size += 7;
      for (let c = 0; c < row.length; c++) {
        const v = row[c];
        let encoded: string | Buffer | null = null;
        if (v !== null) encoded = binary[c] ? this.encoders[c](v) : textOf(fields[c].type, v);
        values.push(encoded);
        size +=
          4 +
          (encoded === null ? 0 : typeof encoded === 'string' ? Buffer.byteLength(encoded) : encoded.length);
      }
    }
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    let k = 0;
    for (const row of rows) {
      const start = at;
      out[at] = 0x44; // 'D'
      at += 5;
      out.writeInt16BE(row.length, at);
      at += 2;
      for (let c = 0; c < row.length; c++) {
        const encoded = values[k++];
        if (encoded === null) {
          out.writeInt32BE(-1, at);
          at += 4;
        } else if (typeof encoded === 'string') {
          const length = out.write(encoded, at + 4, 'utf8');
          out.writeInt32BE(length, at);
          at += 4 + length;
        } else {
          out.writeInt32BE(encoded.length, at);
          encoded.copy(out, at + 4);
          at += 4 + encoded.length;
        }
      }
      out.writeInt32BE(at - start - 1, start + 1);
    }
    return out;
  }

  /** Ends the job: completed when every row was read, else cancelled (or failed with `error`). */
  close(error?: unknown): void {
    if (this.closed) return;
    this.closed = true;
    error ??= this.done
      ? undefined
      : new RequestError('CLIENT_GONE', 'the client closed the portal before its last row', { status: 499 });
    if (!this.result) {
      // Not started, or still planning: the abort ends its job.
      this.controller.abort(error);
      void this.starting?.catch(() => undefined);
      return;
    }
    if (this.done && error === undefined) this.result.finish({ rowCount: this.rowCount });
    else {
      this.result.finish({ error });
      void this.iterator?.return?.(undefined);
      this.controller.abort(error);
    }
  }
}
