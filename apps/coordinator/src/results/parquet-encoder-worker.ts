import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type {
  ParquetEncoderOptions,
  ParquetEncoderReply,
  ParquetEncoderRequest,
} from './parquet-encoder-messages.ts';

/**
 * A worker thread that turns Arrow IPC batches into Parquet files, one after another, each as
 * a stream of bytes: Parquet encoding (compression, dictionaries, statistics) is CPU work the
 * coordinator's event loop must not do. It asks for a batch only when the encoder wants one (`ready`),
 * so at most one batch waits here; Parquet row groups are cut every ROW_GROUP_ROWS rows
 * unless it is started with another size.
 */
const ROW_GROUP_ROWS = 65_536;
const options = (workerData ?? {}) as ParquetEncoderOptions;

type ParquetWasm = typeof import('parquet-wasm/node');
type WasmBatch = ReturnType<ParquetWasm['Table']['prototype']['recordBatches']>[number];

const require = createRequire(import.meta.url);
const wasm = require('parquet-wasm/node') as ParquetWasm;
const port = parentPort!;
const send = (reply: ParquetEncoderReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

/** The file being encoded: its batches decoded and not yet taken (null ends it), and its wake-up. */
interface FileInput {
  readonly queue: (WasmBatch | null)[];
  wake?: () => void;
}
let file: FileInput | undefined;

/** The batches of one file, handed to the encoder one per pull, asking for each (`ready`). */
function inputOf(current: FileInput): ReadableStream<WasmBatch> {
  return new ReadableStream<WasmBatch>(
    {
      async pull(controller) {
        while (current.queue.length === 0) {
          send({ type: 'ready' });
          await new Promise<void>((resolve) => (current.wake = resolve));
        }
        const next = current.queue.shift()!;
        if (next === null) controller.close();
        else controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );
}

async function encode(current: FileInput): Promise<void> {
  const properties = new wasm.WriterPropertiesBuilder()
    .setMaxRowGroupSize(options.rowGroupRows ?? ROW_GROUP_ROWS)
    .setCompression(wasm.Compression.SNAPPY)
    .build();
  // The encoder reads the first batch (for the schema) before it returns its output.
  const output = await wasm.transformParquetStream(inputOf(current), properties);
  const reader = (output as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const bytes = value.slice();
    send({ type: 'chunk', bytes }, [bytes.buffer]);
  }
  // The next message starts the next file: the thread stays warm for it (parquet-encoder-threads.ts).
  file = undefined;
  send({ type: 'done' });
}

port.on('message', (request: ParquetEncoderRequest) => {
  try {
    let current = file;
    if (!current) {
      current = file = { queue: [] };
      encode(current).catch((error: unknown) =>
        send({ type: 'error', message: (error as Error).message ?? String(error) }),
      );
    }
    if (request.type === 'batch') {
      for (const batch of wasm.Table.fromIPCStream(request.ipc).recordBatches()) current.queue.push(batch);
    } else {
      current.queue.push(null);
    }
    current.wake?.();
    current.wake = undefined;
  } catch (error) {
    send({ type: 'error', message: (error as Error).message ?? String(error) });
  }
});
