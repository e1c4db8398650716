import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { PrometheusRegistry, type Counter, type Histogram } from './prometheus-registry.ts';

/** How a query ended, as the metrics count it. */
export type QueryEndState = 'completed' | 'failed' | 'cancelled';

/** What the query service tells the metrics when a query ends. */
export interface QueryEnd {
  readonly state: QueryEndState;
  /** From the request's arrival to the end of its last row (or its failure). */
  readonly durationMs: number;
}

/** What the gauges read at each scrape. */
export interface MetricSources {
  readonly queries: { readonly runningCount: number; readonly queuedCount: number };
  readonly executors: {
    list(): ReadonlyArray<{ readonly state: string }>;
    threads(): number;
  };
}

/** Query latency buckets, seconds: from a point lookup to a long report. */
export const QUERY_SECONDS_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
] as const;

const QUERY_END_STATES: readonly QueryEndState[] = ['completed', 'failed', 'cancelled'];

const EXECUTOR_STATES = ['active', 'lost'] as const;

/**
 * The coordinator's Prometheus metrics (GET /metrics): queries by final state, query
 * latency, running and queued queries, executors, memory, event-loop delay. The query
 * service reports each query's end through `queryEnded`; everything else is read when
 * scraped. The event-loop delay covers the time since the previous scrape.
 */
export class ServiceMetrics {
  private readonly registry = new PrometheusRegistry();
  private readonly queriesTotal: Counter;
  private readonly queryDuration: Histogram;
  private readonly planLookups: Counter;
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor(sources: MetricSources) {
    this.loopDelay.enable();
    this.queriesTotal = this.registry.counter(
      'tributary_queries_total',
      'Queries ended, by final state (completed, failed, cancelled)',
    );
    this.queryDuration = this.registry.histogram(
      'tributary_query_duration_seconds',
      'Time from a query arriving to its end, by final state',
      QUERY_SECONDS_BUCKETS,
    );
    this.planLookups = this.registry.counter(
      'tributary_plan_cache_lookups_total',
      'Statements looked up in the plan cache, by result (hit: planning skipped; miss: planned)',
    );
    // Every state shows from the first scrape, so that rates over it start at zero.
    for (const state of QUERY_END_STATES) this.queriesTotal.inc({ state }, 0);
    for (const result of ['hit', 'miss']) this.planLookups.inc({ result }, 0);
    this.registry.gauge(
      'tributary_queries_running',
      'Queries admitted and running',
      () => sources.queries.runningCount,
    );
    this.registry.gauge(
      'tributary_queries_queued',
      'Queries waiting for admission',
      () => sources.queries.queuedCount,
    );
    this.registry.gauge('tributary_executors', 'Executors known to the coordinator, by state', () => {
      const list = sources.executors.list();
      return EXECUTOR_STATES.map(
        (state) => [{ state }, list.filter((e) => e.state === state).length] as const,
      );
    });
    this.registry.gauge('tributary_executor_threads', 'Worker threads of the active executors', () =>
      sources.executors.threads(),
    );
    this.registry.gauge('process_resident_memory_bytes', 'Resident memory of the coordinator process', () =>
      process.memoryUsage.rss(),
    );
    this.registry.gauge(
      'nodejs_heap_size_used_bytes',
      'V8 heap in use',
      () => process.memoryUsage().heapUsed,
    );
    this.registry.gauge(
      'nodejs_heap_size_total_bytes',
      'V8 heap reserved',
      () => process.memoryUsage().heapTotal,
    );
    this.registry.gauge(
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript (Arrow buffers…)',
      () => process.memoryUsage().external,
    );
    this.registry.gauge(
      'tributary_event_loop_delay_seconds',
      "Delay of the coordinator's event loop since the previous scrape, by quantile (1: the maximum)",
      () => {
        const seconds = (ns: number) => (Number.isFinite(ns) ? ns / 1e9 : 0);
        const delay = this.loopDelay;
        const values = [
          [{ quantile: '0.5' }, seconds(delay.percentile(50))],
          [{ quantile: '0.99' }, seconds(delay.percentile(99))],
          [{ quantile: '1' }, seconds(delay.max)],
        ] as const;
        return values;
      },
    );
    this.registry.gauge(
      'process_start_time_seconds',
      'When the process started, seconds since the epoch',
      () => Math.round(Date.now() / 1000 - process.uptime()),
    );
  }

  /** Counts a query that ended; called once per query by the query service. */
  queryEnded(end: QueryEnd): void {
    this.queriesTotal.inc({ state: end.state });
    this.queryDuration.observe(end.durationMs / 1000, { state: end.state });
  }

  /** Counts a plan cache look-up (CachingPlanner). */
  planLookedUp(hit: boolean): void {
    this.planLookups.inc({ result: hit ? 'hit' : 'miss' });
  }

  /** The metrics as Prometheus text; the event-loop delay starts over. */
  render(): string {
    const text = this.registry.render();
    this.loopDelay.reset();
    return text;
  }

  close(): void {
    this.loopDelay.disable();
  }
}
