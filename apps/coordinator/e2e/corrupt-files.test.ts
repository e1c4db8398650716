import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/** Deterministic pseudo-random numbers, so a failing corruption can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/**
 * A Parquet file with bytes of its column data overwritten after registration (the footer
 * left intact, so it registers): reading it must fail with SOURCE_FILE_INVALID naming the
 * file, or answer, but never crash an executor or surface as an internal error.
 */
describe('corrupt files', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'tributary-corrupt-'));
  const original = readFileSync(path.join(tpchRoot, 'sf0.01', 'parquet', 'orders.parquet'));
  const file = path.join(folder, 'orders.parquet');
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    copyFileSync(path.join(tpchRoot, 'sf0.01', 'parquet', 'orders.parquet'), file);
    service = await startTributary({ executors: 2, sourceRoots: [dataRoot, folder] });
    await client.addSource({ name: 'bad', type: 'parquet', path: folder });
  });

  afterAll(async () => {
    await service?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('fails each corrupted read with SOURCE_FILE_INVALID naming the file, and the executors live on', async () => {
    const pids = (await service!.health()).executors.map((e) => e.pid).sort();
    // The footer (its length and magic in the last 8 bytes, metadata before) stays as it was.
    const footerLength = original.readUInt32LE(original.length - 8);
    const dataEnd = original.length - 8 - footerLength;
    const outcomes: string[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed);
      const bytes = Buffer.from(original);
      for (let k = 0; k < 64; k++) bytes[4 + Math.floor(next() * (dataEnd - 4))] = Math.floor(next() * 256);
      writeFileSync(file, bytes);
      const answer = await client.sqlAnswer(
        'SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS s, max(o_comment) AS c FROM bad.orders GROUP BY 1',
        60_000,
      );
      if (answer.status === 200) {
        outcomes.push('answered');
        continue;
      }
      expect(answer.body.code, `seed ${seed}: ${answer.text.slice(0, 300)}`).toBe('SOURCE_FILE_INVALID');
      expect(answer.body.message).toContain('orders');
      expect(answer.text).not.toMatch(/\n\s+at /);
      outcomes.push(answer.body.code);
    }
    expect(outcomes.filter((o) => o === 'SOURCE_FILE_INVALID').length).toBeGreaterThan(0);
    writeFileSync(file, original);
    const after = await client.sql('SELECT count(*) AS n FROM bad.orders');
    expect(after.rows).toEqual([['15000']]);
    // No executor process died on the way (threads may have been replaced; processes not).
    expect((await service!.health()).executors.map((e) => e.pid).sort()).toEqual(pids);
  });
});
