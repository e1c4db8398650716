import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from './cluster-harness.ts';
import {
  compareWithModel,
  readCatalog,
  sourceKey,
  spaceKey,
  type Facts,
  type UnansweredChange,
} from './crash-model.ts';
import {
  BASE_SOURCE,
  CSV001,
  GRANTEE,
  GRANT_SPACE,
  TPCH_TABLES,
  call,
  grantToggler,
  jobFact,
  queries,
  restNamespace,
  restSources,
  seededRandom,
  sqlNamespace,
  type Endpoint,
  type Writer,
  writeSmallSources,
} from './crash-writers.ts';
import { TributaryProcess, dataRoot, type Health } from './harness.ts';

/**
 * Issue 8's crash and restart tests, on one data dir.
 *
 * The crash test SIGKILLs the coordinator (only it: its embedded executor must notice and exit
 * by itself) KILLS times, each at a moment drawn from a seeded generator, while writers change
 * sources, spaces, folders, views and grants over REST and SQL (synchronously and as
 * background jobs), with auth on, and queries run. After each restart on the same data dir the
 * catalog file must pass `PRAGMA integrity_check`, hold every change whose request was
 * answered 2xx (a removal: be gone), hold each unanswered change wholly or not at all, hold no
 * grant on a missing object, and keep COMPLETED every job a client was told COMPLETED; and no
 * process of the killed coordinator may outlive it.
 *
 * The restart test then stops the service with SIGTERM while a job runs and checks that
 * sources, views, users, grants and job history are there after the restart, and the running
 * job FAILED with a reason.
 *
 * Replay a failure with the seed it prints: TRIBUTARY_CRASH_SEED=<seed>.
 */
const KILLS = Number(process.env.TRIBUTARY_CRASH_KILLS ?? 20);
const SEED = Number(process.env.TRIBUTARY_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The kill comes this long after the moment it counts from (see the round loop), drawn uniformly. */
const KILL_AFTER_MS = { min: 50, max: 2_500 };
/** Writers whose requests wait for the planner thread (SQL, source discovery). */
const PLANNED_WRITERS = ['rest-sources', 'sql-namespace'];
const ADMIN = { userName: 'admin', password: 'crash-test-admin-pw' };
const GRANTEE_PASSWORD = 'crash-test-bob-pw';

/** The processes in `group` (the coordinator's process group: it and its executors). */
function processGroup(group: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === group && fields[0] !== 'Z') members.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return members;
}

describe('crash and restart (issue 8)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-crash-'));
  const scratch = mkdtempSync(path.join(tmpdir(), 'tributary-crash-sources-'));
  const small = writeSmallSources(scratch);
  /** The coordinator of the moment, and the next one, loaded and held at its start gate. */
  let service: TributaryProcess | undefined;
  let next: TributaryProcess | undefined;
  let token = '';
  const endpoint: Endpoint = { url: () => service?.url ?? 'http://127.0.0.1:1', token: () => token };
  /** What the clients were told, as facts. */
  let expected: Facts = new Map();
  /** Every coordinator pid killed: their process groups must end empty. */
  const killedGroups: number[] = [];
  const timings: { restartMs: number[]; orphanGoneMs: number[] } = { restartMs: [], orphanGoneMs: [] };

  /** Each coordinator process of the test: same data dir, its own start gate. */
  const generation = (n: number) =>
    new TributaryProcess({
      dataDir,
      startGate: path.join(dataDir, `start-gate-${n}`),
      // Ready as soon as it answers: the writers need no executor, and a kill may come while
      // the embedded one still starts (which it must survive without becoming an orphan).
      executors: 0,
      sourceRoots: [dataRoot, scratch],
      env: {
        TRIBUTARY_EXECUTORS: '1',
        TRIBUTARY_EXECUTOR_THREADS: '1',
        TRIBUTARY_PLANNER_THREADS: '1',
        TRIBUTARY_HEARTBEAT_INTERVAL_MS: '300',
        TRIBUTARY_AUTH: 'on',
        TRIBUTARY_ADMIN_USER: ADMIN.userName,
        TRIBUTARY_ADMIN_PASSWORD: ADMIN.password,
        TRIBUTARY_RATE_LIMIT_PER_MINUTE: '1000000',
        TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '0',
      },
    });

  beforeAll(async () => {
    console.log(`crash test seed ${SEED} (replay: TRIBUTARY_CRASH_SEED=${SEED})`);
    service = generation(0);
    await service.start();
    const login = await fetch(`${endpoint.url()}/apiv2/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { token: string }).token;
    const setup = [
      await call(endpoint, 'POST', '/api/v1/users', {
        name: GRANTEE,
        password: GRANTEE_PASSWORD,
        role: 'user',
      }),
      await call(endpoint, 'POST', '/api/v1/sources', { name: BASE_SOURCE, type: 'csv', path: CSV001 }),
      await call(endpoint, 'POST', '/api/v1/spaces', { name: GRANT_SPACE }),
    ];
    for (const answer of setup) expect(answer.status, answer.text).toBeLessThan(300);
    expected = new Map([
      [sourceKey(BASE_SOURCE), TPCH_TABLES],
      [spaceKey(GRANT_SPACE), 'space'],
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const coordinator of [service, next])
      if (coordinator?.pid !== undefined) killedGroups.push(coordinator.pid);
    await next?.stop();
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    // Whatever failed, nothing of ours may stay behind.
    for (const group of killedGroups)
      for (const pid of processGroup(group))
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
  });

  it(`keeps every answered change through ${KILLS} SIGKILLs at random moments, and nothing half-done`, async () => {
    const random = seededRandom(SEED);
    const writerRandom = (n: number) => seededRandom(SEED * 31 + n);
    const writers: { name: string; choose: Writer }[] = [
      { name: 'rest-sources', choose: restSources(endpoint, writerRandom(1), ['rs_a', 'rs_b'], small) },
      { name: 'rest-namespace', choose: restNamespace(endpoint, writerRandom(2), ['ns_a', 'ns_b']) },
      { name: 'sql-namespace', choose: sqlNamespace(endpoint, writerRandom(3), ['sq_a', 'sq_b']) },
      { name: 'grants', choose: grantToggler(endpoint, writerRandom(4)) },
      { name: 'queries', choose: queries(endpoint, writerRandom(5)) },
    ];
    const failures: string[] = [];
    let answered = 0;
    const answeredBy = new Map<string, number>();
    let unansweredTotal = 0;

    for (let round = 0; round < KILLS; round++) {
      const killAfter = KILL_AFTER_MS.min + Math.floor(random() * (KILL_AFTER_MS.max - KILL_AFTER_MS.min));
      // A third of the kills land in start-up (counted from the first answer to health), the
      // rest once statements are planned (counted from the moment each writer that needs the
      // planner thread got an answer), so every writer gets answers as well as cut-off requests.
      const duringStartUp = random() < 1 / 3;
      const waiting = new Set(PLANNED_WRITERS);
      let plannerAnswered: () => void = () => undefined;
      const plannerWarm = new Promise<void>((resolve) => (plannerAnswered = resolve));
      let killed = false;
      const unanswered: UnansweredChange[] = [];
      const runWriter = async ({ name, choose }: { name: string; choose: Writer }) => {
        while (!killed) {
          const op = choose(expected);
          const before = op.changes.map((c) => expected.get(c.key));
          let answer;
          try {
            answer = await op.send();
          } catch (error) {
            if (killed) {
              if (op.changes.length > 0)
                unanswered.push({ what: `${name}: ${op.what}`, changes: op.changes, before });
              return;
            }
            // Not killed by us: the coordinator died or stopped listening by itself; its output says why.
            const why = error instanceof Error ? `${error.message} (${String(error.cause)})` : String(error);
            throw new Error(
              `round ${round}, ${name}: ${op.what} failed before the kill: ${why}; seed ${SEED}\n` +
                `--- coordinator ${service?.pid} output (last 4,000 characters) ---\n` +
                `${service?.output().slice(-4_000)}\n--- end ---`,
            );
          }
          if (answer.status >= 300) {
            failures.push(
              `round ${round}, ${name}: ${op.what} answered ${answer.status}: ${answer.text.slice(0, 300)}`,
            );
            return;
          }
          answered++;
          answeredBy.set(name, (answeredBy.get(name) ?? 0) + 1);
          if (waiting.delete(name) && waiting.size === 0) plannerAnswered();
          for (const c of op.changes) {
            if (c.value === undefined) expected.delete(c.key);
            else expected.set(c.key, c.value);
          }
          const job = jobFact(answer);
          if (job?.value) expected.set(job.key, job.value);
        }
      };
      const running = Promise.all(writers.map(runWriter));
      // The next coordinator loads its code meanwhile (start-gate.ts): a restart then costs what
      // start-up does with the data dir, not seconds of module loading.
      next ??= generation(round + 1);
      if (next.pid === undefined) await next.launch();
      if (!duringStartUp) await Promise.race([plannerWarm, sleep(60_000)]);
      await sleep(killAfter);

      const coordinator = service!.pid!;
      const group = processGroup(coordinator).filter((pid) => pid !== coordinator);
      killed = true;
      process.kill(coordinator, 'SIGKILL');
      killedGroups.push(coordinator);
      await running;
      await service!.stop();
      unansweredTotal += unanswered.length;
      expect(failures, `seed ${SEED}`).toEqual([]);
      const restarted = performance.now();
      const successor = next;
      next = undefined;
      successor.openGate();
      service = successor;
      const [orphanGoneMs] = await Promise.all([
        // The embedded executor (started or still starting) exits by itself: no orphan piles up.
        waitFor(
          `the executors of killed coordinator ${coordinator} (${group.join(', ')}) to exit`,
          () => processGroup(coordinator).length === 0,
          30_000,
        ),
        successor.ready().then(() => timings.restartMs.push(Math.round(performance.now() - restarted))),
      ]);
      timings.orphanGoneMs.push(orphanGoneMs);

      const jobIds = [...expected.keys()].filter((k) => k.startsWith('job:')).map((k) => k.slice(4));
      const reading = readCatalog(service!.dataDir, jobIds);
      expect(reading.integrity, `round ${round}, seed ${SEED}`).toBe('ok');
      expect(reading.orphanRows, `round ${round}, seed ${SEED}`).toBe(0);
      // Jobs a killed coordinator left going were failed at start, before any query.
      expect(reading.activeJobs, `round ${round}, seed ${SEED}`).toBe(0);
      const { problems, settled } = compareWithModel(expected, unanswered, reading.facts);
      const moment = `${killAfter} ms after ${duringStartUp ? 'health answered' : 'the planner answered'}`;
      expect(problems, `round ${round} (killed ${moment}), seed ${SEED}`).toEqual([]);
      expected = settled;
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(
      `crash test: ${KILLS} kills, ${answered} answered changes and queries, ${unansweredTotal} unanswered; ` +
        `restart median ${median(timings.restartMs)} ms, executors gone after the kill in median ` +
        `${median(timings.orphanGoneMs)} ms (max ${Math.max(...timings.orphanGoneMs)} ms); answered by writer: ` +
        JSON.stringify(Object.fromEntries(answeredBy)) +
        `; jobs told COMPLETED: ${[...expected.keys()].filter((k) => k.startsWith('job:')).length}`,
    );
    // The writers did write: every kind of object went through the cycle.
    expect(answered).toBeGreaterThan(KILLS * 2);
    expect(killedGroups.every((group) => processGroup(group).length === 0)).toBe(true);
  }, 600_000);

  it('keeps sources, views, users, grants and job history across a restart; a running job FAILED with a reason', async () => {
    await waitFor(
      'the executor registered',
      async () =>
        (await service!.health()).executors.some((e: Health['executors'][number]) => e.state === 'active'),
      30_000,
    );
    // Something of each kind, whatever the crash test left.
    const setup = [
      await call(endpoint, 'POST', '/api/v1/sql', { sql: 'CREATE SPACE IF NOT EXISTS kept' }),
      await call(endpoint, 'POST', '/api/v1/sql', {
        sql: `CREATE OR REPLACE VIEW kept.nations AS SELECT n_nationkey, n_name FROM ${BASE_SOURCE}.nation`,
      }),
      await call(endpoint, 'POST', '/api/v1/grants', {
        privileges: ['SELECT'],
        object: { kind: 'view', path: ['kept', 'nations'] },
        grantee: GRANTEE,
      }),
    ];
    for (const answer of setup) expect(answer.status, answer.text).toBe(200);
    const done = await call(endpoint, 'POST', '/api/v1/sql', {
      sql: 'SELECT COUNT(*) AS n FROM kept.nations',
    });
    expect(done.status, done.text).toBe(200);
    const heavy = await call(endpoint, 'POST', '/api/v1/jobs', {
      sql: `SELECT COUNT(*) AS n FROM ${BASE_SOURCE}.lineitem a, ${BASE_SOURCE}.lineitem b WHERE a.l_extendedprice > b.l_extendedprice + a.l_quantity`,
    });
    expect(heavy.status, heavy.text).toBe(201);
    const heavyId = (JSON.parse(heavy.text) as { id: string }).id;
    await waitFor('the heavy job running', async () => {
      const job = await call(endpoint, 'GET', `/api/v1/jobs/${heavyId}`);
      return (JSON.parse(job.text) as { state: string }).state === 'RUNNING';
    });
    const before = {
      sources: (await call(endpoint, 'GET', '/api/v1/sources')).text,
      views: (await call(endpoint, 'GET', '/api/v1/views')).text,
      grants: (await call(endpoint, 'GET', `/api/v1/grants?grantee=${GRANTEE}`)).text,
      users: (await call(endpoint, 'GET', '/api/v1/users')).text,
    };

    const stopped = await service!.restart();
    expect(stopped.forced, 'SIGTERM alone stops it').toBe(false);

    const after = {
      sources: (await call(endpoint, 'GET', '/api/v1/sources')).text,
      views: (await call(endpoint, 'GET', '/api/v1/views')).text,
      grants: (await call(endpoint, 'GET', `/api/v1/grants?grantee=${GRANTEE}`)).text,
      users: (await call(endpoint, 'GET', '/api/v1/users')).text,
    };
    expect(JSON.parse(after.sources)).toEqual(JSON.parse(before.sources));
    expect(JSON.parse(after.views)).toEqual(JSON.parse(before.views));
    expect(JSON.parse(after.users)).toEqual(JSON.parse(before.users));
    const grants = JSON.parse(after.grants) as { grants: { objectPath: string[] }[] };
    expect(grants).toEqual(JSON.parse(before.grants));
    expect(grants.grants.map((g) => g.objectPath.join('.'))).toContain('kept.nations');

    // The user and their grant still work: bob signs in and reads the view granted to him.
    const bobLogin = await fetch(`${endpoint.url()}/apiv2/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userName: GRANTEE, password: GRANTEE_PASSWORD }),
    });
    expect(bobLogin.status).toBe(200);
    const bobToken = ((await bobLogin.json()) as { token: string }).token;
    const bob: Endpoint = { url: endpoint.url, token: () => bobToken };
    await waitFor(
      'the executor registered again',
      async () => (await service!.health()).executors.some((e) => e.state === 'active'),
      30_000,
    );
    const read = await call(bob, 'POST', '/api/v1/sql', { sql: 'SELECT COUNT(*) AS n FROM kept.nations' });
    expect(read.status, read.text).toBe(200);
    expect((JSON.parse(read.text) as { rows: string[][] }).rows).toEqual([['25']]);

    // Job history: the finished job as it ended, the running one FAILED with the reason.
    const finished = JSON.parse((await call(endpoint, 'GET', `/api/v1/jobs/${done.jobId}`)).text) as Record<
      string,
      unknown
    >;
    expect(finished).toMatchObject({
      state: 'COMPLETED',
      rowCount: 1,
      sql: 'SELECT COUNT(*) AS n FROM kept.nations',
    });
    const failed = JSON.parse((await call(endpoint, 'GET', `/api/v1/jobs/${heavyId}`)).text) as Record<
      string,
      unknown
    >;
    expect(failed).toMatchObject({ state: 'FAILED', errorCode: 'COORDINATOR_RESTARTED' });
    expect(String(failed.errorMessage)).toMatch(/coordinator stopped while the query ran \(state RUNNING\)/);
    // And the jobs the crash test's clients were told COMPLETED are still listed so.
    const told = [...expected.keys()].filter((k) => k.startsWith('job:'));
    const reading = readCatalog(
      service!.dataDir,
      told.map((k) => k.slice(4)),
    );
    for (const key of told) expect(reading.facts.get(key), key).toBe('COMPLETED');
  }, 120_000);
});
