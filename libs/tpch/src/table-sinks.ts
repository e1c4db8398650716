import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  Compression,
  Table as WasmTable,
  transformParquetStream,
  WriterPropertiesBuilder,
} from 'parquet-wasm/node';
import { csvHeader } from './encode-chunk.ts';
import type { ChunkPayload } from './generate-task.ts';
import { dateText } from './tpch-dates.ts';
import { TPCH_SCHEMA, type TpchTableName } from './tpch-schema.ts';

/** Where one table's rows go, chunk by chunk in row order; nothing is visible under the final name before close. */
export interface TableSink {
  write(payload: ChunkPayload): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

const partial = (file: string) => `${file}.partial`;

export class CsvSink implements TableSink {
  private constructor(
    private readonly file: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(folder: string, table: TpchTableName): Promise<CsvSink> {
    const file = path.join(folder, `${table}.csv`);
    const handle = await open(partial(file), 'w');
    await handle.write(csvHeader(table));
    return new CsvSink(file, handle);
  }

  async write(payload: ChunkPayload): Promise<void> {
    await this.handle.write(payload.bytes!);
  }

  async close(): Promise<void> {
    await this.handle.close();
    await rename(partial(this.file), this.file);
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await rm(partial(this.file), { force: true });
  }
}

/** Row groups of this many rows, as in the shared files (DuckDB's default). */
export const PARQUET_ROW_GROUP_ROWS = 122_880;

type WasmBatch = ReturnType<WasmTable['recordBatches']>[number];

/**
 * Streams Arrow batches through parquet-wasm's writer (snappy, row groups of 122,880 rows)
 * into the file: the writer holds one row group at a time, never the table.
 */
export class ParquetSink implements TableSink {
  private controller!: ReadableStreamDefaultController<WasmBatch>;
  private wakeWriter: (() => void) | undefined;
  private failure: unknown;
  private finished!: Promise<void>;

  private constructor(private readonly file: string) {}

  static async open(folder: string, table: TpchTableName): Promise<ParquetSink> {
    const sink = new ParquetSink(path.join(folder, `${table}.parquet`));
    await sink.start();
    return sink;
  }

  private async start(): Promise<void> {
    const input = new ReadableStream<WasmBatch>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          this.wakeWriter?.();
          this.wakeWriter = undefined;
        },
      },
      { highWaterMark: 2 },
    );
    const properties = new WriterPropertiesBuilder()
      .setCompression(Compression.SNAPPY)
      .setMaxRowGroupSize(PARQUET_ROW_GROUP_ROWS)
      .setCreatedBy('tributary tpch generator')
      .build();
    const handle = await open(partial(this.file), 'w');
    // The writer reads the first batch (for the schema) before it returns its output stream:
    // not awaited here, or nothing would ever be written to it.
    this.finished = (async () => {
      try {
        const output = await transformParquetStream(input, properties);
        for await (const bytes of output as unknown as AsyncIterable<Uint8Array>) await handle.write(bytes);
      } finally {
        await handle.close();
      }
    })();
    this.finished.catch((error: unknown) => {
      this.failure = error;
      this.wakeWriter?.();
    });
  }

  async write(payload: ChunkPayload): Promise<void> {
    const table = WasmTable.fromIPCStream(payload.bytes!);
    for (const batch of table.recordBatches()) {
      while ((this.controller.desiredSize ?? 1) <= 0 && this.failure === undefined) {
        await new Promise<void>((resolve) => (this.wakeWriter = resolve));
      }
      if (this.failure !== undefined) throw this.failure;
      this.controller.enqueue(batch);
    }
    table.free();
  }

  async close(): Promise<void> {
    this.controller.close();
    await this.finished;
    await rename(partial(this.file), this.file);
  }

  async abort(): Promise<void> {
    try {
      this.controller.error(new Error('generation aborted'));
    } catch {
      // already closed or failed
    }
    await this.finished.catch(() => undefined);
    await rm(partial(this.file), { force: true });
  }
}

/** SQLite types like the shared tpch.db: INTEGER keys, REAL decimals, TEXT dates and text. */
const SQLITE_TYPES = {
  BIGINT: 'INTEGER',
  INTEGER: 'INTEGER',
  DECIMAL: 'REAL',
  DATE: 'TEXT',
  VARCHAR: 'TEXT',
} as const;

/** One `tpch.db` for all tables, written on this thread in one transaction per chunk. */
export class SqliteDatabase {
  private readonly db: Database.Database;

  private constructor(private readonly file: string) {
    this.db = new Database(partial(file));
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
  }

  static async create(folder: string): Promise<SqliteDatabase> {
    const file = path.join(folder, 'tpch.db');
    await rm(partial(file), { force: true });
    return new SqliteDatabase(file);
  }

  table(table: TpchTableName): TableSink {
    const columns = TPCH_SCHEMA[table];
    this.db.exec(
      `CREATE TABLE ${table} (${columns.map((c) => `${c.name} ${SQLITE_TYPES[c.type]}`).join(', ')})`,
    );
    const insert = this.db.prepare(`INSERT INTO ${table} VALUES (${columns.map(() => '?').join(', ')})`);
    const insertChunk = this.db.transaction((payload: ChunkPayload) => {
      const chunk = payload.chunk!;
      const values = chunk.columns;
      const convert = columns.map((c, i) => {
        const column = values[i];
        if (!(column instanceof Float64Array)) return (row: number) => column[row];
        // Division by 100 is correctly rounded: the same double as parsing "17.00".
        if (c.type === 'DECIMAL') return (row: number) => column[row] / 100;
        if (c.type === 'DATE') return (row: number) => dateText(column[row]);
        return (row: number) => column[row];
      });
      const args: (string | number)[] = new Array<string | number>(columns.length);
      for (let row = 0; row < chunk.length; row++) {
        for (let c = 0; c < convert.length; c++) args[c] = convert[c](row);
        insert.run(args);
      }
    });
    return {
      write: async (payload) => insertChunk(payload),
      close: async () => undefined,
      abort: async () => undefined,
    };
  }

  async close(): Promise<void> {
    this.db.close();
    await rename(partial(this.file), this.file);
  }

  async abort(): Promise<void> {
    this.db.close();
    await rm(partial(this.file), { force: true });
  }
}
