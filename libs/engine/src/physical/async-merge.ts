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

/**
 * Yields every item of sources[0], then of sources[1], and so on — the order of the data —
 * while all sources run at once, each buffering at most `capacity` items ahead. The first
 * error from any source fails the whole; returning early stops them all.
 */
export async function* concatAsync<T>(sources: readonly AsyncIterable<T>[], capacity = 2): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const queues: T[][] = sources.map(() => []);
  const done = sources.map(() => false);
  const roomWaiters: ((() => void) | undefined)[] = sources.map(() => undefined);
  let failure: { error: unknown } | undefined;
  let stopped = false;
  let wakeConsumer: (() => void) | undefined;
  const notify = () => {
    const wake = wakeConsumer;
    wakeConsumer = undefined;
    wake?.();
  };

  const pump = async (index: number) => {
    try {
      for (;;) {
        while (queues[index].length >= capacity && !stopped) {
          await new Promise<void>((resolve) => (roomWaiters[index] = resolve));
        }
        if (stopped) return;
        const next = await iterators[index].next();
        if (next.done || stopped) return;
        queues[index].push(next.value);
        notify();
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      done[index] = true;
      notify();
    }
  };

  iterators.forEach((_, i) => void pump(i));
  try {
    for (let current = 0; current < sources.length;) {
      if (failure) throw failure.error;
      const queue = queues[current];
      if (queue.length > 0) {
        const item = queue.shift() as T;
        const wake = roomWaiters[current];
        roomWaiters[current] = undefined;
        wake?.();
        yield item;
      } else if (done[current]) {
        current++;
      } else {
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
      }
    }
    if (failure) throw failure.error;
  } finally {
    stopped = true;
    for (const wake of roomWaiters) wake?.();
    await Promise.allSettled(iterators.map((it) => it.return?.()));
  }
}
