import { describe, expect, it } from 'vitest';
import { QueryAdmission } from './query-admission.ts';

describe('QueryAdmission', () => {
  it('runs up to the limit, queues in order, refuses past the queue', async () => {
    const admission = new QueryAdmission(2, 1);
    const signal = new AbortController().signal;
    const a = await admission.admit(signal);
    await admission.admit(signal);
    expect(admission.wouldQueue('large')).toBe(true);
    // A small query has a lane of its own.
    expect(admission.wouldQueue('small')).toBe(false);
    let thirdRuns = false;
    const third = admission.admit(signal).then((release) => {
      thirdRuns = true;
      return release;
    });
    await expect(admission.admit(signal)).rejects.toMatchObject({ code: 'QUERY_QUEUE_FULL', status: 503 });
    await Promise.resolve();
    expect(thirdRuns).toBe(false);
    a();
    a(); // releasing twice frees one slot only
    const release = await third;
    expect(thirdRuns).toBe(true);
    expect(admission.runningCount).toBe(2);
    release();
    expect(admission.runningCount).toBe(1);
  });

  it('runs small queries beside a full large lane', async () => {
    const admission = new QueryAdmission(1, 5);
    const signal = new AbortController().signal;
    await admission.admit(signal, 'large');
    let largeRuns = false;
    void admission.admit(signal, 'large').then(() => (largeRuns = true));
    const small = await admission.admit(signal, 'small');
    expect(admission.runningCount).toBe(2);
    small();
    await Promise.resolve();
    expect(largeRuns).toBe(false);
  });

  it('forgets a queued query whose caller gave up', async () => {
    const admission = new QueryAdmission(1, 5);
    const first = await admission.admit(new AbortController().signal);
    const controller = new AbortController();
    const waiting = admission.admit(controller.signal);
    expect(admission.queuedCount).toBe(1);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(admission.queuedCount).toBe(0);
    first();
    expect(admission.runningCount).toBe(0);
  });

  it('bounds the large lane on its own when told to, the small lane keeping its limit', async () => {
    const admission = new QueryAdmission(3, 10, 1);
    const signal = new AbortController().signal;
    const large = await admission.admit(signal, 'large');
    expect(admission.wouldQueue('large')).toBe(true);
    let secondLarge = false;
    const waiting = admission.admit(signal, 'large').then((release) => {
      secondLarge = true;
      return release;
    });
    for (let i = 0; i < 3; i++) await admission.admit(signal, 'small');
    expect(admission.wouldQueue('small')).toBe(true);
    expect(admission.runningCount).toBe(4);
    await Promise.resolve();
    expect(secondLarge).toBe(false);
    large();
    (await waiting)();
    expect(secondLarge).toBe(true);
    expect(admission.runningCount).toBe(3);
  });
});
