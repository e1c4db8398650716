import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from '../e2e/harness.ts';
import { TributaryClient } from '../e2e/tributary-client.ts';
import { answerFingerprint } from './answer-fingerprint.ts';
import { HealthProbe } from './health-probe.ts';
import { findListeningPid } from './listening-pid.ts';
import { readMachineCpu } from './machine-cpu.ts';
import { LONG_QUERIES, SHORT_QUERIES, drawMix, type LoadQuery } from './load-mix.ts';
import {
  errorsByCode,
  evaluateTargets,
  formatTable,
  latencyOf,
  ms,
  parseServerTiming,
  shortWhileLong,
  summariesBy,
  summaryCells,
  type QueryRecord,
} from './load-report.ts';
import { loadSources, type LoadSource } from './load-sources.ts';
import { MemorySampler, memoryWindow } from './memory-sampler.ts';
import { summarize } from './percentiles.ts';
import { summarizeServiceLog } from './service-log.ts';
import { timedSql } from './timed-sql.ts';

/**
 * `npm run load -- [--clients 32] [--queries 2000] [--seed 1] [--long-share 0.2]
 *   [--executors 2 | --url http://host:port [--pid N]] [--warmup 2] [--timeout-ms 120000]
 *   [--settle-ms 1000] [--idle-ms 2000] [--no-check] [--out run.json] [--env KEY=VALUE …]`
 *
 * Closed-loop load: `--clients` clients each send their next query as soon as the previous one
 * has answered, drawn from a seeded mix of short and long queries over TPC-H sources, while the
 * coordinator's and executors' memory is sampled from /proc and the health endpoint is probed.
 * Prints latencies, errors, memory and whether the targets of the load issue are met.
 */

interface LoadOptions {
  clients: number;
  queries: number;
  seed: number;
  longShare: number;
  executors: number;
  url: string | undefined;
  pid: number | undefined;
  warmup: number;
  timeoutMs: number;
  settleMs: number;
  idleMs: number;
  check: boolean;
  out: string | undefined;
  /** Extra environment for the service the harness starts (`--env KEY=VALUE`, repeatable). */
  env: Record<string, string>;
}

function readOptions(): LoadOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '32' },
      queries: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      'long-share': { type: 'string', default: '0.2' },
      executors: { type: 'string', default: '2' },
      url: { type: 'string' },
      pid: { type: 'string' },
      warmup: { type: 'string', default: '2' },
      'timeout-ms': { type: 'string', default: '120000' },
      'settle-ms': { type: 'string', default: '1000' },
      'idle-ms': { type: 'string', default: '2000' },
      'no-check': { type: 'boolean', default: false },
      out: { type: 'string' },
      env: { type: 'string', multiple: true },
    },
  });
  const integer = (name: string, text: string | undefined, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be an integer ≥ ${min}, not ${text}`);
    return n;
  };
  const longShare = Number(values['long-share']);
  if (!(longShare >= 0 && longShare <= 1)) {
    throw new Error(`--long-share must be between 0 and 1, not ${values['long-share']}`);
  }
  return {
    clients: integer('clients', values.clients, 1),
    queries: integer('queries', values.queries, 1),
    seed: integer('seed', values.seed, 0),
    longShare,
    executors: integer('executors', values.executors, 0),
    url: values.url?.replace(/\/+$/, ''),
    pid: values.pid === undefined ? undefined : integer('pid', values.pid, 1),
    warmup: integer('warmup', values.warmup, 0),
    timeoutMs: integer('timeout-ms', values['timeout-ms'], 1),
    settleMs: integer('settle-ms', values['settle-ms'], 0),
    idleMs: integer('idle-ms', values['idle-ms'], 0),
    check: !values['no-check'],
    out: values.out,
    env: Object.fromEntries(
      (values.env ?? []).map((pair) => {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new Error(`--env takes KEY=VALUE, not ${pair}`);
        return [pair.slice(0, eq), pair.slice(eq + 1)];
      }),
    ),
  };
}

function sleep(msToWait: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, msToWait));
}

const mb = (kb: number | undefined): string => (kb === undefined ? 'n/a' : (kb / 1024).toFixed(0));

/** Registers each source unless a source of that name already exists (a running service's own registration is kept). */
async function ensureSources(client: TributaryClient, sources: readonly LoadSource[]): Promise<void> {
  for (const source of sources) {
    const existing = await client.request<{ type?: string; path?: string }>(
      'GET',
      `/api/v1/sources/${encodeURIComponent(source.name)}`,
    );
    if (existing.status === 200) {
      const same = existing.body?.type === source.type;
      console.log(
        `source ${source.name} already registered${same ? '' : ` as ${existing.body?.type} (expected ${source.type})`}; kept`,
      );
      continue;
    }
    if (existing.status !== 404) {
      throw new Error(
        `GET /api/v1/sources/${source.name} answered ${existing.status}: ${existing.text.slice(0, 300)}`,
      );
    }
    const started = performance.now();
    await client.addSource(source);
    console.log(
      `registered ${source.name} (${source.type}, ${source.path}) in ${ms(performance.now() - started)} ms`,
    );
  }
}

/** The coordinator's pid on this machine when targeting a running service, if it can be found. */
function coordinatorPidOf(url: string, explicit: number | undefined): number | undefined {
  if (explicit !== undefined) return explicit;
  const parsed = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(parsed.hostname)) return undefined;
  return findListeningPid(Number(parsed.port || 80));
}

/** Runs queries and, with checking on, compares each answer with the first answer of the same query. */
class QueryRunner {
  private readonly firstAnswers = new Map<string, { fingerprint: string; rowCount: number }>();
  readonly mismatchExamples = new Map<string, string>();
  checkedAnswers = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly check: boolean,
  ) {}

  async run(query: LoadQuery, client: number): Promise<QueryRecord> {
    const start = performance.now();
    const answer = await timedSql(this.baseUrl, query.sql, this.timeoutMs);
    const record: QueryRecord = {
      name: query.name,
      class: query.class,
      client,
      start,
      end: start + answer.ms,
      status: answer.status,
      code: answer.code,
      message: answer.message,
      rowCount: answer.rows?.length,
      phases: parseServerTiming(answer.serverTiming ?? null),
    };
    if (this.check && answer.rows && answer.code === undefined) {
      this.checkedAnswers++;
      const fingerprint = answerFingerprint({ columns: answer.columns, rows: answer.rows }, query.ordered);
      const first = this.firstAnswers.get(query.name);
      if (!first) this.firstAnswers.set(query.name, { fingerprint, rowCount: answer.rows.length });
      else if (first.fingerprint !== fingerprint) {
        record.mismatch = true;
        if (!this.mismatchExamples.has(query.name)) {
          this.mismatchExamples.set(
            query.name,
            `${answer.rows.length} rows (first answer ${first.rowCount}); first row now ${JSON.stringify(answer.rows[0])}`,
          );
        }
      }
    }
    return record;
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  const allQueries = [...SHORT_QUERIES, ...LONG_QUERIES];
  let service: TributaryProcess | undefined;
  const interrupt = () => {
    // The harness starts the service in its own process group, out of reach of the terminal's Ctrl-C.
    void (service?.dispose() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);

  let baseUrl: string;
  let coordinatorPid: number | undefined;
  if (options.url) {
    baseUrl = options.url;
    coordinatorPid = coordinatorPidOf(baseUrl, options.pid);
    console.log(`target ${baseUrl} (coordinator pid ${coordinatorPid ?? 'unknown: memory not sampled'})`);
  } else {
    const started = performance.now();
    service = await startTributary({
      executors: options.executors,
      sourceRoots: [dataRoot],
      env: options.env,
    });
    baseUrl = service.url;
    coordinatorPid = service.pid;
    console.log(
      `started Tributary at ${baseUrl} (coordinator pid ${coordinatorPid}, ${options.executors} executors, data dir ${service.dataDir}) in ${ms(performance.now() - started)} ms`,
    );
  }

  try {
    const client = new TributaryClient(() => baseUrl);
    await ensureSources(client, loadSources(tpchRoot));

    const sampler = coordinatorPid === undefined ? undefined : new MemorySampler(coordinatorPid);
    sampler?.start();
    await sleep(options.settleMs);
    sampler?.sample();
    sampler?.markCpu('start');
    const tStart = performance.now();
    const logOffset = service?.output().length ?? 0;

    const runner = new QueryRunner(baseUrl, options.timeoutMs, options.check);
    const warmupRecords: QueryRecord[] = [];
    const aloneMs = new Map<string, number>();
    for (let round = 0; round < options.warmup; round++) {
      for (const q of allQueries) {
        const record = await runner.run(q, -1);
        warmupRecords.push(record);
        if (record.code === undefined) aloneMs.set(q.name, latencyOf(record));
      }
    }
    sampler?.sample();
    sampler?.markCpu('warm');
    const tWarm = performance.now();
    if (options.warmup > 0) {
      console.log(
        `warm-up: ${warmupRecords.length} queries one at a time in ${ms(tWarm - tStart)} ms, ${warmupRecords.filter((r) => r.code).length} errors`,
      );
    }

    const mix = drawMix({ count: options.queries, longShare: options.longShare, seed: options.seed });
    console.log(
      `load: ${options.queries} queries (${mix.filter((q) => q.class === 'long').length} long), ${options.clients} clients, seed ${options.seed}`,
    );
    const probe = new HealthProbe(baseUrl);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    const records: QueryRecord[] = [];
    const inFlight = new Map<number, LoadQuery>();
    let next = 0;
    const tLoad = performance.now();
    const progress = setInterval(() => {
      const long = [...inFlight.values()].filter((q) => q.class === 'long').length;
      process.stderr.write(
        `  [${((performance.now() - tLoad) / 1000).toFixed(0)} s] ${records.length}/${mix.length} answered, ` +
          `${records.filter((r) => r.code).length} errors, ${inFlight.size} in flight (${long} long)\n`,
      );
    }, 5_000);
    const machineBefore = readMachineCpu();
    const ownBefore = process.cpuUsage();
    probe.start();
    loopDelay.enable();
    await Promise.all(
      Array.from({ length: options.clients }, async (_, c) => {
        while (next < mix.length) {
          const q = mix[next++];
          inFlight.set(c, q);
          records.push(await runner.run(q, c));
          inFlight.delete(c);
        }
      }),
    );
    const tLoadEnd = performance.now();
    const ownCpuSeconds = (() => {
      const used = process.cpuUsage(ownBefore);
      return (used.user + used.system) / 1e6;
    })();
    const machineAfter = readMachineCpu();
    loopDelay.disable();
    clearInterval(progress);
    sampler?.sample();
    sampler?.markCpu('loaded');
    const health = await probe.stop();

    // Settle, then stay idle (not even health probes) before the end measurement.
    await sleep(options.settleMs + options.idleMs);
    sampler?.sample();
    sampler?.markCpu('end');
    sampler?.stop();
    const tEnd = performance.now();

    // ---- report ----
    const loadSeconds = (tLoadEnd - tLoad) / 1000;
    const failed = records.filter((r) => r.code !== undefined);
    console.log();
    console.log(`== run ==`);
    console.log(
      `total ${loadSeconds.toFixed(1)} s for ${records.length} queries: ${(records.length / loadSeconds).toFixed(1)} queries/s, ` +
        `${failed.length} errors` +
        (warmupRecords.some((r) => r.code)
          ? ` (+${warmupRecords.filter((r) => r.code).length} in warm-up)`
          : ''),
    );

    console.log();
    console.log(`== latency, ms (successful queries; "alone" = last warm-up run, one query at a time) ==`);
    const whileLong = shortWhileLong(records);
    const classRows = [
      ['short', records.filter((r) => r.class === 'short')],
      ['short while a long query ran', whileLong],
      ['long', records.filter((r) => r.class === 'long')],
      ['all', records],
    ] as const;
    const rows: string[][] = classRows.map(([label, rs]) => [
      label,
      '',
      ...summaryCells(summarize(rs.filter((r) => r.code === undefined).map(latencyOf))),
      String(rs.filter((r) => r.code !== undefined).length),
    ]);
    for (const s of summariesBy(
      records,
      (r) => r.name,
      allQueries.map((q) => q.name),
    )) {
      const q = allQueries.find((x) => x.name === s.key);
      const alone = aloneMs.get(s.key);
      rows.push([
        `  ${q?.class === 'long' ? 'L' : 'S'} ${s.key}`,
        alone === undefined ? 'n/a' : ms(alone),
        ...summaryCells(s.summary),
        String(s.errors),
      ]);
    }
    console.log(formatTable(['class / query', 'alone', 'count', 'p50', 'p99', 'max', 'errors'], rows));

    console.log(
      `where the time went (the service's Server-Timing: planning, admission queue, until the first batch):`,
    );
    const phaseRows: string[][] = [];
    for (const [label, rs] of classRows) {
      for (const phase of ['plan', 'queue', 'first-batch']) {
        const values = rs.flatMap((r) => (r.phases?.[phase] === undefined ? [] : [r.phases[phase]]));
        if (values.length === 0) continue;
        const s = summarize(values);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        phaseRows.push([`${label}: ${phase}`, ms(mean), ms(s.p50), ms(s.p99), ms(s.max)]);
      }
    }
    console.log(formatTable(['class: phase', 'mean', 'p50', 'p99', 'max'], phaseRows));

    const slowest = records
      .filter((r) => r.class === 'short')
      .sort((a, b) => latencyOf(b) - latencyOf(a))
      .slice(0, 5);
    if (slowest.length > 0) {
      console.log(`slowest short queries:`);
      for (const r of slowest) {
        const longRunning = records.filter(
          (l) => l.class === 'long' && l.start < r.end && l.end > r.start,
        ).length;
        console.log(
          `  ${ms(latencyOf(r))} ms  ${r.name}  (sent at +${((r.start - tLoad) / 1000).toFixed(1)} s, overlapped ${longRunning} long queries${r.code ? `, ${r.code}` : ''})`,
        );
      }
    }

    console.log();
    console.log(`== errors by code ==`);
    const errors = errorsByCode([...warmupRecords, ...records]);
    if (errors.length === 0) console.log('none');
    for (const e of errors) console.log(`  ${e.code}: ${e.count}  e.g. ${e.example.slice(0, 300)}`);

    const mismatches = options.check ? records.filter((r) => r.mismatch).length : undefined;
    if (options.check) {
      console.log();
      console.log(`== answers ==`);
      console.log(
        `${runner.checkedAnswers} answers compared with their query's first answer: ${mismatches} differ` +
          (runner.mismatchExamples.size > 0 ? ':' : ''),
      );
      for (const [name, example] of runner.mismatchExamples) console.log(`  ${name}: ${example}`);
    }

    console.log();
    console.log(`== health probe (GET /api/v1/health every 200 ms during the load) ==`);
    const h = summarize(health.latencies);
    const failures = [...health.failures.entries()].map(([k, n]) => `${k} ×${n}`).join(', ');
    console.log(
      `${h.count} answered: p50 ${ms(h.p50)} ms, p99 ${ms(h.p99)} ms, max ${ms(h.max)} ms; failed: ${failures || 'none'}`,
    );

    let coordinatorEndPct: number | undefined;
    if (sampler) {
      console.log();
      console.log(
        `== resident memory, MB (start: before the warm-up; end: after ${options.settleMs} ms settle + ${options.idleMs} ms idle) ==`,
      );
      const memoryRows: string[][] = [];
      for (const p of sampler.processes()) {
        const all = memoryWindow(p.samples, tStart, tEnd);
        const warm = memoryWindow(p.samples, tWarm, tWarm);
        if (!all) continue;
        const pct = (all.end / all.start) * 100;
        if (p.role === 'coordinator') coordinatorEndPct = pct;
        const cpu = sampler.cpuSecondsBetween(p.pid, 'warm', 'loaded');
        memoryRows.push([
          `${p.label}${p.goneAt !== undefined ? ' (exited)' : ''}`,
          String(p.pid),
          mb(all.start),
          mb(warm?.start),
          mb(all.peak),
          mb(all.end),
          `${pct.toFixed(0)}%`,
          cpu === undefined ? 'n/a' : cpu.toFixed(1),
        ]);
      }
      console.log(
        formatTable(
          ['process', 'pid', 'start', 'after warm-up', 'peak', 'end', 'end/start', 'CPU s in load'],
          memoryRows,
        ),
      );
      console.log(`over the run (start … end, 10 steps):`);
      for (const p of sampler.processes()) {
        const steps = Array.from({ length: 11 }, (_, i) => tStart + ((tEnd - tStart) * i) / 10);
        const values = steps.map((t) => memoryWindow(p.samples, t, t)?.start);
        console.log(`  ${p.label.padEnd(12)} ${values.map(mb).join(' ')}`);
      }
      const later = sampler
        .processes()
        .filter((p) => p.role === 'executor' && (p.samples[0]?.t ?? 0) > tStart);
      for (const p of later)
        console.log(`  note: ${p.label} (pid ${p.pid}) appeared during the run: a restart`);
    }

    if (service) {
      const log = summarizeServiceLog(service.output().slice(logOffset));
      const logged = [...log.errorsByCode.entries()].map(([code, n]) => `${code} ×${n}`).join(', ');
      console.log();
      console.log(`== coordinator output from the warm-up on ==`);
      console.log(
        `executor re-registrations ${log.registrations} (after a heartbeat failed or took over 3 s), ` +
          `executors lost ${log.lost}, executor restarts ${log.executorExits}, logged errors: ${logged || 'none'}`,
      );
      for (const w of log.warnings) console.log(`  ${w.slice(0, 200)}`);
    }

    console.log();
    console.log(
      `== CPU during the load (${availableParallelism()} cores, shared with whatever else runs here) ==`,
    );
    const tributaryCpu = (sampler?.processes() ?? []).map(
      (p) => sampler?.cpuSecondsBetween(p.pid, 'warm', 'loaded') ?? 0,
    );
    const tributarySeconds = tributaryCpu.reduce((a, b) => a + b, 0);
    if (machineBefore && machineAfter) {
      const busy = (machineAfter.busyTicks - machineBefore.busyTicks) / 100;
      const capacity = loadSeconds * availableParallelism();
      console.log(
        `machine busy ${busy.toFixed(1)} of ${capacity.toFixed(1)} CPU-s (${((busy / capacity) * 100).toFixed(0)}%): ` +
          `Tributary ${sampler ? tributarySeconds.toFixed(1) : 'n/a'}, load generator ${ownCpuSeconds.toFixed(1)}, ` +
          `other processes ${sampler ? Math.max(0, busy - tributarySeconds - ownCpuSeconds).toFixed(1) : 'n/a'}`,
      );
    } else console.log(`load generator ${ownCpuSeconds.toFixed(1)} CPU-s (no /proc/stat)`);
    const lag = {
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    };
    console.log(
      `load generator's own event-loop delay during the load: p99 ${ms(lag.p99)} ms, max ${ms(lag.max)} ms (part of every latency above)`,
    );

    console.log();
    console.log(`== targets ==`);
    const shortWhileLongP99 = summarize(whileLong.filter((r) => r.code === undefined).map(latencyOf)).p99;
    for (const t of evaluateTargets({
      errors: failed.length + warmupRecords.filter((r) => r.code).length,
      mismatches,
      shortP99WhileLongMs: shortWhileLongP99,
      coordinatorEndPctOfStart: coordinatorEndPct,
    })) {
      const verdict = t.met === undefined ? 'n/a   ' : t.met ? 'met   ' : 'MISSED';
      console.log(`  ${verdict} ${t.target}: ${t.actual}`);
    }

    if (options.out) {
      writeFileSync(
        options.out,
        JSON.stringify(
          {
            options,
            times: { tStart, tWarm, tLoad, tLoadEnd, tEnd },
            warmup: warmupRecords,
            records,
            health: { latencies: health.latencies, failures: Object.fromEntries(health.failures) },
            memory: sampler?.processes() ?? [],
          },
          null,
          1,
        ),
      );
      console.log(`\nraw measurements written to ${options.out}`);
    }
  } finally {
    const stopped = await service?.dispose();
    if (stopped?.forced) console.log(`warning: Tributary needed SIGKILL to stop (${stopped.elapsedMs} ms)`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
