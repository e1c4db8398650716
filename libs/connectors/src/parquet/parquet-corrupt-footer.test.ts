import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TributaryError } from '@tributary/common';
import { duckdb } from '../test-support.ts';
import { parquetFileColumns } from './parquet-file-columns.ts';
import { readParquetFooter } from './read-parquet-footer.ts';

/** A small deterministic generator, so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * Seeded bit flips in the footer and truncations anywhere, as discovery and planning read
 * them (hyparquet and the footer's consistency checks; the data pages' decoder, parquet-wasm,
 * can trap, which the executor contains: apps/coordinator/e2e/corrupt-files.test.ts): each
 * file is refused with a typed error naming it, or its footer still gives the original rows
 * and columns (the flip hit statistics or metadata nothing depends on).
 */
describe('Parquet footers with seeded corruption', () => {
  it('ends every one in a typed error naming the file, or in the original rows and columns', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'parquet-corrupt-'));
    const good = join(tmp, 'good.parquet');
    await duckdb(
      `COPY (SELECT i AS k, 'v' || (i % 7) AS s, i / 4 AS d FROM range(3000) t(i)) TO '${good}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
    const original = await readFile(good);
    const footerLength = original.readUInt32LE(original.length - 8);
    const footerStart = original.length - 8 - footerLength;
    const columns = parquetFileColumns(await readParquetFooter(good), good);
    let refused = 0;
    let read = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      const next = random(seed);
      const bytes = Buffer.from(original);
      let cut = bytes.length;
      if (seed % 4 === 0) cut = Math.floor(next() * bytes.length);
      else
        for (let flips = 1 + Math.floor(next() * 3); flips > 0; flips--) {
          const at = footerStart + Math.floor(next() * footerLength);
          bytes[at] ^= 1 << Math.floor(next() * 8);
        }
      const file = join(tmp, `case-${seed}.parquet`);
      await writeFile(file, bytes.subarray(0, cut));
      let footer;
      try {
        footer = await readParquetFooter(file);
        parquetFileColumns(footer, file);
      } catch (error) {
        expect(error, `seed ${seed}: ${String(error)}`).toBeInstanceOf(TributaryError);
        expect((error as Error).message, `seed ${seed}`).toContain(file);
        refused++;
        continue;
      }
      // Accepted: the flip hit something that changes neither rows nor columns.
      expect(footer.metadata.num_rows, `seed ${seed}`).toBe(3000n);
      expect(parquetFileColumns(footer, file), `seed ${seed}`).toEqual(columns);
      read++;
    }
    expect(refused + read).toBe(1000);
    expect(refused).toBeGreaterThan(0);
  });
});
