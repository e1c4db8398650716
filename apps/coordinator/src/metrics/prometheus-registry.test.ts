import { describe, expect, it } from 'vitest';
import { PrometheusRegistry } from './prometheus-registry.ts';
import { parsePrometheusText } from './prometheus-text.ts';
import { ServiceMetrics } from './service-metrics.ts';

describe('PrometheusRegistry', () => {
  it('renders counters, gauges and histograms in the text format', () => {
    const registry = new PrometheusRegistry();
    const counter = registry.counter('jobs_total', 'Jobs ended');
    counter.inc({ state: 'completed' });
    counter.inc({ state: 'completed' }, 2);
    counter.inc({ state: 'failed' });
    registry.gauge('temperature', 'How hot', () => 21.5);
    registry.gauge('by_state', 'Per state', () => [
      [{ state: 'a"b\\c\nd' }, 1],
      [{ state: 'x' }, 0],
    ]);
    const histogram = registry.histogram('latency_seconds', 'Latency', [0.1, 1]);
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(5);
    expect(registry.render()).toBe(
      [
        '# HELP jobs_total Jobs ended',
        '# TYPE jobs_total counter',
        'jobs_total{state="completed"} 3',
        'jobs_total{state="failed"} 1',
        '# HELP temperature How hot',
        '# TYPE temperature gauge',
        'temperature 21.5',
        '# HELP by_state Per state',
        '# TYPE by_state gauge',
        'by_state{state="a\\"b\\\\c\\nd"} 1',
        'by_state{state="x"} 0',
        '# HELP latency_seconds Latency',
        '# TYPE latency_seconds histogram',
        'latency_seconds_bucket{le="0.1"} 1',
        'latency_seconds_bucket{le="1"} 2',
        'latency_seconds_bucket{le="+Inf"} 3',
        'latency_seconds_sum 5.55',
        'latency_seconds_count 3',
        '',
      ].join('\n'),
    );
    const parsed = parsePrometheusText(registry.render());
    expect(parsed.get('by_state')!.samples[0].labels).toEqual({ state: 'a"b\\c\nd' });
    expect(parsed.get('latency_seconds')!.samples.find((s) => s.labels.le === '+Inf')!.value).toBe(3);
  });

  it('refuses what Prometheus would refuse', () => {
    const registry = new PrometheusRegistry();
    expect(() => registry.counter('bad-name', 'x')).toThrow(/invalid metric name/);
    registry.counter('ok', 'x');
    expect(() => registry.counter('ok', 'x')).toThrow(/exists/);
    expect(() => registry.histogram('h', 'x', [1, 1])).toThrow(/increase/);
    expect(() => registry.counter('c', 'x').inc({}, -1)).toThrow(/only goes up/);
    expect(() => parsePrometheusText('a 1\n')).toThrow(/outside its family/);
    expect(() => parsePrometheusText('# HELP a x\n# TYPE a gauge\na{b=1} 1\n')).toThrow(
      /not a sample line|bad labels/,
    );
  });
});

describe('ServiceMetrics', () => {
  it('counts queries by final state, their latency, and reads the gauges when scraped', () => {
    const executors = [{ state: 'active' }, { state: 'active' }, { state: 'lost' }];
    const metrics = new ServiceMetrics({
      queries: { runningCount: 3, queuedCount: 4 },
      executors: { list: () => executors, threads: () => 6 },
    });
    const before = parsePrometheusText(metrics.render());
    expect(before.get('tributary_queries_total')!.samples.map((s) => [s.labels.state, s.value])).toEqual([
      ['completed', 0],
      ['failed', 0],
      ['cancelled', 0],
    ]);
    metrics.queryEnded({ state: 'completed', durationMs: 20 });
    metrics.queryEnded({ state: 'completed', durationMs: 2_000 });
    metrics.queryEnded({ state: 'failed', durationMs: 7 });
    const families = parsePrometheusText(metrics.render());
    const value = (name: string, labels: Record<string, string> = {}) =>
      families
        .get(name)!
        .samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))!
        .value;
    expect(value('tributary_queries_total', { state: 'completed' })).toBe(2);
    expect(value('tributary_queries_total', { state: 'failed' })).toBe(1);
    const latency = families.get('tributary_query_duration_seconds')!;
    expect(latency.type).toBe('histogram');
    const completed = latency.samples.filter((s) => s.labels.state === 'completed');
    expect(completed.find((s) => s.name.endsWith('_count'))!.value).toBe(2);
    expect(completed.find((s) => s.labels.le === '0.025')!.value).toBe(1);
    expect(completed.find((s) => s.labels.le === '2.5')!.value).toBe(2);
    expect(completed.find((s) => s.name.endsWith('_sum'))!.value).toBeCloseTo(2.02);
    expect(value('tributary_queries_running')).toBe(3);
    expect(value('tributary_queries_queued')).toBe(4);
    expect(value('tributary_executors', { state: 'active' })).toBe(2);
    expect(value('tributary_executors', { state: 'lost' })).toBe(1);
    expect(value('tributary_executor_threads')).toBe(6);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(value('tributary_event_loop_delay_seconds', { quantile: '0.99' })).toBeGreaterThanOrEqual(0);
    metrics.close();
  });
});
