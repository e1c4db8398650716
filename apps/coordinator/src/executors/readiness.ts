import type { ExecutorRegistry } from './executor-registry.ts';

export interface ReadinessState {
  /** Enough executors are active to run queries. */
  readonly ready: boolean;
  /** starting: never ready yet; ok: ready; degraded: was ready, now has too few executors. */
  readonly status: 'starting' | 'ok' | 'degraded';
  readonly executorsActive: number;
  readonly executorsRequired: number;
}

/**
 * Whether the coordinator can run queries: the configured number of executors (embedded
 * ones count) is active, and what start-up does besides (registering the demo source on a
 * first start) is done. A load balancer sends work only to a ready coordinator.
 */
export class Readiness {
  private everReady = false;
  private starting = 0;

  constructor(
    private readonly registry: Pick<ExecutorRegistry, 'active'>,
    /** Executors that must be active (at least 1). */
    readonly required: number,
  ) {}

  /** minExecutors as configured: 0 means as many as are embedded, at least one. */
  static requiredExecutors(minExecutors: number, embeddedExecutors: number): number {
    return minExecutors > 0 ? minExecutors : Math.max(1, embeddedExecutors);
  }

  /** Not ready until `work` (a step of start-up) has settled. */
  async whileStarting<T>(work: Promise<T>): Promise<T> {
    this.starting++;
    try {
      return await work;
    } finally {
      this.starting--;
    }
  }

  state(): ReadinessState {
    const executorsActive = this.registry.active().length;
    const ready = executorsActive >= this.required && this.starting === 0;
    if (ready) this.everReady = true;
    return {
      ready,
      status: ready ? 'ok' : this.everReady ? 'degraded' : 'starting',
      executorsActive,
      executorsRequired: this.required,
    };
  }
}
