import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** /work/main: the e2e folder sits at apps/coordinator/e2e. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The shared test data, outside the repository (never committed). */
export const dataRoot = path.resolve(repoRoot, '../shared/data');
export const tpchRoot = path.join(dataRoot, 'tpch');

export interface StartOptions {
  /** Executor processes to start (TRIBUTARY_EXECUTORS); 2 by default. */
  executors?: number;
  /** Reuse a data dir (restarts); a fresh temp dir otherwise, removed by stop({ removeDataDir }). */
  dataDir?: string;
  /** Folders sources may live in; the shared data folder by default. */
  sourceRoots?: string[];
  /** Register the demo source; false by default so tests see only their own sources. */
  demo?: boolean;
  /** pg-wire port; 0 (a free one, read it from `pgPort`) by default. */
  pgPort?: number;
  /** Extra environment. */
  env?: Record<string, string>;
  /** How long to wait for health with all executors active. */
  readyTimeoutMs?: number;
  /** The script to run, relative to the repository; the coordinator's main by default (tests of the harness swap it). */
  entry?: string;
  /**
   * A file that does not exist yet: the process launched loads its code, then waits until
   * openGate() creates it before it opens the data dir (TRIBUTARY_START_GATE, start-gate.ts),
   * so a test can have the next coordinator loaded while the current one still runs.
   */
  startGate?: string;
  /**
   * A limit on the size of every file the processes write (RLIMIT_FSIZE, set by util-linux
   * prlimit, which then runs the coordinator): a write past it fails with EFBIG (Node ignores
   * SIGXFSZ), a real failing-disk condition for tests of write failures.
   */
  fileSizeLimitBytes?: number;
}

export interface ExecutorHealth {
  id: string;
  url: string;
  state: string;
  lastHeartbeat: string | number;
  pid: number;
}

export interface Health {
  status: string;
  executors: ExecutorHealth[];
}

export interface StopResult {
  /** Milliseconds from SIGTERM to exit. */
  elapsedMs: number;
  /** True when SIGTERM was not enough and the process group had to be SIGKILLed. */
  forced: boolean;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when `pid` is alive and runs code from this repository (so a reused pid is never touched). */
function isOurProcess(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return cmdline.includes('tributary') || cmdline.includes(repoRoot) || cmdline.includes('executor');
  } catch {
    return false;
  }
}

/** True when `pid` is a child of `parent` or in its process group: only those count as its executors. */
function belongsTo(pid: number, parent: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(ppid) === parent || Number(pgrp) === parent;
  } catch {
    return false;
  }
}

/**
 * The HTTP port the coordinator logged it listens on, or 0 before it does. Coordinators
 * started for tests and benchmarks bind port 0 and are found through this line: a port
 * picked ahead may be taken by another process before the coordinator binds it.
 */
export function listeningPort(output: string): number {
  return Number(/listening on http:\/\/[^\s]+:(\d+) /.exec(output)?.[1] ?? 0);
}

const running = new Set<TributaryProcess>();
// A test runner that dies mid-file must not leave coordinators and executors behind.
process.once('exit', () => {
  for (const service of running) service.killNow();
});

/** One running coordinator (with its executors) started as `npm start` would. */
export class TributaryProcess {
  readonly dataDir: string;
  readonly ownsDataDir: boolean;
  private child: ChildProcess | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  private logs: string[] = [];
  private currentPort = 0;
  private lastExecutorPids: number[] = [];

  constructor(private readonly options: StartOptions) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'tributary-e2e-'));
  }

  get url(): string {
    return `http://127.0.0.1:${this.currentPort}`;
  }

  get port(): number {
    return this.currentPort;
  }

  /** The PostgreSQL wire protocol's port, as the coordinator logged it at start. */
  get pgPort(): number {
    const found = /PostgreSQL wire protocol on [^:\s]+:(\d+)/.exec(this.output());
    if (!found) throw new Error('the coordinator did not log its PostgreSQL port');
    return Number(found[1]);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  output(): string {
    return this.logs.join('');
  }

  /** Launches the process, lets it through its start gate, and waits for health. */
  async start(): Promise<void> {
    await this.launch();
    this.openGate();
    await this.ready();
  }

  /** Spawns the process; with `startGate` it loads its code, then waits for openGate(). */
  async launch(): Promise<void> {
    // Port 0, read back from the log once it listens: a port picked here and bound later can be
    // taken meanwhile (an executor binding port 0 got one, and answered our health checks).
    this.currentPort = 0;
    const pgPort = this.options.pgPort ?? 0;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TRIBUTARY_PORT: '0',
      TRIBUTARY_PG_PORT: String(pgPort),
      TRIBUTARY_DATA_DIR: this.dataDir,
      TRIBUTARY_EXECUTORS: String(this.options.executors ?? 2),
      TRIBUTARY_SOURCE_ROOTS: (this.options.sourceRoots ?? [dataRoot]).join(','),
      TRIBUTARY_DEMO: this.options.demo === true ? 'true' : 'false',
      ...(this.options.startGate === undefined ? {} : { TRIBUTARY_START_GATE: this.options.startGate }),
      ...this.options.env,
    };
    this.logs = [];
    // detached: its own process group, so a failed stop can take the executors down too.
    const node = [process.execPath, '--import', 'tsx', this.options.entry ?? 'apps/coordinator/src/main.ts'];
    const command =
      this.options.fileSizeLimitBytes === undefined
        ? node
        : ['prlimit', `--fsize=${this.options.fileSizeLimitBytes}`, ...node];
    const child = spawn(command[0], command.slice(1), {
      cwd: repoRoot,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    running.add(this);
    child.stdout?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => this.logs.push(chunk.toString('utf8')));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
      });
    });
  }

  /** Lets a process launched with `startGate` go on (creates the gate file). */
  openGate(): void {
    if (this.options.startGate !== undefined) writeFileSync(this.options.startGate, '');
  }

  /** Waits for health; a process that does not get there is stopped and its output thrown. */
  async ready(): Promise<void> {
    try {
      await this.waitReady(this.options.readyTimeoutMs ?? 60_000);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      await this.stop().catch(() => undefined);
      throw new Error(
        `Tributary did not become ready: ${why}\n--- coordinator output ---\n${this.output()}\n--- end ---`,
      );
    }
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const want = this.options.executors ?? 2;
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void this.exited?.then((e) => (exit = e));
    while (Date.now() < deadline) {
      if (exit) throw new Error(`process exited early (code ${exit.code}, signal ${exit.signal})`);
      this.currentPort ||= listeningPort(this.output());
      if (this.currentPort === 0) {
        await sleep(100);
        continue;
      }
      try {
        const response = await fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
        const text = await response.text();
        last = `${response.status} ${text.slice(0, 500)}`;
        if (response.status === 200) {
          const health = JSON.parse(text) as Health;
          const active = (health.executors ?? []).filter((e) => e.state === 'active');
          this.rememberExecutors(health);
          // Without embedded executors the service says "starting" until one registers.
          if ((health.status === 'ok' || want === 0) && active.length >= want) return;
        }
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(200);
    }
    throw new Error(`timed out after ${timeoutMs} ms; last health answer: ${last}`);
  }

  async health(): Promise<Health> {
    const response = await fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(5_000) });
    const health = (await response.json()) as Health;
    this.rememberExecutors(health);
    return health;
  }

  /** Keeps the pids of executors that are really ours, so cleanup never touches another process. */
  private rememberExecutors(health: Health): void {
    const own = this.child?.pid;
    if (own === undefined) return;
    const pids = (health.executors ?? [])
      .map((e) => e.pid)
      .filter((p) => typeof p === 'number' && belongsTo(p, own));
    this.lastExecutorPids = [...new Set([...this.lastExecutorPids.filter((p) => isOurProcess(p)), ...pids])];
  }

  /** SIGTERM, then waits up to `graceMs`; past that the whole process group is SIGKILLed. */
  async stop(graceMs = 10_000): Promise<StopResult> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited || child.pid === undefined)
      return { elapsedMs: 0, forced: false, code: null, signal: null };
    const started = Date.now();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = sleep(graceMs).then(() => undefined);
    const first = await Promise.race([exited, timer]);
    let forced = false;
    let result = first;
    if (!result) {
      forced = true;
      this.killNow();
      result = await exited;
    }
    const elapsedMs = Date.now() - started;
    this.child = undefined;
    this.exited = undefined;
    if (forced) this.killStrayExecutors();
    return { elapsedMs, forced, code: result.code, signal: result.signal };
  }

  /** Stops and starts again on the same data dir (the port changes; read `url` afterwards). */
  async restart(): Promise<StopResult> {
    const stopped = await this.stop();
    await this.start();
    return stopped;
  }

  /** Stops and removes the data dir when the harness made it. */
  async dispose(): Promise<StopResult> {
    const stopped = await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
    return stopped;
  }

  killNow(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    this.killStrayExecutors();
  }

  /** Executor pids from the last health answer that are still running Tributary code. */
  strayExecutors(): number[] {
    return this.lastExecutorPids.filter((pid) => isOurProcess(pid));
  }

  /** Executors may sit in another process group; they are ours, so none may outlive the test. */
  private killStrayExecutors(): void {
    for (const pid of this.strayExecutors()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Exited meanwhile.
      }
    }
  }
}

/** Starts a coordinator with its executors and waits until health reports them all active. */
export async function startTributary(options: StartOptions = {}): Promise<TributaryProcess> {
  const service = new TributaryProcess(options);
  await service.start();
  return service;
}
