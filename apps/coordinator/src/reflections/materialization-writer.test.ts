import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIGINT, ColumnBuilder, VARCHAR, makeRecordBatch } from '@tributary/common';
import { DuckDbOracle } from '@tributary/common/testing';
import { MaterializationWriter } from './materialization-writer.ts';

const fields = [
  { name: 'k', type: BIGINT, nullable: true },
  { name: 'flag', type: VARCHAR, nullable: true },
];
const root = mkdtempSync(path.join(tmpdir(), 'materialization-writer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Rows k = from…from+n-1, each flagged by `flagOf` (ordered by flag, as a build's rows are). */
function batch(from: number, n: number, flagOf: (k: number) => string | null) {
  const k = new ColumnBuilder(BIGINT, n);
  const flag = new ColumnBuilder(VARCHAR, n);
  for (let i = 0; i < n; i++) {
    k.appendNumber(from + i);
    const f = flagOf(from + i);
    if (f === null) flag.appendNull();
    else flag.appendString(f);
  }
  return makeRecordBatch(fields, [k.finish(), flag.finish()], n);
}

describe('MaterializationWriter', () => {
  it('cuts ordered rows into one file per partition, runs spanning batches, NULL in its own folder', async () => {
    const folder = path.join(root, 'm.tmp');
    const writer = new MaterializationWriter(folder, fields, [1], 'p');
    const flagOf = (k: number) => (k < 700 ? 'A' : k < 1500 ? 'B/x' : k < 1501 ? 'C' : null);
    await writer.write(batch(0, 1000, flagOf));
    await writer.write(batch(1000, 1000, flagOf));
    const written = await writer.finish();
    expect(written.rows).toBe(2000);
    expect(written.files).toEqual([
      'flag=A/p-00000.parquet',
      // B's run spans both batches: one file, kept open across them.
      'flag=B%2Fx/p-00001.parquet',
      'flag=C/p-00002.parquet',
      'flag=__HIVE_DEFAULT_PARTITION__/p-00003.parquet',
    ]);
    expect(readdirSync(folder).sort()).toEqual([
      'flag=A',
      'flag=B%2Fx',
      'flag=C',
      'flag=__HIVE_DEFAULT_PARTITION__',
    ]);
    const oracle = await DuckDbOracle.open();
    const counts = await oracle.query(
      `SELECT flag, count(*), min(k), max(k) FROM read_parquet('${folder}/**/*.parquet', hive_partitioning = false) GROUP BY 1 ORDER BY 3`,
    );
    expect(counts.rows).toEqual([
      ['A', '700', '0', '699'],
      ['B/x', '800', '700', '1499'],
      ['C', '1', '1500', '1500'],
      [null, '499', '1501', '1999'],
    ]);
    oracle.close();
  });
});
