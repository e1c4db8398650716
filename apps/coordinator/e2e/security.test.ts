import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARCHAR } from '@tributary/common';
import { INTERNAL_PATHS, decodeFrames, type TaskRequest } from '@tributary/protocol';
import { TEST_SECRET, signedFetch } from './cluster-harness.ts';
import { startTributary, type TributaryProcess } from './harness.ts';

const WRONG_SECRET = 'not-the-cluster-secret-at-all-0000';

/** A forged task: scan /etc/passwd as a one-column CSV table. */
function forgedTask(): TaskRequest {
  const table = {
    source: 'x',
    table: 'passwd',
    sourceType: 'csv' as const,
    columns: [{ name: 'line', type: VARCHAR }],
    location: {
      file: '/etc/passwd',
      delimiter: '|',
      quote: '"',
      nullString: '',
      header: false,
      splittable: true,
    },
  };
  const schema = [{ name: 'line', type: VARCHAR, nullable: true }];
  return {
    queryId: 'forged',
    stage: 0,
    index: 0,
    taskId: 'forged.0.0.0',
    plan: JSON.stringify({
      kind: 'scan',
      scan: { kind: 'scan', table, alias: 'passwd', columns: [0], filters: [], limit: null, schema },
      schema,
    }),
    splits: [{ info: { start: 0, end: null } }],
    inputs: [],
    output: { kind: 'result' },
    queryMemoryBytes: 0,
  };
}

describe('the internal channel', () => {
  let service: TributaryProcess | undefined;

  beforeAll(async () => {
    service = await startTributary({ executors: 1, env: { TRIBUTARY_CLUSTER_SECRET: TEST_SECRET } });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  const executorUrl = async () => (await service!.health()).executors[0].url;
  const registration = { id: 'fake', url: 'http://127.0.0.1:9', instance: 'fake-1', threads: 64, pid: 1 };

  it('refuses to register or keep alive an executor without the cluster secret', async () => {
    const unsigned = await fetch(`${service!.url}${INTERNAL_PATHS.register}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(registration),
    });
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as { code: string }).code).toBe('CLUSTER_AUTH_REQUIRED');
    const wrong = await signedFetch(
      WRONG_SECRET,
      'POST',
      `${service!.url}${INTERNAL_PATHS.register}`,
      registration,
    );
    expect(wrong.status).toBe(401);
    const beat = await signedFetch(WRONG_SECRET, 'POST', `${service!.url}${INTERNAL_PATHS.heartbeat}`, {
      id: 'fake',
      instance: 'fake-1',
      runningTasks: 0,
    });
    expect(beat.status).toBe(401);
    // A signature for one route does not open another.
    const health = await service!.health();
    expect(health.executors.map((e) => e.id)).not.toContain('fake');
  });

  it('does not let a registration take over a live executor id', async () => {
    const [live] = (await service!.health()).executors;
    const takeover = await signedFetch(TEST_SECRET, 'POST', `${service!.url}${INTERNAL_PATHS.register}`, {
      ...registration,
      id: live.id,
    });
    expect(takeover.status).toBe(409);
    expect(((await takeover.json()) as { code: string }).code).toBe('EXECUTOR_ID_TAKEN');
    const after = (await service!.health()).executors.find((e) => e.id === live.id);
    expect(after?.url).toBe(live.url);
  });

  it('refuses tasks, status and exchange reads without the secret', async () => {
    const url = await executorUrl();
    const unsigned = await fetch(`${url}${INTERNAL_PATHS.runTask}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(forgedTask()),
    });
    expect(unsigned.status).toBe(401);
    expect((await fetch(`${url}${INTERNAL_PATHS.status}`)).status).toBe(401);
    const wrong = await signedFetch(WRONG_SECRET, 'POST', `${url}${INTERNAL_PATHS.runTask}`, forgedTask());
    expect(wrong.status).toBe(401);
    const traversal = await signedFetch(
      TEST_SECRET,
      'GET',
      `${url}${INTERNAL_PATHS.exchange}/..%2F..%2Fetc/passwd/0`,
    );
    expect(traversal.status).toBeGreaterThanOrEqual(400);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('refuses a signed task that names a file outside the source roots', async () => {
    const response = await signedFetch(
      TEST_SECRET,
      'POST',
      `${await executorUrl()}${INTERNAL_PATHS.runTask}`,
      forgedTask(),
    );
    expect(response.status).toBe(200);
    const rows: unknown[] = [];
    const read = (async () => {
      for await (const batch of decodeFrames(
        response.body as unknown as AsyncIterable<Uint8Array>,
        'executor',
      ))
        rows.push(...batch.toArray());
    })();
    await expect(read).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(rows).toEqual([]);
  });

  it('never shows the secret in answers or logs', async () => {
    const health = await fetch(`${service!.url}/api/v1/health`).then((r) => r.text());
    expect(health).not.toContain(TEST_SECRET);
    expect(service!.output()).not.toContain(TEST_SECRET);
  });
});
