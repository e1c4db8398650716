import type { Writable } from 'node:stream';

/** Resolves when the stream's buffer has room again; rejects if it closes first (peer gone). */
export function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      stream.off('drain', onDrain);
      reject(new Error('the peer closed the connection'));
    };
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}

/** Writes, then waits while the stream's buffer is full, so a slow peer slows the producer. */
export async function writeWithBackpressure(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await drained(stream);
}
