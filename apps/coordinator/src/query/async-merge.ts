/**
 * Interleaves several async streams into one, in arrival order, with backpressure: each
 * source may run at most `capacity` items ahead of the consumer. The first error stops all
 * sources and is thrown to the consumer; returning early stops them too.
 */
export async function* mergeAsync<T>(sources: readonly AsyncIterable<T>[], capacity = 2): AsyncGenerator<T> {
  const queue: T[] = [];
  let failure: { error: unknown } | undefined;
  let running = sources.length;
  let wakeConsumer: (() => void) | undefined;
  const waitingProducers: (() => void)[] = [];
  let stopped = false;
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());

  const notify = () => {
    const wake = wakeConsumer;
    wakeConsumer = undefined;
    wake?.();
  };

  const pump = async (iterator: AsyncIterator<T>) => {
    try {
      for (;;) {
        while (queue.length >= capacity * sources.length && !stopped) {
          await new Promise<void>((resolve) => waitingProducers.push(resolve));
        }
        if (stopped) return;
        const next = await iterator.next();
        if (next.done || stopped) return;
        queue.push(next.value);
        notify();
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      running--;
      notify();
    }
  };

  for (const iterator of iterators) void pump(iterator);
  try {
    for (;;) {
      if (failure) throw failure.error;
      if (queue.length > 0) {
        const item = queue.shift() as T;
        waitingProducers.shift()?.();
        yield item;
        continue;
      }
      if (running === 0) return;
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    stopped = true;
    for (const wake of waitingProducers.splice(0)) wake();
    await Promise.allSettled(iterators.map((it) => it.return?.()));
  }
}
