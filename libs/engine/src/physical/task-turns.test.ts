import { describe, expect, it } from 'vitest';
import { DEMOTE_AFTER_MS, SLICE_MS, TaskTurn, TurnQueue } from './task-turns.ts';

/** Keeps the thread busy for a slice, as an operator computing would. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

/** A task that takes `slices` slices of the thread, logging each, and may start others from within. */
async function runSlices(
  name: string,
  turn: TaskTurn,
  slices: number,
  log: string[],
  during?: (slice: number) => void,
): Promise<void> {
  await turn.start();
  for (let i = 0; i < slices; i++) {
    spin(SLICE_MS + 1);
    log.push(name);
    during?.(i);
    await turn.pause();
  }
}

describe('TurnQueue', () => {
  it("gives a small-lane task's slices the thread before the queued slices of large ones", async () => {
    const queue = new TurnQueue();
    const log: string[] = [];
    let small: Promise<void> | undefined;
    const large1 = runSlices('L1', new TaskTurn('large', 0, queue), 3, log, (slice) => {
      // A quick query's task arrives while the heavy ones hold the thread.
      if (slice === 0) small = runSlices('S', new TaskTurn('small', 0, queue), 3, log);
    });
    const large2 = runSlices('L2', new TaskTurn('large', 0, queue), 3, log);
    await Promise.all([large1, large2]);
    await small;
    // FIFO interleaving would have been L1 L2 S L1 L2 S …: the small task waited a slice per large one.
    expect(log.slice(0, 4)).toEqual(['L1', 'S', 'S', 'S']);
    // Then the large ones share the thread; L2, which had not run yet, first.
    expect(log[4]).toBe('L2');
    expect([...log.slice(4)].sort()).toEqual(['L1', 'L1', 'L2', 'L2', 'L2']);
  });

  it('lets tasks of one level take turns by the time they have run (least first), then by arrival', async () => {
    const queue = new TurnQueue();
    const log: string[] = [];
    const a = new TaskTurn('large', 0, queue);
    const b = new TaskTurn('large', 0, queue);
    const c = new TaskTurn('large', 0, queue);
    a.ranMs = 50;
    b.ranMs = 5;
    c.ranMs = 5;
    await Promise.all([
      queue.wait(a).then(() => log.push('a')),
      queue.wait(b).then(() => log.push('b')),
      queue.wait(c).then(() => log.push('c')),
    ]);
    expect(log).toEqual(['b', 'c', 'a']);
  });

  it('demotes a small-lane task that has run long to the large ones’ level', async () => {
    const queue = new TurnQueue();
    const log: string[] = [];
    const misjudged = new TaskTurn('small', 0, queue);
    misjudged.ranMs = DEMOTE_AFTER_MS + 1;
    expect(misjudged.level).toBe(1);
    const fresh = new TaskTurn('large', 0, queue);
    const quick = new TaskTurn('small', 0, queue);
    expect(quick.level).toBe(0);
    await Promise.all([
      queue.wait(misjudged).then(() => log.push('misjudged')),
      queue.wait(fresh).then(() => log.push('fresh large')),
      queue.wait(quick).then(() => log.push('quick')),
    ]);
    expect(log).toEqual(['quick', 'fresh large', 'misjudged']);
  });

  it('resumes a task alone on its thread at the next turn of the event loop', async () => {
    const queue = new TurnQueue();
    const turn = new TaskTurn('large', 0, queue);
    const started = performance.now();
    for (let i = 0; i < 50; i++) await turn.pause();
    expect(queue.waitingCount).toBe(0);
    // 50 turns of an idle event loop: well under a millisecond each.
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('runs the small-lane tasks of the query that came first before those of later ones', async () => {
    const queue = new TurnQueue();
    const log: string[] = [];
    const later = new TaskTurn('small', 20, queue);
    const earlier = new TaskTurn('small', 10, queue);
    earlier.ranMs = 30; // ran more already, yet its query is older
    await Promise.all([
      queue.wait(later).then(() => log.push('later query')),
      queue.wait(earlier).then(() => log.push('earlier query')),
    ]);
    expect(log).toEqual(['earlier query', 'later query']);
  });
});
