/** One sample line of the Prometheus text format. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: PrometheusSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/gy;

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new Error(`not a sample value: ${text}`);
  return value;
}

function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!text) return labels;
  LABEL.lastIndex = 0;
  let consumed = 0;
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) {
    labels[m[1]] = m[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    consumed = LABEL.lastIndex;
  }
  if (consumed !== text.length) throw new Error(`bad labels: {${text}}`);
  return labels;
}

/**
 * Parses Prometheus text (format 0.0.4) strictly: every sample must follow its family's
 * HELP and TYPE lines; a malformed line throws. For tests and tools reading /metrics.
 */
export function parsePrometheusText(text: string): Map<string, PrometheusFamily> {
  const families = new Map<string, PrometheusFamily>();
  let current: { name: string; type?: string; help?: string; samples: PrometheusSample[] } | undefined;
  const close = () => {
    if (!current) return;
    if (current.type === undefined || current.help === undefined)
      throw new Error(`metric ${current.name} lacks HELP or TYPE`);
    families.set(current.name, { ...current, type: current.type, help: current.help });
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (current?.name !== name) {
        close();
        if (families.has(name)) throw new Error(`metric ${name} appears twice`);
        current = { name, samples: [] };
      }
      if (kind === 'HELP') current.help = rest;
      else current.type = rest;
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = SAMPLE.exec(line);
    if (!sample) throw new Error(`not a sample line: ${line}`);
    const [, name, labels, value] = sample;
    const family = current?.name;
    if (!family || !(name === family || /^_(bucket|sum|count)$/.test(name.slice(family.length))))
      throw new Error(`sample ${name} outside its family`);
    current!.samples.push({ name, labels: parseLabels(labels), value: parseValue(value) });
  }
  close();
  return families;
}
