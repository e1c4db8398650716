import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TributaryError } from '@tributary/common';
import type { ScanContext } from '../connector.ts';
import { collect, rowCount } from '../test-support.ts';
import { CsvConnector } from './csv-connector.ts';
import { csvLocation } from './csv-location.ts';
import { scanCsv } from './scan-csv.ts';

/**
 * Seeded byte flips, insertions of quotes and newlines, and truncations of a CSV file with
 * quoted fields: each file is either read or refused with a typed error (never another
 * exception), and when it is read, cutting it into byte ranges reads exactly the same
 * rows as reading it whole (the split-start search never loses or doubles a row).
 */

const roots = [tmpdir()];
const context: ScanContext = { roots };
const connector = new CsvConnector();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'csv-corrupt-'));
});

function original(): Buffer {
  const lines = ['id,name,price,day,note'];
  for (let i = 0; i < 400; i++)
    lines.push(
      `${i},"n${i}, ""q""",${i}.${i % 100},2024-01-${String(1 + (i % 28)).padStart(2, '0')},${i % 7 === 0 ? '"multi\nline"' : 'plain'}`,
    );
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corrupt(bytes: Buffer, seed: number): Buffer {
  const next = random(seed);
  const copy = Buffer.from(bytes);
  const at = Math.floor(next() * copy.length);
  switch (seed % 4) {
    case 0:
      copy[at] = Math.floor(next() * 256);
      return copy;
    case 1:
      return Buffer.concat([
        copy.subarray(0, at),
        Buffer.from([[34, 10, 44, 13][seed % 3]]),
        copy.subarray(at),
      ]);
    case 2:
      return copy.subarray(0, at);
    default:
      copy[at] = 34;
      return copy;
  }
}

async function outcome(run: () => Promise<number>): Promise<number | string> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof TributaryError)) throw error;
    expect(error.code).toMatch(/^[A-Z_]+$/);
    return error.code;
  }
}

describe('corrupted CSV files', () => {
  it('are read, or refused with a typed error; their byte-range splits read the same rows', async () => {
    const bytes = original();
    let read = 0;
    for (let seed = 0; seed < 160; seed++) {
      const file = join(folder, `c${seed}.csv`);
      await writeFile(file, seed === 0 ? bytes : corrupt(bytes, seed));
      const result = await outcome(async () => {
        const [t] = await connector.discover(file, { badRows: seed % 2 === 0 ? 'error' : 'skip' }, { roots });
        const location = csvLocation(t.location);
        const all = t.columns.map((_, i) => i);
        const whole = rowCount(
          await collect(scanCsv(location, t.columns, all, { start: 0, end: Infinity }, null, context)),
        );
        const size = (seed === 0 ? bytes : corrupt(bytes, seed)).length;
        const cuts = [
          0,
          Math.floor(size / 4),
          Math.floor(size / 2) + (seed % 13),
          Math.floor((3 * size) / 4),
          Infinity,
        ];
        let parts = 0;
        for (let k = 0; k + 1 < cuts.length; k++)
          parts += rowCount(
            await collect(
              scanCsv(location, t.columns, all, { start: cuts[k], end: cuts[k + 1] }, null, context),
            ),
          );
        expect(parts, `seed ${seed}`).toBe(whole);
        return whole;
      });
      if (typeof result === 'number') read++;
      if (seed === 0) expect(result).toBe(400);
    }
    // Most single-byte damage leaves a readable file.
    expect(read).toBeGreaterThan(40);
  }, 60_000);
});
