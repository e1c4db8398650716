import { describe, expect, it } from 'vitest';
import { LiveJobs, type LiveJobEvent } from './live-jobs.ts';

describe('LiveJobs', () => {
  it('tells watchers each state change and the end, then forgets the job', () => {
    const live = new LiveJobs();
    live.begin('j');
    const seen: LiveJobEvent[] = [];
    const stop = live.subscribe('j', (e) => seen.push(e));
    expect(stop).toBeTypeOf('function');
    live.setState('j', 'QUEUED');
    live.setState('j', 'QUEUED');
    live.setState('j', 'RUNNING');
    let rows = 0;
    live.setProgress('j', () => ({ tasksDone: 1, tasksTotal: 4, splitsDone: 2, splitsTotal: 8, rows }));
    rows = 10;
    expect(live.get('j')).toEqual({
      state: 'RUNNING',
      progress: { tasksDone: 1, tasksTotal: 4, splitsDone: 2, splitsTotal: 8, rows: 10 },
    });
    live.end('j', { state: 'COMPLETED', rowCount: 10, errorCode: null, errorMessage: null });
    expect(seen).toEqual([
      { type: 'state', state: 'QUEUED' },
      { type: 'state', state: 'RUNNING' },
      { type: 'end', state: 'COMPLETED', rowCount: 10, errorCode: null, errorMessage: null },
    ]);
    expect(live.get('j')).toBeUndefined();
    expect(live.subscribe('j', () => undefined)).toBeUndefined();
  });

  it('stops telling a watcher that unsubscribed', () => {
    const live = new LiveJobs();
    live.begin('j');
    const seen: LiveJobEvent[] = [];
    live.subscribe('j', (e) => seen.push(e))!();
    live.setState('j', 'RUNNING');
    expect(seen).toEqual([]);
    expect(live.get('j')?.progress).toEqual({
      tasksDone: 0,
      tasksTotal: 0,
      splitsDone: 0,
      splitsTotal: 0,
      rows: 0,
    });
  });

  it("keeps a lately ended job's outcome, with its error position, for watchers that come late", () => {
    const live = new LiveJobs();
    live.begin('j');
    const outcome = {
      state: 'FAILED' as const,
      rowCount: null,
      errorCode: 'COLUMN_NOT_FOUND',
      errorMessage: 'column "n_nam" not found',
      errorLine: 2,
      errorColumn: 8,
      suggestions: ['n_name'],
    };
    live.end('j', outcome);
    expect(live.endedOutcome('j')).toEqual(outcome);
    for (let i = 0; i < 300; i++) {
      live.begin(`k${i}`);
      live.end(`k${i}`, { state: 'COMPLETED', rowCount: 0, errorCode: null, errorMessage: null });
    }
    // Bounded: the oldest are forgotten.
    expect(live.endedOutcome('j')).toBeUndefined();
    expect(live.endedOutcome('k299')?.state).toBe('COMPLETED');
  });
});
