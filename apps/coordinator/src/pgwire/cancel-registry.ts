import { randomInt } from 'node:crypto';

/**
 * The sessions a CancelRequest may reach, by the process id and secret key each was given
 * in BackendKeyData (Postgres' cancel keys): a request with a wrong secret is ignored.
 */
export class CancelRegistry {
  private readonly sessions = new Map<number, { secret: number; cancel: () => void }>();
  private nextPid = randomInt(1000, 1 << 20);

  /** A new key for a session; `cancel` stops whatever it runs now. */
  register(cancel: () => void): { pid: number; secret: number; release: () => void } {
    const pid = this.nextPid++;
    const secret = randomInt(-0x80000000, 0x7fffffff);
    this.sessions.set(pid, { secret, cancel });
    return { pid, secret, release: () => this.sessions.delete(pid) };
  }

  /** Cancels the session's running query when the key matches; whether it did. */
  cancel(pid: number, secret: number): boolean {
    const session = this.sessions.get(pid);
    if (!session || session.secret !== secret) return false;
    session.cancel();
    return true;
  }
}
