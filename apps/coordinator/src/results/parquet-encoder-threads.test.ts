import { describe, expect, it } from 'vitest';
import { borrowEncoderThread, returnEncoderThread } from './parquet-encoder-threads.ts';

describe('Parquet encoder threads', () => {
  it('lends a returned thread again for the same options, and starts another for others', async () => {
    const first = borrowEncoderThread({});
    returnEncoderThread(first, {});
    const again = borrowEncoderThread({});
    expect(again.threadId).toBe(first.threadId);
    const other = borrowEncoderThread({ rowGroupRows: 10 });
    expect(other.threadId).not.toBe(first.threadId);
    await Promise.all([again.terminate(), other.terminate()]);
  });

  it('forgets an idle thread that exits, and keeps no more than two idle', async () => {
    const dead = borrowEncoderThread({ rowGroupRows: 7 });
    returnEncoderThread(dead, { rowGroupRows: 7 });
    await dead.terminate();
    const fresh = borrowEncoderThread({ rowGroupRows: 7 });
    expect(fresh.threadId).not.toBe(dead.threadId);
    const [a, b] = [borrowEncoderThread({ rowGroupRows: 7 }), borrowEncoderThread({ rowGroupRows: 7 })];
    const exited = new Promise((resolve) => b.once('exit', resolve));
    for (const w of [fresh, a, b]) returnEncoderThread(w, { rowGroupRows: 7 });
    await exited; // the third one back is stopped
    const kept = [borrowEncoderThread({ rowGroupRows: 7 }), borrowEncoderThread({ rowGroupRows: 7 })];
    expect(kept.map((w) => w.threadId).sort()).toEqual([fresh.threadId, a.threadId].sort());
    await Promise.all(kept.map((w) => w.terminate()));
  });
});
