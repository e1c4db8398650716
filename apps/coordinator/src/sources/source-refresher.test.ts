import { afterEach, describe, expect, it } from 'vitest';
import { SourceRefresher } from './source-refresher.ts';

const refreshers: SourceRefresher[] = [];
afterEach(() => {
  for (const r of refreshers.splice(0)) r.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SourceRefresher', () => {
  it('refreshes every source each round, logs a failure and goes on with the others', async () => {
    const refreshed: string[] = [];
    const logs: string[] = [];
    const sources = {
      names: () => ['a', 'broken', 'c'],
      refreshIfChanged: async (name: string) => {
        if (name === 'broken')
          throw Object.assign(new Error('path "/x" does not exist'), { code: 'PATH_NOT_FOUND' });
        refreshed.push(name);
      },
    };
    const refresher = new SourceRefresher(sources, 10, (m) => logs.push(m));
    refreshers.push(refresher);
    refresher.start();
    await sleep(120);
    refresher.stop();
    expect(refreshed.length).toBeGreaterThanOrEqual(4);
    expect(refreshed.slice(0, 4)).toEqual(['a', 'c', 'a', 'c']);
    expect(logs[0]).toContain(
      'background refresh of source "broken" failed (PATH_NOT_FOUND), its metadata is kept',
    );
  });

  it('never starts a round while one is under way, however slow', async () => {
    let running = 0;
    let most = 0;
    let rounds = 0;
    const sources = {
      names: () => ['slow'],
      refreshIfChanged: async () => {
        running++;
        most = Math.max(most, running);
        await sleep(50);
        running--;
        rounds++;
      },
    };
    const refresher = new SourceRefresher(sources, 5, () => undefined);
    refreshers.push(refresher);
    refresher.start();
    await sleep(200);
    refresher.stop();
    expect(most).toBe(1);
    expect(rounds).toBeGreaterThanOrEqual(2);
    expect(rounds).toBeLessThanOrEqual(4);
  });

  it('stays off with an interval of 0', async () => {
    let calls = 0;
    const refresher = new SourceRefresher(
      { names: () => ['a'], refreshIfChanged: async () => void calls++ },
      0,
      () => undefined,
    );
    refresher.start();
    await sleep(30);
    expect(calls).toBe(0);
  });
});
