import { EventEmitter } from 'node:events';
import type { ExecutorRegistration } from '@tributary/protocol';

export type ExecutorState = 'active' | 'lost';

export interface ExecutorInfo {
  readonly id: string;
  readonly url: string;
  readonly pid: number;
  state: ExecutorState;
  lastHeartbeat: number;
}

/**
 * The executors known to the coordinator. An executor that has not sent a heartbeat for
 * `timeoutMs` becomes `lost`: it is no longer scheduled, and listeners of 'lost' abort the
 * fragments running on it so queries fail fast instead of hanging.
 */
export class ExecutorRegistry extends EventEmitter<{ lost: [ExecutorInfo]; registered: [ExecutorInfo] }> {
  private readonly executors = new Map<string, ExecutorInfo>();
  private readonly timer: NodeJS.Timeout;
  private nextIndex = 0;

  constructor(private readonly timeoutMs: number) {
    super();
    this.timer = setInterval(() => this.expire(), Math.max(200, Math.floor(timeoutMs / 5)));
    this.timer.unref();
  }

  register(registration: ExecutorRegistration): ExecutorInfo {
    const info: ExecutorInfo = { ...registration, state: 'active', lastHeartbeat: Date.now() };
    this.executors.set(registration.id, info);
    this.emit('registered', info);
    return info;
  }

  /** False when the executor is unknown (it must register again). */
  heartbeat(id: string): boolean {
    const info = this.executors.get(id);
    if (!info) return false;
    info.lastHeartbeat = Date.now();
    info.state = 'active';
    return true;
  }

  markLost(id: string): void {
    const info = this.executors.get(id);
    if (!info || info.state === 'lost') return;
    info.state = 'lost';
    this.emit('lost', info);
  }

  /** Lost executors stay listed (health shows them) for a while, then are forgotten. */
  private expire(): void {
    const now = Date.now();
    for (const info of this.executors.values()) {
      const silent = now - info.lastHeartbeat;
      if (info.state === 'active' && silent > this.timeoutMs) this.markLost(info.id);
      else if (info.state === 'lost' && silent > this.timeoutMs * 6) this.executors.delete(info.id);
    }
  }

  list(): ExecutorInfo[] {
    return [...this.executors.values()];
  }

  active(): ExecutorInfo[] {
    return this.list().filter((e) => e.state === 'active');
  }

  /** Active executors in a rotating order, so consecutive fragments start on different ones. */
  rotation(): ExecutorInfo[] {
    const active = this.active();
    if (active.length === 0) return active;
    const start = this.nextIndex++ % active.length;
    return [...active.slice(start), ...active.slice(0, start)];
  }

  /**
   * Active executors, waiting up to `timeoutMs` for a first one to register (executors still
   * starting, or one restarting after a crash) instead of failing a query at once.
   */
  async waitForActive(timeoutMs: number, signal?: AbortSignal): Promise<ExecutorInfo[]> {
    if (this.active().length > 0 || timeoutMs <= 0) return this.rotation();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.off('registered', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.on('registered', done);
      signal?.addEventListener('abort', done, { once: true });
    });
    return this.rotation();
  }

  close(): void {
    clearInterval(this.timer);
  }
}
