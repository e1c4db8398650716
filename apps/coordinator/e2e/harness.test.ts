import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startTributary } from './harness.ts';

const entry = 'apps/coordinator/e2e/fixtures/fake-coordinator.ts';

describe('startTributary', () => {
  it('waits for health, restarts on the same data dir and stops on SIGTERM', async () => {
    const service = await startTributary({ entry, env: { FAKE_READY_AFTER_MS: '300' } });
    const health = await service.health();
    expect(health.executors.map((e) => e.state)).toEqual(['active', 'active']);
    expect(service.output()).toContain(service.dataDir);
    const firstUrl = service.url;
    const restarted = await service.restart();
    expect(restarted.forced).toBe(false);
    expect(service.url).not.toBe(firstUrl);
    expect(service.output()).toContain(service.dataDir);
    const stopped = await service.dispose();
    expect(stopped.forced).toBe(false);
    expect(stopped.elapsedMs).toBeLessThan(3_000);
    expect(existsSync(service.dataDir)).toBe(false);
  });

  it('kills a process that ignores SIGTERM and says so', async () => {
    const service = await startTributary({ entry, env: { FAKE_IGNORE_TERM: '1' } });
    const stopped = await service.stop(500);
    expect(stopped.forced).toBe(true);
    expect(stopped.signal).toBe('SIGKILL');
    await service.dispose();
  });

  it('fails with the process output when it never becomes ready', async () => {
    await expect(
      startTributary({ entry, readyTimeoutMs: 1_500, env: { FAKE_READY_AFTER_MS: '60000' } }),
    ).rejects.toThrow(/did not become ready[\s\S]*listening on http:\/\/127\.0\.0\.1:\d+ \(fake coordinator/);
  });
});
