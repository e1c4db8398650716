import { EventEmitter } from 'node:events';
import { RequestError } from '@tributary/common';
import type { ExecutorRegistration } from '@tributary/protocol';

export type ExecutorState = 'active' | 'lost';

export interface ExecutorInfo {
  readonly id: string;
  readonly url: string;
  readonly pid: number;
  /** The process start it belongs to: a registration from another instance is another executor. */
  readonly instance: string;
  readonly threads: number;
  state: ExecutorState;
  lastHeartbeat: number;
  /** Until then it gets no new task: it heartbeats but left a task unanswered. */
  suspendedUntil: number;
}

/**
 * The executors known to the coordinator. An executor that has not sent a heartbeat for
 * `timeoutMs` becomes `lost`: it is no longer scheduled, and listeners of 'lost' abort the
 * tasks running on it and forget the outputs it held. An id that is alive cannot be taken
 * over by a registration from another process instance.
 */
export class ExecutorRegistry extends EventEmitter<{ lost: [ExecutorInfo]; registered: [ExecutorInfo] }> {
  private readonly executors = new Map<string, ExecutorInfo>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    super();
    this.setMaxListeners(0);
    this.timer = setInterval(() => this.expire(), Math.max(200, Math.floor(timeoutMs / 5)));
    this.timer.unref();
  }

  register(registration: ExecutorRegistration): ExecutorInfo {
    const existing = this.executors.get(registration.id);
    if (existing && existing.state === 'active' && existing.instance !== registration.instance) {
      throw new RequestError(
        'EXECUTOR_ID_TAKEN',
        `executor id ${registration.id} belongs to a running executor; register under another id`,
        { status: 409 },
      );
    }
    if (existing && existing.state === 'active') this.markLost(existing.id);
    const info: ExecutorInfo = {
      id: registration.id,
      url: registration.url,
      pid: registration.pid,
      instance: registration.instance,
      threads: Math.max(1, Math.floor(registration.threads) || 1),
      state: 'active',
      lastHeartbeat: Date.now(),
      suspendedUntil: 0,
    };
    this.executors.set(registration.id, info);
    this.emit('registered', info);
    return info;
  }

  /** False when the executor (this instance of it) is unknown: it must register again. */
  heartbeat(id: string, instance: string): boolean {
    const info = this.executors.get(id);
    if (!info || info.instance !== instance || info.state === 'lost') return false;
    info.lastHeartbeat = Date.now();
    return true;
  }

  get(id: string): ExecutorInfo | undefined {
    return this.executors.get(id);
  }

  markLost(id: string): void {
    const info = this.executors.get(id);
    if (!info || info.state === 'lost') return;
    info.state = 'lost';
    this.emit('lost', info);
  }

  /** Takes an executor out of scheduling for a while (it left a task unanswered). */
  suspend(id: string, forMs: number): void {
    const info = this.executors.get(id);
    if (info) info.suspendedUntil = Date.now() + forMs;
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

  /** Active executors that may take new tasks now. */
  schedulable(): ExecutorInfo[] {
    const now = Date.now();
    return this.active().filter((e) => e.suspendedUntil <= now);
  }

  /** Task slots of the active executors: their threads. */
  threads(): number {
    return this.active().reduce((n, e) => n + e.threads, 0);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
