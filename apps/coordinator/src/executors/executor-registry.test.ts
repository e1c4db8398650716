import { afterEach, describe, expect, it } from 'vitest';
import { ExecutorRegistry } from './executor-registry.ts';

let registry: ExecutorRegistry | undefined;
afterEach(() => registry?.close());

describe('ExecutorRegistry', () => {
  it('drops an executor that stops heartbeating and announces it', async () => {
    registry = new ExecutorRegistry(300);
    registry.register({ id: 'a', url: 'http://127.0.0.1:1', pid: 1 });
    registry.register({ id: 'b', url: 'http://127.0.0.1:2', pid: 2 });
    const lost: string[] = [];
    registry.on('lost', (e) => lost.push(e.id));
    const keepAlive = setInterval(() => registry?.heartbeat('a'), 50);
    await new Promise((r) => setTimeout(r, 700));
    clearInterval(keepAlive);
    expect(lost).toEqual(['b']);
    expect(registry.active().map((e) => e.id)).toEqual(['a']);
    expect(registry.list().find((e) => e.id === 'b')?.state).toBe('lost');
  });

  it('rotates the starting executor', () => {
    registry = new ExecutorRegistry(10_000);
    for (const id of ['a', 'b', 'c']) registry.register({ id, url: `http://x/${id}`, pid: 0 });
    expect([0, 1, 2, 3].map(() => registry!.rotation()[0].id)).toEqual(['a', 'b', 'c', 'a']);
    expect(registry.heartbeat('nope')).toBe(false);
  });

  it('waits for a first executor to register', async () => {
    registry = new ExecutorRegistry(10_000);
    setTimeout(() => registry?.register({ id: 'late', url: 'http://x/late', pid: 0 }), 50);
    const active = await registry.waitForActive(5000);
    expect(active.map((e) => e.id)).toEqual(['late']);
    const none = new ExecutorRegistry(10_000);
    expect(await none.waitForActive(20)).toEqual([]);
    none.close();
  });
});
