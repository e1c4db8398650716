/**
 * The Prometheus text exposition format (version 0.0.4), for the few metric kinds the
 * coordinator exposes: counters, gauges read when scraped, and histograms. Written here
 * rather than taken from prom-client: it is a few dozen lines.
 */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  samples(): Iterable<readonly [name: string, labels: Labels, value: number]>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function labelKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

/** A value that only goes up, per label set. */
export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels = {}, by = 1): void {
    if (by < 0) throw new Error('a counter only goes up');
    const key = labelKey(labels);
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels))?.value ?? 0;
  }

  *samples(name: string): Iterable<readonly [string, Labels, number]> {
    for (const { labels, value } of this.values.values()) yield [name, labels, value];
  }
}

/** Observations counted into cumulative buckets, with their sum and count, per label set. */
export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();

  constructor(readonly buckets: readonly number[]) {
    for (let i = 1; i < buckets.length; i++)
      if (!(buckets[i] > buckets[i - 1])) throw new Error('histogram buckets must increase');
  }

  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels);
    let entry = this.series.get(key);
    if (!entry) {
      entry = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) entry.counts[i]++;
    entry.sum += value;
    entry.count++;
  }

  *samples(name: string): Iterable<readonly [string, Labels, number]> {
    for (const { labels, counts, sum, count } of this.series.values()) {
      for (let i = 0; i < this.buckets.length; i++)
        yield [`${name}_bucket`, { ...labels, le: formatValue(this.buckets[i]) }, counts[i]];
      yield [`${name}_bucket`, { ...labels, le: '+Inf' }, count];
      yield [`${name}_sum`, labels, sum];
      yield [`${name}_count`, labels, count];
    }
  }
}

/** The metrics of one process, rendered as Prometheus text on every scrape. */
export class PrometheusRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    const counter = new Counter();
    this.add({ name, help, type: 'counter', samples: () => counter.samples(name) });
    return counter;
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const histogram = new Histogram(buckets);
    this.add({ name, help, type: 'histogram', samples: () => histogram.samples(name) });
    return histogram;
  }

  /** A gauge whose values are read when scraped: one per label set `read` returns. */
  gauge(name: string, help: string, read: () => number | ReadonlyArray<readonly [Labels, number]>): void {
    this.add({
      name,
      help,
      type: 'gauge',
      *samples() {
        const value = read();
        if (typeof value === 'number') yield [name, {}, value];
        else for (const [labels, v] of value) yield [name, labels, v];
      },
    });
  }

  /** Every metric as Prometheus text: HELP and TYPE lines, then its samples. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics) {
      lines.push(`# HELP ${metric.name} ${metric.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${metric.name} ${metric.type}`);
      for (const [name, labels, value] of metric.samples())
        lines.push(`${name}${formatLabels(labels)} ${formatValue(value)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private add(metric: Metric): void {
    if (!METRIC_NAME.test(metric.name)) throw new Error(`invalid metric name ${metric.name}`);
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} exists`);
    const samples = metric.samples.bind(metric);
    this.metrics.push({
      ...metric,
      *samples() {
        for (const sample of samples()) {
          for (const label of Object.keys(sample[1]))
            if (!LABEL_NAME.test(label)) throw new Error(`invalid label name ${label}`);
          yield sample;
        }
      },
    });
  }
}
