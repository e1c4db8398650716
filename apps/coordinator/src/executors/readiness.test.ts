import { describe, expect, it } from 'vitest';
import { Readiness } from './readiness.ts';

describe('Readiness', () => {
  it('is starting until the required executors are active, then ok, then degraded when they go', () => {
    let active = 0;
    const readiness = new Readiness({ active: () => Array.from({ length: active }) as never[] }, 2);
    expect(readiness.state()).toEqual({
      ready: false,
      status: 'starting',
      executorsActive: 0,
      executorsRequired: 2,
    });
    active = 1;
    expect(readiness.state()).toMatchObject({ ready: false, status: 'starting' });
    active = 2;
    expect(readiness.state()).toMatchObject({ ready: true, status: 'ok', executorsActive: 2 });
    active = 1;
    expect(readiness.state()).toMatchObject({ ready: false, status: 'degraded' });
  });

  it('requires the embedded executors, or minExecutors when set, and at least one', () => {
    expect(Readiness.requiredExecutors(0, 2)).toBe(2);
    expect(Readiness.requiredExecutors(0, 0)).toBe(1);
    expect(Readiness.requiredExecutors(3, 2)).toBe(3);
    expect(Readiness.requiredExecutors(1, 2)).toBe(1);
  });

  it('is not ready while a step of start-up runs, whatever its outcome', async () => {
    const readiness = new Readiness({ active: () => [{}, {}] as never }, 2);
    let finish!: () => void;
    const step = readiness.whileStarting(new Promise<void>((resolve) => (finish = resolve)));
    expect(readiness.state()).toMatchObject({ ready: false, status: 'starting' });
    finish();
    await step;
    expect(readiness.state()).toMatchObject({ ready: true, status: 'ok' });
    await expect(readiness.whileStarting(Promise.reject(new Error('no demo')))).rejects.toThrow('no demo');
    expect(readiness.state().ready).toBe(true);
  });
});
