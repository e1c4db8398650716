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
 * ones count) is active. A load balancer sends work only to a ready coordinator.
 */
export class Readiness {
  private everReady = false;

  constructor(
    private readonly registry: Pick<ExecutorRegistry, 'active'>,
    /** Executors that must be active (at least 1). */
    readonly required: number,
  ) {}

  /** minExecutors as configured: 0 means as many as are embedded, at least one. */
  static requiredExecutors(minExecutors: number, embeddedExecutors: number): number {
    return minExecutors > 0 ? minExecutors : Math.max(1, embeddedExecutors);
  }

  state(): ReadinessState {
    const executorsActive = this.registry.active().length;
    const ready = executorsActive >= this.required;
    if (ready) this.everReady = true;
    return {
      ready,
      status: ready ? 'ok' : this.everReady ? 'degraded' : 'starting',
      executorsActive,
      executorsRequired: this.required,
    };
  }
}
