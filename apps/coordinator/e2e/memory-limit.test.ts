import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/** A query that needs more memory than allowed fails clearly, and the service lives on. */
describe('memory limit', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({ executors: 2, env: { TRIBUTARY_MEMORY_LIMIT_MB: '120' } });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  it('fails a join too big for the limit with QUERY_MEMORY_EXCEEDED, then answers other queries', async () => {
    const answer = await client.sqlAnswer(
      `SELECT a.l_orderkey, b.l_comment FROM big.lineitem a JOIN big.lineitem b ON a.l_orderkey = b.l_orderkey
       ORDER BY a.l_comment, b.l_comment LIMIT 2`,
      60_000,
    );
    const body = expectErrorBody(answer, 503);
    expect(body.code).toBe('QUERY_MEMORY_EXCEEDED');
    expect(body.message).toMatch(/limit 120 MB/);
    const after = await client.sql('SELECT COUNT(*) AS n FROM big.orders');
    expect(after.rows).toEqual([[150000]]);
  });
});
