import { describe, expect, it } from 'vitest';
import { maySeeJob } from './job-access.ts';

describe('maySeeJob', () => {
  it('shows users their own jobs and admins all', () => {
    const alice = { user: 'alice', admin: false };
    expect(maySeeJob(alice, 'alice')).toBe(true);
    expect(maySeeJob(alice, 'ALICE')).toBe(true);
    expect(maySeeJob(alice, 'bob')).toBe(false);
    expect(maySeeJob(alice, null)).toBe(false);
    expect(maySeeJob({ admin: false }, undefined)).toBe(false);
    expect(maySeeJob({ user: 'root', admin: true }, 'bob')).toBe(true);
    expect(maySeeJob({ admin: true }, null)).toBe(true);
  });
});
