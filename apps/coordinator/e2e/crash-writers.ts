import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { tpchRoot } from './harness.ts';
import {
  folderKey,
  grantKey,
  jobKey,
  sourceKey,
  spaceKey,
  viewKey,
  viewValue,
  type FactChange,
  type Facts,
} from './crash-model.ts';

/** A seeded generator (mulberry32): the same seed gives the same kill moments and operations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Answer {
  readonly status: number;
  readonly text: string;
  /** The job the answer names (x-tributary-job-id, or a polled job's id). */
  readonly jobId?: string;
  /** The job was reported COMPLETED to the client. */
  readonly jobCompleted?: boolean;
}

/** One request a writer makes, and the facts it changes when it is answered 2xx. */
export interface Operation {
  readonly what: string;
  readonly changes: readonly FactChange[];
  readonly send: () => Promise<Answer>;
}

/** Talks to the coordinator of the moment as the admin. */
export interface Endpoint {
  readonly url: () => string;
  readonly token: () => string;
}

export const GRANTEE = 'bob';
/** The source every view reads and grants are toggled on; registered once, never removed. */
export const BASE_SOURCE = 'base';
/** A space the grants writer toggles grants on. */
export const GRANT_SPACE = 'gs';
export const CSV001 = path.join(tpchRoot, 'sf0.01', 'csv');
/** TPC-H has 8 tables, in every format. */
export const TPCH_TABLES = '8 tables';

/** Folders the sources writer registers: TPC-H's nation and region, as CSV and as Parquet. */
export interface SmallSources {
  readonly csv: string;
  readonly parquet: string;
}

/** Copies nation and region under `root` (small: registering them takes little time). */
export function writeSmallSources(root: string): SmallSources {
  const folders = { csv: path.join(root, 'csv'), parquet: path.join(root, 'parquet') };
  for (const format of ['csv', 'parquet'] as const) {
    mkdirSync(folders[format], { recursive: true });
    for (const table of ['nation', 'region'])
      copyFileSync(
        path.join(tpchRoot, 'sf0.01', format, `${table}.${format}`),
        path.join(folders[format], `${table}.${format}`),
      );
  }
  return folders;
}
const SMALL_TABLES = '2 tables';

const VIEW_V1 = { sql: `SELECT n_name FROM ${BASE_SOURCE}.nation`, columns: ['n_name'] };
const VIEW_V2 = {
  sql: `SELECT n_name, n_regionkey FROM ${BASE_SOURCE}.nation WHERE n_nationkey < 10`,
  columns: ['n_name', 'n_regionkey'],
};

export async function call(
  endpoint: Endpoint,
  method: string,
  route: string,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(`${endpoint.url()}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${endpoint.token()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  // Read to the end: a result cut off mid-way throws here, so it never counts as answered.
  const text = await response.text();
  const jobId = response.headers.get('x-tributary-job-id') ?? undefined;
  return { status: response.status, text, ...(jobId ? { jobId, jobCompleted: response.ok } : {}) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs SQL as a background job and polls it to its end: COMPLETED is what the client is told. */
async function backgroundSql(endpoint: Endpoint, sql: string): Promise<Answer> {
  const submitted = await call(endpoint, 'POST', '/api/v1/jobs', { sql });
  if (submitted.status !== 201) return submitted;
  const { id } = JSON.parse(submitted.text) as { id: string };
  for (;;) {
    const polled = await call(endpoint, 'GET', `/api/v1/jobs/${id}`);
    if (polled.status !== 200) return polled;
    const { state } = JSON.parse(polled.text) as { state: string };
    if (state === 'COMPLETED') return { status: 200, text: polled.text, jobId: id, jobCompleted: true };
    if (state === 'FAILED' || state === 'CANCELED') return { status: 500, text: polled.text, jobId: id };
    await sleep(20);
  }
}

/** SQL sent synchronously or as a background job, as `random` picks. */
function sqlOperation(
  endpoint: Endpoint,
  random: () => number,
  sql: string,
  changes: FactChange[],
): Operation {
  // GRANT and REVOKE run in POST /api/v1/sql only, not as jobs (routes/query-routes.ts).
  const background = random() < 0.4 && !/^(GRANT|REVOKE)\b/.test(sql);
  return {
    what: `${background ? 'job' : 'sql'}: ${sql}`,
    changes,
    send: () => (background ? backgroundSql(endpoint, sql) : call(endpoint, 'POST', '/api/v1/sql', { sql })),
  };
}

/** A writer picks its next operation from the facts as they stand (its own objects only). */
export type Writer = (facts: Facts) => Operation;

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** REST: registers a source, grants on it, removes it (its grants must go with it). */
export function restSources(
  endpoint: Endpoint,
  random: () => number,
  names: readonly string[],
  folders: SmallSources,
): Writer {
  return (facts) => {
    const name = pick(random, names);
    const grant = grantKey('source', [name], GRANTEE, 'SELECT');
    if (!facts.has(sourceKey(name))) {
      const parquet = random() < 0.5;
      return {
        what: `register source ${name}`,
        changes: [{ key: sourceKey(name), value: SMALL_TABLES }],
        send: () =>
          call(endpoint, 'POST', '/api/v1/sources', {
            name,
            type: parquet ? 'parquet' : 'csv',
            path: parquet ? folders.parquet : folders.csv,
          }),
      };
    }
    if (!facts.has(grant))
      return {
        what: `grant SELECT on source ${name}`,
        changes: [{ key: grant, value: 'granted' }],
        send: () =>
          call(endpoint, 'POST', '/api/v1/grants', {
            privileges: ['SELECT'],
            object: { kind: 'source', path: [name] },
            grantee: GRANTEE,
          }),
      };
    return {
      what: `remove source ${name}`,
      changes: [
        { key: sourceKey(name), value: undefined },
        { key: grant, value: undefined },
      ],
      send: () => call(endpoint, 'DELETE', `/api/v1/sources/${name}`),
    };
  };
}

/** What a space holds in the namespace writers' cycle: a folder `f` and a view `f.v`. */
function spaceContents(space: string) {
  const folder = [space, 'f'];
  const view = [space, 'f', 'v'];
  return {
    folder,
    view,
    grant: grantKey('view', view, GRANTEE, 'SELECT'),
    everything: [
      spaceKey(space),
      folderKey(folder),
      viewKey(view),
      grantKey('view', view, GRANTEE, 'SELECT'),
    ],
  };
}

/** REST: a space, its folder, a view in it, the view replaced, a grant on it, the space removed. */
export function restNamespace(endpoint: Endpoint, random: () => number, spaces: readonly string[]): Writer {
  return (facts) => {
    const space = pick(random, spaces);
    const { folder, view, grant, everything } = spaceContents(space);
    const current = facts.get(viewKey(view));
    if (!facts.has(spaceKey(space)))
      return {
        what: `create space ${space}`,
        changes: [{ key: spaceKey(space), value: 'space' }],
        send: () => call(endpoint, 'POST', '/api/v1/spaces', { name: space }),
      };
    if (!facts.has(folderKey(folder)))
      return {
        what: `create folder ${folder.join('.')}`,
        changes: [{ key: folderKey(folder), value: 'folder' }],
        send: () => call(endpoint, 'POST', '/api/v1/folders', { path: folder }),
      };
    if (current === undefined)
      return {
        what: `create view ${view.join('.')}`,
        changes: [{ key: viewKey(view), value: viewValue(VIEW_V1.sql, VIEW_V1.columns) }],
        send: () => call(endpoint, 'POST', '/api/v1/views', { path: view, sql: VIEW_V1.sql }),
      };
    if (current === viewValue(VIEW_V1.sql, VIEW_V1.columns))
      return {
        what: `replace view ${view.join('.')}`,
        changes: [{ key: viewKey(view), value: viewValue(VIEW_V2.sql, VIEW_V2.columns) }],
        send: () => call(endpoint, 'PUT', `/api/v1/views/${view.join('/')}`, { sql: VIEW_V2.sql }),
      };
    if (!facts.has(grant))
      return {
        what: `grant SELECT on view ${view.join('.')}`,
        changes: [{ key: grant, value: 'granted' }],
        send: () =>
          call(endpoint, 'POST', '/api/v1/grants', {
            privileges: ['SELECT'],
            object: { kind: 'view', path: view },
            grantee: GRANTEE,
          }),
      };
    return {
      what: `remove space ${space} with all it holds`,
      changes: everything.map((key) => ({ key, value: undefined })),
      send: () => call(endpoint, 'DELETE', `/api/v1/spaces/${space}?force=true`),
    };
  };
}

/** SQL: the same cycle as restNamespace with CREATE/GRANT/REVOKE/DROP, sync or as jobs. */
export function sqlNamespace(endpoint: Endpoint, random: () => number, spaces: readonly string[]): Writer {
  return (facts) => {
    const space = pick(random, spaces);
    const { folder, view, grant, everything } = spaceContents(space);
    const current = facts.get(viewKey(view));
    const run = (sql: string, changes: FactChange[]) => sqlOperation(endpoint, random, sql, changes);
    if (!facts.has(spaceKey(space)))
      return run(`CREATE SPACE ${space}`, [{ key: spaceKey(space), value: 'space' }]);
    if (!facts.has(folderKey(folder)))
      return run(`CREATE FOLDER ${folder.join('.')}`, [{ key: folderKey(folder), value: 'folder' }]);
    if (current === undefined)
      return run(`CREATE VIEW ${view.join('.')} AS ${VIEW_V1.sql}`, [
        { key: viewKey(view), value: viewValue(VIEW_V1.sql, VIEW_V1.columns) },
      ]);
    if (!facts.has(grant) && current === viewValue(VIEW_V1.sql, VIEW_V1.columns))
      return run(`GRANT SELECT ON VIEW ${view.join('.')} TO USER ${GRANTEE}`, [
        { key: grant, value: 'granted' },
      ]);
    if (current === viewValue(VIEW_V1.sql, VIEW_V1.columns))
      return run(`CREATE OR REPLACE VIEW ${view.join('.')} AS ${VIEW_V2.sql}`, [
        { key: viewKey(view), value: viewValue(VIEW_V2.sql, VIEW_V2.columns) },
      ]);
    if (facts.has(grant))
      return run(`REVOKE SELECT ON VIEW ${view.join('.')} FROM USER ${GRANTEE}`, [
        { key: grant, value: undefined },
      ]);
    if (random() < 0.5)
      return run(`DROP VIEW ${view.join('.')}`, [
        { key: viewKey(view), value: undefined },
        { key: grant, value: undefined },
      ]);
    return run(
      `DROP SPACE ${space} CASCADE`,
      everything.map((key) => ({ key, value: undefined })),
    );
  };
}

const PRIVILEGES = ['SELECT', 'ALTER', 'MANAGE'] as const;

/** Grants and revokes on the base source and a space, over REST or SQL. */
export function grantToggler(endpoint: Endpoint, random: () => number): Writer {
  return (facts) => {
    const kind = random() < 0.5 ? 'source' : 'space';
    const object = kind === 'source' ? BASE_SOURCE : GRANT_SPACE;
    const privilege = pick(random, PRIVILEGES);
    const key = grantKey(kind, [object], GRANTEE, privilege);
    const revoke = facts.has(key);
    const changes = [{ key, value: revoke ? undefined : 'granted' }];
    if (random() < 0.5)
      return sqlOperation(
        endpoint,
        random,
        revoke
          ? `REVOKE ${privilege} ON ${kind.toUpperCase()} ${object} FROM USER ${GRANTEE}`
          : `GRANT ${privilege} ON ${kind.toUpperCase()} ${object} TO USER ${GRANTEE}`,
        changes,
      );
    return {
      what: `${revoke ? 'revoke' : 'grant'} ${privilege} on ${kind} ${object} (REST)`,
      changes,
      send: () =>
        call(endpoint, revoke ? 'DELETE' : 'POST', '/api/v1/grants', {
          privileges: [privilege],
          object: { kind, path: [object] },
          grantee: GRANTEE,
        }),
    };
  };
}

/** Queries that run on the executor: only their jobs' states are facts (told COMPLETED). */
export function queries(endpoint: Endpoint, random: () => number): Writer {
  return () =>
    sqlOperation(
      endpoint,
      random,
      `SELECT COUNT(*) AS n FROM ${BASE_SOURCE}.nation WHERE n_regionkey < 3`,
      [],
    );
}

/** The job fact an answer adds: a job the client was told COMPLETED stays COMPLETED. */
export function jobFact(answer: Answer): FactChange | undefined {
  return answer.jobId !== undefined && answer.jobCompleted === true
    ? { key: jobKey(answer.jobId), value: 'COMPLETED' }
    : undefined;
}
