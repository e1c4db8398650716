import {
  INTERNAL_PATHS,
  clusterHeaders,
  type ExecutorHeartbeat,
  type ExecutorRegistration,
} from '@tributary/protocol';

export interface CoordinatorLinkOptions {
  readonly coordinatorUrl: string;
  readonly secret: string;
  readonly registration: ExecutorRegistration;
  readonly intervalMs: number;
  readonly runningTasks: () => number;
  readonly log: (message: string) => void;
}

/**
 * Keeps the executor known to its coordinator: registers, then heartbeats every interval
 * (signed with the cluster secret), and registers again when the coordinator forgot it
 * (it restarted) or could not be reached.
 */
export class CoordinatorLink {
  private registered = false;
  private timer: NodeJS.Timeout | undefined;
  private lastProblem = '';

  constructor(private readonly options: CoordinatorLinkOptions) {}

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.options.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async post(path: string, payload: unknown): Promise<Response> {
    const url = new URL(path, this.options.coordinatorUrl);
    return fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...clusterHeaders(this.options.secret, 'POST', url) },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(Math.max(3000, this.options.intervalMs * 3)),
    });
  }

  private async beat(): Promise<void> {
    const { registration } = this.options;
    try {
      if (!this.registered) {
        const response = await this.post(INTERNAL_PATHS.register, registration);
        this.registered = response.ok;
        if (response.ok)
          this.options.log(`registered with ${this.options.coordinatorUrl} as ${registration.url}`);
        else
          this.problem(`registration refused: ${response.status} ${(await response.text()).slice(0, 200)}`);
      } else {
        const beat: ExecutorHeartbeat = {
          id: registration.id,
          instance: registration.instance,
          runningTasks: this.options.runningTasks(),
        };
        const response = await this.post(INTERNAL_PATHS.heartbeat, beat);
        if (response.status === 404)
          this.registered = false; // the coordinator restarted: register again
        else if (!response.ok) this.problem(`heartbeat refused: ${response.status}`);
      }
    } catch (error) {
      this.registered = false;
      this.problem(`coordinator unreachable: ${(error as Error).message}`);
    }
  }

  /** Logs a problem once, not every second. */
  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.options.log(message);
  }
}
