export interface HealthProbeResult {
  /** Latencies of the probes that answered 200, in milliseconds. */
  latencies: number[];
  /** Probes that failed, by reason (a status or an error name). */
  failures: Map<string, number>;
}

/**
 * GETs /api/v1/health every `intervalMs` on a fixed schedule, whether or not the previous probe
 * has answered, so a stalled event loop shows up as many slow probes (as users would see it)
 * rather than one.
 */
export class HealthProbe {
  private readonly latencies: number[] = [];
  private readonly failures = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly intervalMs = 200,
    private readonly timeoutMs = 10_000,
  ) {}

  start(): void {
    this.probe();
    this.timer = setInterval(() => this.probe(), this.intervalMs);
  }

  private probe(): void {
    const started = performance.now();
    const done = fetch(`${this.baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(this.timeoutMs) })
      .then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 200) this.latencies.push(performance.now() - started);
        else this.fail(`HTTP ${response.status}`);
      })
      .catch((error: unknown) => this.fail((error as Error)?.name ?? 'Error'))
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private fail(reason: string): void {
    this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
  }

  /** Stops probing and waits for the probes still out. */
  async stop(): Promise<HealthProbeResult> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
    return { latencies: [...this.latencies], failures: new Map(this.failures) };
  }
}
