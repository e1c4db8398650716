import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('LoginThrottle', () => {
  it('refuses an address past its failures a minute until the oldest is a minute old', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfter('10.0.0.1')).toBe(0);
      throttle.failed('10.0.0.1');
      now += 10_000;
    }
    // Failures at 0, 10 and 20 s; at 30 s the first is 30 s old: 30 s to wait.
    expect(throttle.retryAfter('10.0.0.1')).toBe(30);
    expect(throttle.retryAfter('10.0.0.2')).toBe(0);
    now += 30_001;
    expect(throttle.retryAfter('10.0.0.1')).toBe(0);
  });

  it('never refuses with a limit of 0', () => {
    const throttle = new LoginThrottle(0);
    for (let i = 0; i < 100; i++) throttle.failed('x');
    expect(throttle.retryAfter('x')).toBe(0);
  });
});
