import { describe, expect, it } from 'vitest';
import { signClusterRequest, verifyClusterRequest } from './cluster-auth.ts';

const SECRET = 'a-cluster-secret-of-some-length';

describe('cluster request signatures', () => {
  it('are made once a second per route and verified for that route only', () => {
    const now = 1_000_000_000_000;
    const first = signClusterRequest(SECRET, 'POST', '/internal/tasks/run', now);
    expect(signClusterRequest(SECRET, 'POST', '/internal/tasks/run', now + 999)).toBe(first);
    expect(signClusterRequest(SECRET, 'POST', '/internal/tasks/run', now + 1000)).not.toBe(first);
    expect(signClusterRequest('another-secret-of-some-length', 'POST', '/internal/tasks/run', now)).not.toBe(
      first,
    );
    expect(signClusterRequest(SECRET, 'GET', '/internal/tasks/run', now)).not.toBe(first);

    // Verified twice (the second time from memory), and never for another route, method or secret.
    for (let i = 0; i < 2; i++)
      expect(verifyClusterRequest(SECRET, first, 'POST', '/internal/tasks/run', now + 10)).toBe(true);
    expect(verifyClusterRequest(SECRET, first, 'POST', '/internal/status', now + 10)).toBe(false);
    expect(verifyClusterRequest(SECRET, first, 'GET', '/internal/tasks/run', now + 10)).toBe(false);
    expect(
      verifyClusterRequest('another-secret-of-some-length', first, 'POST', '/internal/tasks/run', now),
    ).toBe(false);
    // A signature remembered as good still expires.
    expect(verifyClusterRequest(SECRET, first, 'POST', '/internal/tasks/run', now + 5 * 60_000 + 1)).toBe(
      false,
    );
    // A forged one with a valid shape is refused.
    const [version, expires] = first.split('.');
    expect(
      verifyClusterRequest(
        SECRET,
        `${version}.${expires}.${'0'.repeat(64)}`,
        'POST',
        '/internal/tasks/run',
        now,
      ),
    ).toBe(false);
  });
});
