import { afterEach, describe, expect, it } from 'vitest';
import { ExecutorRegistry } from './executor-registry.ts';

let registry: ExecutorRegistry | undefined;
afterEach(() => registry?.close());

const executor = (id: string, instance = `${id}-1`, threads = 2) => ({
  id,
  url: `http://127.0.0.1/${id}`,
  pid: 1,
  instance,
  threads,
});

describe('ExecutorRegistry', () => {
  it('drops an executor that stops heartbeating and announces it', async () => {
    registry = new ExecutorRegistry(300);
    registry.register(executor('a'));
    registry.register(executor('b'));
    const lost: string[] = [];
    registry.on('lost', (e) => lost.push(e.id));
    const keepAlive = setInterval(() => registry?.heartbeat('a', 'a-1'), 50);
    await new Promise((r) => setTimeout(r, 700));
    clearInterval(keepAlive);
    expect(lost).toEqual(['b']);
    expect(registry.active().map((e) => e.id)).toEqual(['a']);
    expect(registry.list().find((e) => e.id === 'b')?.state).toBe('lost');
    // A lost executor must register again before its heartbeats count.
    expect(registry.heartbeat('b', 'b-1')).toBe(false);
  });

  it('refuses a registration that would take over a live executor id', () => {
    registry = new ExecutorRegistry(10_000);
    registry.register(executor('a', 'first'));
    expect(() => registry!.register(executor('a', 'second'))).toThrow(
      expect.objectContaining({ code: 'EXECUTOR_ID_TAKEN', status: 409 }),
    );
    expect(registry.heartbeat('a', 'second')).toBe(false);
    expect(registry.heartbeat('a', 'first')).toBe(true);
    expect(registry.heartbeat('nope', 'x')).toBe(false);
  });

  it('lets a lost executor come back under its id and counts threads of the active ones', () => {
    registry = new ExecutorRegistry(10_000);
    registry.register(executor('a', 'first', 2));
    registry.register(executor('b', 'b', 3));
    registry.markLost('a');
    expect(registry.threads()).toBe(3);
    registry.register(executor('a', 'second', 4));
    expect(registry.threads()).toBe(7);
    registry.suspend('b', 60_000);
    expect(registry.schedulable().map((e) => e.id)).toEqual(['a']);
  });
});
