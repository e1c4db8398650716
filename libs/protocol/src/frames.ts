import type { RecordBatch } from 'apache-arrow';
import { TributaryError, type ErrorBody, ExecutionError } from '@tributary/common';
import { decodeIpcBatches, encodeIpcBatch } from './ipc-batch-codec.ts';

/**
 * The stream of a task's response and of exchange data: a sequence of frames, each
 * `[kind: u8][length: u32 LE][payload]`. A batch frame's payload is a self-contained Arrow
 * IPC stream (schema + one batch); an error frame carries an ErrorBody as JSON; an end
 * frame closes a stream that completed (its payload, if any, is JSON: a task's TaskStats);
 * a keep-alive frame says the task still runs. A stream that stops without an end or error
 * frame was cut off (the executor died).
 */
export const FrameKind = { batch: 1, error: 2, end: 3, keepAlive: 4 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

const HEADER_BYTES = 5;

function frame(kind: FrameKind, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length);
  out[0] = kind;
  new DataView(out.buffer).setUint32(1, payload.length, true);
  out.set(payload, HEADER_BYTES);
  return out;
}

export function encodeBatchFrame(batch: RecordBatch): Uint8Array {
  const out = encodeIpcBatch(batch, HEADER_BYTES);
  out[0] = FrameKind.batch;
  new DataView(out.buffer).setUint32(1, out.length - HEADER_BYTES, true);
  return out;
}

/** The error's body and its HTTP status, so the reader rethrows it as it was. */
export function encodeErrorFrame(error: TributaryError): Uint8Array {
  const payload = { ...error.toBody(), status: error.status };
  return frame(FrameKind.error, new TextEncoder().encode(JSON.stringify(payload)));
}

export function encodeEndFrame(stats?: unknown): Uint8Array {
  const payload = stats === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(stats));
  return frame(FrameKind.end, payload);
}

export function encodeKeepAliveFrame(): Uint8Array {
  return frame(FrameKind.keepAlive, new Uint8Array(0));
}

export interface DecodeFramesOptions {
  /** Called with the end frame's JSON payload (undefined when it has none). */
  onEnd?(payload: unknown): void;
  /** Called for every frame, keep-alives included: the peer is alive. */
  onFrame?(): void;
}

/**
 * Decodes a byte stream of frames into RecordBatches. Throws the executor's error for an
 * error frame, and an EXECUTOR_STREAM_CUT error when the bytes end before an end frame.
 */
export async function* decodeFrames(
  chunks: AsyncIterable<Uint8Array>,
  origin: string,
  options: DecodeFramesOptions = {},
): AsyncGenerator<RecordBatch> {
  // Chunks are queued and joined only once a whole frame is there, so a large batch
  // arriving in small chunks is copied once, not once per chunk.
  const queue: Uint8Array[] = [];
  let queued = 0;
  let needed = HEADER_BYTES;
  let ended = false;
  for await (const chunk of chunks) {
    queue.push(chunk);
    queued += chunk.length;
    if (queued < needed) continue;
    let buffer = queue.length === 1 ? queue[0] : concat(queue, queued);
    queue.length = 0;
    let offset = 0;
    for (;;) {
      if (buffer.length - offset < HEADER_BYTES) {
        needed = HEADER_BYTES;
        break;
      }
      const kind = buffer[offset];
      const length = new DataView(buffer.buffer, buffer.byteOffset + offset + 1, 4).getUint32(0, true);
      if (buffer.length - offset < HEADER_BYTES + length) {
        needed = HEADER_BYTES + length;
        break;
      }
      const payload = buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
      offset += HEADER_BYTES + length;
      options.onFrame?.();
      if (kind === FrameKind.batch) {
        for (const batch of decodeIpcBatches(payload)) yield batch;
      } else if (kind === FrameKind.error) {
        const { status, ...body } = JSON.parse(new TextDecoder().decode(payload)) as ErrorBody & {
          status?: number;
        };
        throw TributaryError.fromBody(body, status ?? 500);
      } else if (kind === FrameKind.end) {
        ended = true;
        options.onEnd?.(length === 0 ? undefined : JSON.parse(new TextDecoder().decode(payload)));
      } else if (kind !== FrameKind.keepAlive) {
        throw new ExecutionError('EXECUTOR_PROTOCOL_ERROR', `${origin} sent an unknown frame kind ${kind}`);
      }
    }
    buffer = buffer.subarray(offset);
    queued = buffer.length;
    if (queued > 0) queue.push(buffer);
  }
  if (!ended) {
    throw new ExecutionError(
      'EXECUTOR_STREAM_CUT',
      `${origin} stopped sending results before the end of its fragment (did it die?)`,
      {
        status: 502,
      },
    );
  }
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
