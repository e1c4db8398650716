import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJobs, sleep, waitFor } from './cluster-harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import {
  dataRoot,
  listeningPort,
  repoRoot,
  startTributary,
  tpchRoot,
  type TributaryProcess,
} from './harness.ts';
import type { HttpAnswer } from './tributary-client.ts';

/** A join whose pairs take many seconds to count: long enough to cancel in the middle. */
const HEAVY =
  'SELECT count(*) AS n FROM tpch.lineitem a, tpch.lineitem b WHERE a.l_extendedprice > b.l_extendedprice';

const PASSWORDS = {
  root: 'root-Pa55word-e2e',
  alice: 'alice-Pa55word-e2e',
  bob: 'bob-Pa55word-e2e',
  carol: 'carol-Pa55word-e2e',
  dave: 'dave-Pa55word-e2e',
  gone: 'gone-Pa55word-e2e',
  aliceNew: 'alice-N3w-Pa55word',
};

interface Answer<T = Record<string, unknown>> extends HttpAnswer<T> {
  headers: Record<string, string>;
}

/**
 * Users and access with auth on: setup, logins, tokens, users, grants, and an authorization
 * matrix over sources, queries and jobs (no token, an expired token, a user without the
 * privilege, the owner, an admin); what responses show to whom; limits; the audit log; a
 * restart; and a grep of every response and of the logs for every secret.
 */
describe('users and access', () => {
  let service: TributaryProcess | undefined;
  let scratch: string;
  const base = () => service!.url;
  /** Every answer seen, with the index of the answers that issued a token (they may show it). */
  const answers: string[] = [];
  const secrets: { value: string; issuedBy?: number; what: string }[] = Object.entries(PASSWORDS).map(
    ([user, value]) => ({ value, what: `password of ${user}` }),
  );
  const tokens: Record<string, string> = {};
  let expired = '';
  let setupToken = '';
  const outputs: string[] = [];

  async function call<T = Record<string, unknown>>(
    method: string,
    route: string,
    options: { token?: string; body?: unknown; rawBody?: string; header?: string } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = options.header ?? `Bearer ${options.token}`;
    const payload =
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base()}${route}`, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const responseHeaders = Object.fromEntries(response.headers.entries());
    answers.push(`${method} ${route} ${response.status} ${JSON.stringify(responseHeaders)}\n${text}`);
    let body: unknown;
    try {
      body = contentType.includes('json') && text !== '' ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body: body as T, text, contentType, headers: responseHeaders };
  }

  async function login(user: keyof typeof PASSWORDS, password = PASSWORDS[user]): Promise<string> {
    const answer = await call<{ token: string }>('POST', '/apiv2/login', {
      body: { userName: user, password },
    });
    expect(answer.status, answer.text).toBe(200);
    secrets.push({ value: answer.body.token, issuedBy: answers.length - 1, what: `session of ${user}` });
    return answer.body.token;
  }

  const sql = (query: string, token?: string) => call('POST', '/api/v1/sql', { token, body: { sql: query } });

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'tributary-auth-'));
    mkdirSync(path.join(scratch, 'nation'));
    cpSync(path.join(tpchRoot, 'sf0.01', 'csv', 'nation.csv'), path.join(scratch, 'nation', 'nation.csv'));
    service = await startTributary({
      executors: 1,
      sourceRoots: [dataRoot, scratch],
      env: {
        TRIBUTARY_AUTH: 'on',
        TRIBUTARY_RATE_LIMIT_PER_MINUTE: '150',
        TRIBUTARY_MAX_REQUEST_BYTES: '65536',
      },
    });
  });

  afterAll(async () => {
    if (service) outputs.push(service.output());
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('prints a one-time setup token at first start and exchanges it for the first admin', async () => {
    const printed = [...service!.output().matchAll(/"setupToken": "(trb_[\w-]+)"/g)].map((m) => m[1]);
    expect(printed).toHaveLength(1);
    setupToken = printed[0];
    const health = await call<{ executors: Record<string, unknown>[] }>('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expectErrorBody(await call('GET', '/api/v1/sources'), 401, 'AUTH_REQUIRED');
    const body = { setupToken: 'trb_not-it', userName: 'root', password: PASSWORDS.root };
    expectErrorBody(await call('POST', '/api/v1/setup', { body }), 401, 'SETUP_TOKEN_INVALID');
    const done = await call('POST', '/api/v1/setup', { body: { ...body, setupToken } });
    expect(done.status, done.text).toBe(201);
    expect(done.body).toMatchObject({ name: 'root', role: 'admin' });
    const again = await call('POST', '/api/v1/setup', { body: { ...body, setupToken, userName: 'x' } });
    expectErrorBody(again, 409, 'SETUP_NOT_AVAILABLE');
  });

  it("signs in with Dremio's /apiv2/login and takes Bearer and _dremio tokens", async () => {
    const failed = await call('POST', '/apiv2/login', {
      body: { userName: 'root', password: 'wrong-password' },
    });
    const unknown = await call('POST', '/apiv2/login', {
      body: { userName: 'nobody', password: 'wrong-password' },
    });
    expectErrorBody(failed, 401, 'LOGIN_FAILED');
    expect(unknown.text).toBe(failed.text);
    // A password typed into the name field is not logged either (the secrets grep below).
    const misplaced = await call('POST', '/apiv2/login', {
      body: { userName: PASSWORDS.root, password: 'x' },
    });
    expectErrorBody(misplaced, 401, 'LOGIN_FAILED');
    const answer = await call<Record<string, unknown>>('POST', '/apiv2/login', {
      body: { userName: 'root', password: PASSWORDS.root },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      token: expect.stringMatching(/^trb_/),
      userName: 'root',
      userId: expect.any(String),
      admin: true,
      expires: expect.any(Number),
    });
    expect(answer.body.expires as number).toBeGreaterThan(Date.now() + 23 * 3600_000);
    tokens.root = answer.body.token as string;
    secrets.push({ value: tokens.root, issuedBy: answers.length - 1, what: 'session of root' });
    expect((await call('GET', '/api/v1/users/me', { token: tokens.root })).body).toMatchObject({
      name: 'root',
    });
    const dremio = await call('GET', '/api/v1/users/me', {
      token: tokens.root,
      header: `_dremio${tokens.root}`,
    });
    expect(dremio.status).toBe(200);
    const v1 = await call<{ token: string }>('POST', '/api/v1/login', {
      body: { userName: 'root', password: PASSWORDS.root },
    });
    expect(v1.status).toBe(200);
    secrets.push({ value: v1.body.token, issuedBy: answers.length - 1, what: 'second session of root' });
    // Signing out ends that session only.
    expect((await call('DELETE', '/apiv2/login', { token: v1.body.token })).status).toBe(204);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: v1.body.token }), 401, 'TOKEN_INVALID');
    const none = await call('GET', '/api/v1/users/me');
    expectErrorBody(none, 401, 'AUTH_REQUIRED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: 'trb_forged' }), 401, 'TOKEN_INVALID');
    const basic = await call('GET', '/api/v1/users/me', { token: 'x', header: 'Basic cm9vdDpyb290' });
    expectErrorBody(basic, 401, 'TOKEN_INVALID');
  });

  it('lets admins manage users and users only themselves', async () => {
    for (const [name, role] of [
      ['alice', 'user'],
      ['bob', 'user'],
      ['carol', 'user'],
      ['dave', 'user'],
      ['gone', 'user'],
    ] as const) {
      const created = await call('POST', '/api/v1/users', {
        token: tokens.root,
        body: { name, password: PASSWORDS[name], role },
      });
      expect(created.status, created.text).toBe(201);
      expect(created.text).not.toContain('scrypt');
    }
    const duplicate = await call('POST', '/api/v1/users', {
      token: tokens.root,
      body: { name: 'ALICE', password: PASSWORDS.alice },
    });
    expectErrorBody(duplicate, 409, 'USER_EXISTS');
    const weak = await call('POST', '/api/v1/users', {
      token: tokens.root,
      body: { name: 'x', password: 'short' },
    });
    expectErrorBody(weak, 400, 'INVALID_PASSWORD');
    const badName = await call('POST', '/api/v1/users', {
      token: tokens.root,
      body: { name: '../etc', password: PASSWORDS.alice },
    });
    expectErrorBody(badName, 400, 'INVALID_USER');
    tokens.alice = await login('alice');
    tokens.bob = await login('bob');
    tokens.carol = await login('carol');
    tokens.dave = await login('dave');
    const gone = await login('gone');
    const list = await call<{ users: { name: string }[] }>('GET', '/api/v1/users', { token: tokens.root });
    expect(list.body.users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol', 'dave', 'gone', 'root']);
    expectErrorBody(await call('GET', '/api/v1/users', { token: tokens.alice }), 403, 'ACCESS_DENIED');
    const aliceCreates = await call('POST', '/api/v1/users', {
      token: tokens.alice,
      body: { name: 'eve', password: PASSWORDS.alice },
    });
    expectErrorBody(aliceCreates, 403, 'ACCESS_DENIED');
    expect((await call('GET', '/api/v1/users/alice', { token: tokens.alice })).status).toBe(200);
    expectErrorBody(await call('GET', '/api/v1/users/bob', { token: tokens.alice }), 403, 'ACCESS_DENIED');
    expectErrorBody(await call('GET', '/api/v1/users/nobody', { token: tokens.root }), 404, 'USER_NOT_FOUND');

    // A user changes their own password (knowing the old one), which ends their sessions.
    const wrongOld = await call('PUT', '/api/v1/users/alice/password', {
      token: tokens.alice,
      body: { password: PASSWORDS.aliceNew, oldPassword: 'not-the-password' },
    });
    expectErrorBody(wrongOld, 403, 'INVALID_PASSWORD');
    const changed = await call('PUT', '/api/v1/users/alice/password', {
      token: tokens.alice,
      body: { password: PASSWORDS.aliceNew, oldPassword: PASSWORDS.alice },
    });
    expect(changed.status, changed.text).toBe(204);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: tokens.alice }), 401, 'TOKEN_INVALID');
    const oldLogin = await call('POST', '/apiv2/login', {
      body: { userName: 'alice', password: PASSWORDS.alice },
    });
    expectErrorBody(oldLogin, 401, 'LOGIN_FAILED');
    tokens.alice = await login('alice', PASSWORDS.aliceNew);
    const othersPassword = await call('PUT', '/api/v1/users/bob/password', {
      token: tokens.alice,
      body: { password: PASSWORDS.aliceNew },
    });
    expectErrorBody(othersPassword, 403, 'ACCESS_DENIED');

    // Removing a user ends their tokens; the last admin stays.
    expect((await call('DELETE', '/api/v1/users/gone', { token: tokens.root })).status).toBe(204);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: gone }), 401, 'TOKEN_INVALID');
    expectErrorBody(
      await call('DELETE', '/api/v1/users/gone', { token: tokens.root }),
      404,
      'USER_NOT_FOUND',
    );
    expectErrorBody(await call('DELETE', '/api/v1/users/root', { token: tokens.root }), 409, 'LAST_ADMIN');
    expectErrorBody(await call('DELETE', '/api/v1/users/bob', { token: tokens.alice }), 403, 'ACCESS_DENIED');
  });

  it('issues personal access tokens, lists them without the secret, and revokes them', async () => {
    const created = await call<{ tid: string; token: string; label: string; expiresAt: string }>(
      'POST',
      '/api/v1/users/me/tokens',
      { token: tokens.alice, body: { label: 'bi-tool', millisecondsToExpire: 3_600_000 } },
    );
    expect(created.status, created.text).toBe(201);
    secrets.push({ value: created.body.token, issuedBy: answers.length - 1, what: 'PAT of alice' });
    tokens.alicePat = created.body.token;
    expect((await call('GET', '/api/v1/users/me', { token: tokens.alicePat })).body).toMatchObject({
      name: 'alice',
    });
    const listed = await call<{ data: Record<string, unknown>[] }>('GET', '/api/v1/users/me/tokens', {
      token: tokens.alice,
    });
    expect(listed.body.data).toEqual([
      {
        tid: created.body.tid,
        uid: expect.any(String),
        label: 'bi-tool',
        createdAt: expect.any(String),
        expiresAt: created.body.expiresAt,
      },
    ]);
    const short = await call<{ token: string; tid: string }>('POST', '/api/v1/users/me/tokens', {
      token: tokens.bob,
      body: { label: 'short-lived', millisecondsToExpire: 1 },
    });
    secrets.push({ value: short.body.token, issuedBy: answers.length - 1, what: 'expired PAT of bob' });
    expired = short.body.token;
    await sleep(20);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: expired }), 401, 'TOKEN_EXPIRED');
    const throwaway = await call<{ token: string; tid: string }>('POST', '/api/v1/users/me/tokens', {
      token: tokens.bob,
      body: { label: 'throwaway' },
    });
    secrets.push({ value: throwaway.body.token, issuedBy: answers.length - 1, what: 'revoked PAT of bob' });
    // Only its owner revokes it.
    const byAlice = await call('DELETE', `/api/v1/users/me/tokens/${throwaway.body.tid}`, {
      token: tokens.alice,
    });
    expectErrorBody(byAlice, 404, 'TOKEN_NOT_FOUND');
    const revoked = await call('DELETE', `/api/v1/users/me/tokens/${throwaway.body.tid}`, {
      token: tokens.bob,
    });
    expect(revoked.status).toBe(204);
    expectErrorBody(
      await call('GET', '/api/v1/users/me', { token: throwaway.body.token }),
      401,
      'TOKEN_INVALID',
    );
    const noLabel = await call('POST', '/api/v1/users/me/tokens', {
      token: tokens.bob,
      body: { label: ' ' },
    });
    expectErrorBody(noLabel, 400, 'INVALID_TOKEN_REQUEST');
    expectErrorBody(await call('GET', '/api/v1/users/me/tokens'), 401, 'AUTH_REQUIRED');
  });

  it('authorizes source endpoints: no token, expired, no privilege, the grantee, an admin', async () => {
    const register = (token: string | undefined, name: string, sourcePath: string) =>
      call('POST', '/api/v1/sources', { token, body: { name, type: 'parquet', path: sourcePath } });
    const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');
    expectErrorBody(await register(undefined, 'tpch', parquet), 401, 'AUTH_REQUIRED');
    expectErrorBody(await register(expired, 'tpch', parquet), 401, 'TOKEN_EXPIRED');
    expectErrorBody(await register(tokens.alice, 'tpch', parquet), 403, 'ACCESS_DENIED');
    expect((await register(tokens.root, 'tpch', parquet)).status).toBe(201);
    expect((await register(tokens.root, 'hidden', path.join(tpchRoot, 'sf0.01', 'parquet'))).status).toBe(
      201,
    );
    const scratchSource = await call('POST', '/api/v1/sources', {
      token: tokens.root,
      body: { name: 'scratch', type: 'csv', path: path.join(scratch, 'nation') },
    });
    expect(scratchSource.status, scratchSource.text).toBe(201);

    // Nothing granted: alice sees no source, and one she may not see is as missing as a missing one.
    const listed = await call<{ sources: unknown[] }>('GET', '/api/v1/sources', { token: tokens.alice });
    expect(listed.body.sources).toEqual([]);
    const hidden = await call('GET', '/api/v1/sources/tpch', { token: tokens.alice });
    const missing = await call('GET', '/api/v1/sources/tpcx', { token: tokens.alice });
    expectErrorBody(hidden, 404, 'SOURCE_NOT_FOUND');
    expectErrorBody(missing, 404, 'SOURCE_NOT_FOUND');
    expect(missing.body).not.toHaveProperty('suggestions');
    expect(missing.text).not.toContain('tpch');
    expectErrorBody(await call('GET', '/api/v1/sources/tpch'), 401, 'AUTH_REQUIRED');
    expectErrorBody(await call('GET', '/api/v1/sources/tpch', { token: expired }), 401, 'TOKEN_EXPIRED');

    // GRANT in SQL by an admin; a user may not grant what they do not manage.
    const byAlice = await sql('GRANT SELECT ON SOURCE tpch TO USER alice', tokens.alice);
    expectErrorBody(byAlice, 403, 'ACCESS_DENIED');
    const granted = await sql('GRANT SELECT ON SOURCE tpch TO USER alice', tokens.root);
    expect(granted.status, granted.text).toBe(200);
    expect(granted.body.rows).toEqual([[true, 'granted SELECT on source tpch to user alice']]);
    expectErrorBody(
      await sql('GRANT SELECT ON SOURCE nope TO USER alice', tokens.root),
      404,
      'OBJECT_NOT_FOUND',
    );
    expectErrorBody(
      await sql('GRANT SELECT ON SOURCE tpch TO USER nobody', tokens.root),
      404,
      'USER_NOT_FOUND',
    );
    const malformed = expectErrorBody(await sql('GRANT SELEKT ON SOURCE tpch TO alice', tokens.root), 400);
    expect(malformed).toMatchObject({ code: 'SQL_PARSE_ERROR', line: 1, column: 7, suggestions: ['SELECT'] });
    // And over REST: carol manages scratch (and may grant on it), bob may alter it.
    const rest = await call('POST', '/api/v1/grants', {
      token: tokens.root,
      body: {
        privileges: ['MANAGE', 'SELECT'],
        object: { kind: 'source', path: ['scratch'] },
        grantee: 'carol',
      },
    });
    expect(rest.status, rest.text).toBe(200);
    const byCarol = await call('POST', '/api/v1/grants', {
      token: tokens.carol,
      body: { privileges: ['ALTER'], object: { kind: 'source', path: ['scratch'] }, grantee: 'bob' },
    });
    expect(byCarol.body).toMatchObject({ ok: true, summary: 'granted ALTER on source scratch to user bob' });
    const carolOnTpch = await call('POST', '/api/v1/grants', {
      token: tokens.carol,
      body: { privileges: ['SELECT'], object: { kind: 'source', path: ['tpch'] }, grantee: 'carol' },
    });
    expectErrorBody(carolOnTpch, 403, 'ACCESS_DENIED');
    const invalid = await call('POST', '/api/v1/grants', {
      token: tokens.root,
      body: { privileges: ['DROP'], object: { kind: 'source', path: ['tpch'] }, grantee: 'bob' },
    });
    expect(invalid.status).toBe(400);
    const mine = await call<{ grants: { grantee: string }[] }>('GET', '/api/v1/grants', {
      token: tokens.carol,
    });
    expect(mine.body.grants.map((g) => g.grantee)).toEqual(['carol', 'carol']);
    const all = await call<{ grants: unknown[] }>('GET', '/api/v1/grants', { token: tokens.root });
    expect(all.body.grants).toHaveLength(4);
    expectErrorBody(
      await call('GET', '/api/v1/grants?grantee=alice', { token: tokens.carol }),
      403,
      'ACCESS_DENIED',
    );

    // With SELECT, alice sees tpch, without its server path; an admin sees the path.
    const seen = await call<{ sources: Record<string, unknown>[] }>('GET', '/api/v1/sources', {
      token: tokens.alice,
    });
    expect(seen.body.sources.map((s) => s.name)).toEqual(['tpch']);
    expect(seen.body.sources[0]).not.toHaveProperty('path');
    expect(seen.text).not.toContain(tpchRoot);
    const one = await call('GET', '/api/v1/sources/TPCH', { token: tokens.alice });
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(tpchRoot);
    expect((await call('GET', '/api/v1/sources/tpch', { token: tokens.root })).body).toMatchObject({
      path: parquet,
    });

    // Changing, refreshing and removing: MANAGE (refresh: ALTER too), or an admin.
    expectErrorBody(
      await call('POST', '/api/v1/sources/tpch/refresh', { token: tokens.alice }),
      403,
      'ACCESS_DENIED',
    );
    expectErrorBody(
      await call('DELETE', '/api/v1/sources/tpch', { token: tokens.alice }),
      403,
      'ACCESS_DENIED',
    );
    expectErrorBody(
      await call('PUT', '/api/v1/sources/tpch', { token: tokens.alice, body: { options: {} } }),
      403,
      'ACCESS_DENIED',
    );
    expectErrorBody(
      await call('DELETE', '/api/v1/sources/scratch', { token: expired }),
      401,
      'TOKEN_EXPIRED',
    );
    expect((await call('POST', '/api/v1/sources/scratch/refresh', { token: tokens.bob })).status).toBe(200);
    expectErrorBody(
      await call('DELETE', '/api/v1/sources/scratch', { token: tokens.bob }),
      403,
      'ACCESS_DENIED',
    );
    const update = await call('PUT', '/api/v1/sources/scratch', {
      token: tokens.carol,
      body: { options: {} },
    });
    expect(update.status, update.text).toBe(200);
    expect(update.text).not.toContain(scratch);
    expect((await call('POST', '/api/v1/sources/tpch/refresh', { token: tokens.root })).status).toBe(200);

    // A failure that names a file shows a user the path inside the source, an admin all of it.
    rmSync(path.join(scratch, 'nation'), { recursive: true });
    const failed = await call('POST', '/api/v1/sources/scratch/refresh', { token: tokens.bob });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.text).not.toContain(scratch);
    expect(failed.text).toContain('scratch');
    const failedForAdmin = await call('POST', '/api/v1/sources/scratch/refresh', { token: tokens.root });
    expect(failedForAdmin.text).toContain(scratch);
    expect((await call('DELETE', '/api/v1/sources/scratch', { token: tokens.carol })).status).toBe(204);
    // Grants on a removed source go with it.
    expect(
      (await call<{ grants: unknown[] }>('GET', '/api/v1/grants', { token: tokens.carol })).body.grants,
    ).toEqual([]);
  });

  it('refuses a path outside the roots the same way whether or not it exists, naming the roots to admins', async () => {
    const attempt = async (sourcePath: string) => {
      const answer = await call('POST', '/api/v1/sources', {
        token: tokens.root,
        body: { name: 'outside', type: 'csv', path: sourcePath },
      });
      return expectErrorBody(answer, 400, 'PATH_NOT_ALLOWED');
    };
    const existing = await attempt('/etc/passwd');
    const absent = await attempt('/etc/no-such-file-at-all.csv');
    expect(absent.message.replace('/etc/no-such-file-at-all.csv', 'P')).toBe(
      existing.message.replace('/etc/passwd', 'P'),
    );
    expect(existing.message).toContain('TRIBUTARY_SOURCE_ROOTS');
    expect(existing.message).toContain(dataRoot);
  });

  it('authorizes queries: no token, expired, no privilege, the grantee, an admin; names are not told', async () => {
    const count = 'SELECT count(*) AS n FROM tpch.nation';
    expectErrorBody(await sql(count), 401, 'AUTH_REQUIRED');
    expectErrorBody(await sql(count, expired), 401, 'TOKEN_EXPIRED');
    const denied = expectErrorBody(await sql(count, tokens.bob), 403, 'ACCESS_DENIED');
    expect(denied.message).toContain('"tpch.nation"');
    const joined = await sql(
      'SELECT count(*) AS n FROM tpch.nation JOIN hidden.region ON true',
      tokens.alice,
    );
    expect(expectErrorBody(joined, 403, 'ACCESS_DENIED').message).toContain('"hidden.region"');
    for (const token of [tokens.alice, tokens.alicePat, tokens.root]) {
      const answer = await sql(count, token);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body.rows).toEqual([['25']]);
    }
    // A table in a source she may not read is refused by name; a typo suggests only what she may read.
    expectErrorBody(await sql('SELECT * FROM hidden.nation', tokens.alice), 403, 'ACCESS_DENIED');
    const typo = expectErrorBody(
      await sql('SELECT * FROM hiddem.nation', tokens.alice),
      400,
      'TABLE_NOT_FOUND',
    );
    expect(JSON.stringify(typo)).not.toContain('hidden');
    const adminTypo = expectErrorBody(
      await sql('SELECT * FROM hiddem.nation', tokens.root),
      400,
      'TABLE_NOT_FOUND',
    );
    expect(adminTypo.suggestions).toContain('hidden.nation');
    // Nor does a misspelt column of a table she may not read list that table's columns.
    const column = await sql('SELECT n_nam FROM hidden.nation', tokens.alice);
    expect(column.status).toBe(400);
    expect(column.text).not.toContain('n_name');
    const ownColumn = expectErrorBody(
      await sql('SELECT n_nam FROM tpch.nation', tokens.alice),
      400,
      'COLUMN_NOT_FOUND',
    );
    expect(ownColumn.suggestions).toContain('n_name');
    expect((await sql('SELECT n_nam FROM hidden.nation', tokens.root)).text).toContain('n_name');
    // A bare name is resolved among what she may read: no ambiguity with the hidden source.
    expect((await sql('SELECT count(*) AS n FROM region', tokens.alice)).body.rows).toEqual([['5']]);
    expectErrorBody(await sql('SELECT count(*) AS n FROM region', tokens.root), 400, 'AMBIGUOUS_TABLE');
    // A revoke counts from the next statement on.
    expect((await sql('REVOKE SELECT ON SOURCE tpch FROM USER alice', tokens.root)).status).toBe(200);
    expectErrorBody(await sql(count, tokens.alice), 403, 'ACCESS_DENIED');
    expect((await sql('GRANT SELECT ON SOURCE tpch TO USER alice, bob', tokens.root)).status).toBe(400);
    // GRANT and REVOKE are statements like any other: as a background job too, recorded.
    const revoke = await call('POST', '/api/v1/jobs', {
      token: tokens.root,
      body: { sql: 'REVOKE SELECT ON SOURCE tpch FROM USER alice' },
    });
    expect(revoke.status, revoke.text).toBe(201);
    await waitFor('the REVOKE job to end', async () => {
      const job = await call('GET', `/api/v1/jobs/${revoke.body.id}`, { token: tokens.root });
      return job.body.state === 'COMPLETED';
    });
    expectErrorBody(await sql(count, tokens.alice), 403, 'ACCESS_DENIED');
    expectErrorBody(
      await sql('GRANT SELECT ON SOURCE tpch TO USER alice', tokens.alice),
      403,
      'ACCESS_DENIED',
    );
    expect((await sql('GRANT SELECT ON SOURCE tpch TO USER alice', tokens.root)).status).toBe(200);
    // A user may not ask for a deadline past the configured one.
    const long = await call('POST', '/api/v1/sql', {
      token: tokens.alice,
      body: { sql: count, timeoutMs: 365 * 24 * 3600_000 },
    });
    expectErrorBody(long, 400, 'INVALID_TIMEOUT');
  });

  it('lets users change only the spaces and views their grants allow, over SQL and REST alike', async () => {
    expect((await sql('CREATE SPACE team', tokens.root)).status).toBe(200);
    expectErrorBody(await sql('CREATE SPACE mine', tokens.alice), 403, 'ACCESS_DENIED');
    const view = 'CREATE VIEW team.nations AS SELECT n_name FROM tpch.nation';
    expectErrorBody(await sql(view, tokens.alice), 403, 'ACCESS_DENIED');
    expect((await sql('GRANT ALTER ON SPACE team TO USER alice', tokens.root)).status).toBe(200);
    const created = await sql(view, tokens.alice);
    expect(created.status, created.text).toBe(200);
    // Its owner reads it with no grant on it (as in Dremio); others need SELECT, which ALTER does not give.
    expect((await sql('SELECT count(*) FROM team.nations', tokens.alice)).body.rows).toEqual([['25']]);
    expectErrorBody(await sql('SELECT count(*) FROM team.nations', tokens.carol), 403, 'ACCESS_DENIED');
    expect((await sql('GRANT SELECT ON SPACE team TO USER carol', tokens.root)).status).toBe(200);
    // The view reads tpch.nation with alice's rights, not carol's.
    expect((await sql('SELECT count(*) FROM team.nations', tokens.carol)).body.rows).toEqual([['25']]);
    // Dropping needs MANAGE, over SQL and over REST.
    expectErrorBody(await sql('DROP VIEW team.nations', tokens.alice), 403, 'ACCESS_DENIED');
    expectErrorBody(
      await call('DELETE', '/api/v1/views/team/nations', { token: tokens.alice }),
      403,
      'ACCESS_DENIED',
    );
    expectErrorBody(
      await call('DELETE', '/api/v1/spaces/team?force=true', { token: tokens.alice }),
      403,
      'ACCESS_DENIED',
    );
    expectErrorBody(
      await call('POST', '/api/v1/spaces', { token: tokens.alice, body: { name: 'other' } }),
      403,
      'ACCESS_DENIED',
    );
    expect((await call('DELETE', '/api/v1/views/team/nations', { token: tokens.root })).status).toBe(204);
    expect((await call('DELETE', '/api/v1/spaces/team', { token: tokens.root })).status).toBe(204);
  });

  it('lets a user cancel their own jobs, an admin anyone’s, and nobody else', async () => {
    const running = async (token: string) => {
      const before = new Set(readJobs(service!.dataDir).map((j) => j.id));
      const controller = new AbortController();
      const response = fetch(`${base()}/api/v1/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ sql: HEAVY }),
        signal: controller.signal,
      });
      response.catch(() => undefined);
      let id = '';
      await waitFor('the heavy job running', () => {
        id = readJobs(service!.dataDir).find((j) => !before.has(j.id) && j.state === 'RUNNING')?.id ?? '';
        return id !== '';
      });
      return { id, controller };
    };
    const first = await running(tokens.alice);
    const cancel = (token?: string) => call('POST', `/api/v1/jobs/${first.id}/cancel`, { token });
    expectErrorBody(await cancel(), 401, 'AUTH_REQUIRED');
    expectErrorBody(await cancel(expired), 401, 'TOKEN_EXPIRED');
    expectErrorBody(await cancel(tokens.bob), 403, 'ACCESS_DENIED');
    expect((await cancel(tokens.alice)).status).toBe(200);
    first.controller.abort();
    const second = await running(tokens.alice);
    expect((await call('POST', `/api/v1/jobs/${second.id}/cancel`, { token: tokens.root })).status).toBe(200);
    second.controller.abort();
    await waitFor(
      'both jobs cancelled',
      () =>
        readJobs(service!.dataDir).filter(
          (j) => [first.id, second.id].includes(j.id) && j.state === 'CANCELED',
        ).length === 2,
    );
  });

  it('shows a job and its results to its owner and admins only, over v1 and v3', async () => {
    const submitted = await call('POST', '/api/v1/jobs', {
      token: tokens.alice,
      body: { sql: 'SELECT n_name FROM tpch.nation ORDER BY n_name LIMIT 3' },
    });
    expect(submitted.status, submitted.text).toBe(201);
    const id = submitted.body.id as string;
    await waitFor('the job to complete', async () => {
      const job = await call('GET', `/api/v1/jobs/${id}`, { token: tokens.alice });
      return job.body.state === 'COMPLETED';
    });
    for (const path of [
      `/api/v1/jobs/${id}`,
      `/api/v1/jobs/${id}/results`,
      `/api/v3/job/${id}`,
      `/api/v3/job/${id}/results`,
    ]) {
      expectErrorBody(await call('GET', path), 401, 'AUTH_REQUIRED');
      expectErrorBody(await call('GET', path, { token: expired }), 401, 'TOKEN_EXPIRED');
      expectErrorBody(await call('GET', path, { token: tokens.bob }), 403, 'ACCESS_DENIED');
      for (const token of [tokens.alice, tokens.root]) {
        const answer = await call('GET', path, { token });
        expect(answer.status, `${path}: ${answer.text}`).toBe(200);
      }
    }
    const rows = await call('GET', `/api/v1/jobs/${id}/results`, { token: tokens.root });
    expect(rows.body.rows).toEqual([['ALGERIA'], ['ARGENTINA'], ['BRAZIL']]);
    // A user's job list holds their own jobs only; an admin's, everyone's.
    const listed = async (token: string) =>
      ((await call('GET', '/api/v1/jobs?limit=500', { token })).body.jobs as { id: string }[]).map(
        (j) => j.id,
      );
    expect(await listed(tokens.alice)).toContain(id);
    expect(await listed(tokens.root)).toContain(id);
    expect(await listed(tokens.bob)).not.toContain(id);
  });

  it('shows executor URLs and pids to admins only', async () => {
    type Health = { executors: Record<string, unknown>[] };
    for (const token of [undefined, tokens.alice]) {
      const health = await call<Health>('GET', '/api/v1/health', { token });
      expect(health.status).toBe(200);
      expect(health.body.executors[0]).not.toHaveProperty('url');
      expect(health.body.executors[0]).not.toHaveProperty('pid');
      expect(health.text).not.toMatch(/http:\/\//);
    }
    const admin = await call<Health>('GET', '/api/v1/health', { token: tokens.root });
    expect(admin.body.executors[0]).toMatchObject({
      url: expect.stringMatching(/^http:/),
      pid: expect.any(Number),
    });
  });

  it('limits request bodies and requests per user', async () => {
    const big = await call('POST', '/api/v1/sql', {
      token: tokens.dave,
      body: { sql: `SELECT 1 AS x -- ${'x'.repeat(70_000)}` },
    });
    expectErrorBody(big, 413, 'REQUEST_TOO_LARGE');
    let limited: Answer | undefined;
    for (let i = 0; i < 200 && !limited; i++) {
      const answer = await call('GET', '/api/v1/users/me', { token: tokens.dave });
      if (answer.status === 429) limited = answer;
      else expect(answer.status).toBe(200);
    }
    expect(limited, 'dave was never limited').toBeDefined();
    expectErrorBody(limited!, 429, 'RATE_LIMITED');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    // Counted per user: the others go on.
    expect((await call('GET', '/api/v1/users/me', { token: tokens.carol })).status).toBe(200);
  });

  it('keeps an audit log of logins, tokens, users, sources and grants, for admins', async () => {
    expectErrorBody(await call('GET', '/api/v1/audit', { token: tokens.alice }), 403, 'ACCESS_DENIED');
    const audit = await call<{
      events: { action: string; outcome: string; actor?: string; target?: string }[];
    }>('GET', '/api/v1/audit?limit=1000', { token: tokens.root });
    expect(audit.status).toBe(200);
    const seen = new Set(audit.body.events.map((e) => `${e.action}:${e.outcome}`));
    for (const kind of [
      'setup:denied',
      'setup:ok',
      'login:ok',
      'login:failed',
      'logout:ok',
      'user.create:ok',
      'user.password:ok',
      'user.password:denied',
      'user.delete:ok',
      'token.create:ok',
      'token.revoke:ok',
      'source.register:ok',
      'source.register:failed',
      'source.update:ok',
      'source.delete:ok',
      'grant:ok',
      'revoke:ok',
    ])
      expect(seen, kind).toContain(kind);
    expect(service!.output()).toMatch(/\[coordinator\] audit action=grant outcome=ok actor="root"/);
  });

  it('keeps users, tokens and grants across a restart; sessions expire after sessionTtlMs', async () => {
    const dataDir = service!.dataDir;
    outputs.push(service!.output());
    await service!.stop();
    service = await startTributary({
      executors: 1,
      dataDir,
      sourceRoots: [dataRoot, scratch],
      env: { TRIBUTARY_AUTH: 'on', TRIBUTARY_SESSION_TTL_MS: '1500' },
    });
    expect(service.output()).not.toContain('setupToken');
    // The session and the personal token from before the restart, and alice's grant, still hold.
    expect((await sql('SELECT count(*) AS n FROM tpch.nation', tokens.alicePat)).body.rows).toEqual([['25']]);
    expect((await sql('SELECT count(*) AS n FROM tpch.nation', tokens.alice)).body.rows).toEqual([['25']]);
    expectErrorBody(await sql('SELECT count(*) AS n FROM tpch.nation', tokens.bob), 403, 'ACCESS_DENIED');
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: expired }), 401, 'TOKEN_EXPIRED');
    const short = await login('carol');
    expect((await call('GET', '/api/v1/users/me', { token: short })).status).toBe(200);
    await sleep(1700);
    expectErrorBody(await call('GET', '/api/v1/users/me', { token: short }), 401, 'TOKEN_EXPIRED');
    expectErrorBody(await sql('SELECT 1 AS x', short), 401, 'TOKEN_EXPIRED');
  });

  it('refuses to start with auth off on an address beyond loopback', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/coordinator/src/main.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TRIBUTARY_HOST: '0.0.0.0',
        TRIBUTARY_PORT: '0',
        // A free PostgreSQL port: 15432 may be taken by another coordinator on this machine.
        TRIBUTARY_PG_PORT: '0',
        TRIBUTARY_AUTH: 'off',
        TRIBUTARY_EXECUTORS: '0',
        TRIBUTARY_DEMO: 'false',
        TRIBUTARY_DATA_DIR: path.join(scratch, 'refused'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('configuration key "auth"');
    expect(output).toContain('TRIBUTARY_AUTH=on');
    // It refused before it bound any port.
    expect(listeningPort(output)).toBe(0);
  });

  it('never shows a password or a token in a response or a log line', () => {
    outputs.push(service!.output());
    const logs = outputs.join('\n');
    expect(answers.length).toBeGreaterThan(100);
    for (const secret of secrets) {
      answers.forEach((answer, index) => {
        if (index === secret.issuedBy) return;
        expect(answer.includes(secret.value), `${secret.what} in answer ${answer.slice(0, 200)}`).toBe(false);
      });
      expect(logs.includes(secret.value), `${secret.what} in the logs`).toBe(false);
    }
    // The setup token is shown once, by design, in the log of the first start, and in no answer.
    expect(logs.split(setupToken).length - 1).toBe(1);
    for (const answer of answers) expect(answer.includes(setupToken)).toBe(false);
  });
});
