import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { INTEGER, makeRecordBatch } from '@tributary/common';
import { call, column, literal, type SortKey } from '@tributary/plan';
import { concatColumns } from '../kernels/concat.ts';
import { take, takeBatch } from '../kernels/take.ts';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import {
  allTypeFields,
  BatchSource,
  collectRows,
  drainBatches,
  randomBatches,
  seededRandom,
} from './operator-test-support.ts';
import { batchColumn } from './record-batch-column.ts';
import { compileSortKeys } from './sort-keys.ts';
import { SortedMergeExec } from './sorted-merge-exec.ts';
import { sortPermutation } from './sort-permutation.ts';

const fields = allTypeFields;
const col = (i: number) => column(i, fields[i].name, fields[i].type);
const key = (i: number, ascending: boolean, nullsFirst: boolean): SortKey => ({
  expr: col(i),
  ascending,
  nullsFirst,
});

/** The whole input as one batch, in sortPermutation's (stable) order. */
function referenceSort(batches: readonly RecordBatch[], keys: readonly SortKey[]): RecordBatch {
  const rows = batches.reduce((n, b) => n + b.numRows, 0);
  const columns = fields.map((f, c) => concatColumns(batches.map((b) => batchColumn(b, c, f.type))));
  const whole = makeRecordBatch(fields, columns, rows);
  const permutation = sortPermutation(
    compileSortKeys(keys, fields).map((f) => f(whole)),
    keys,
    rows,
  );
  return makeRecordBatch(
    fields,
    columns.map((c) => take(c, permutation)),
    rows,
  );
}

/** A batch cut into batches of random sizes (1..maxRows), so merges cross batch edges. */
function cut(batch: RecordBatch, maxRows: number, next: () => number): RecordBatch[] {
  const out: RecordBatch[] = [];
  for (let start = 0; start < batch.numRows;) {
    const n = Math.min(batch.numRows - start, 1 + (next() % maxRows));
    const index = Uint32Array.from({ length: n }, (_, k) => start + k);
    out.push(takeBatch(batch, fields, index));
    start += n;
  }
  return out;
}

/** Splits the input into `parts` contiguous pieces, each sorted alone and cut anew. */
function sortedInputs(
  input: readonly RecordBatch[],
  keys: readonly SortKey[],
  parts: number,
  seed: number,
): BatchSource[] {
  const next = seededRandom(seed);
  const sources: BatchSource[] = [];
  const per = Math.ceil(input.length / parts);
  for (let p = 0; p < parts; p++) {
    const piece = input.slice(p * per, (p + 1) * per);
    const sorted = piece.length > 0 ? cut(referenceSort(piece, keys), 300, next) : [];
    sources.push(new BatchSource(fields, sorted));
  }
  return sources;
}

const orders: [boolean, boolean][] = [
  [true, false],
  [true, true],
  [false, false],
  [false, true],
];

describe('SortedMergeExec', () => {
  const input = randomBatches(fields, 3000, 200, 11);
  const expectedFor = async (keys: SortKey[]) =>
    collectRows(new BatchSource(fields, [referenceSort(input, keys)]));

  for (let c = 0; c < fields.length; c++) {
    it(`merges runs by ${fields[c].name} (${fields[c].type.kind}) in every order as sortPermutation sorts`, async () => {
      for (const [ascending, nullsFirst] of orders) {
        const keys = [key(c, ascending, nullsFirst)];
        const merged = new SortedMergeExec(sortedInputs(input, keys, 5, c), keys, { batchRows: 1000 });
        const out = await drainBatches(merged);
        expect(out.every((b) => b.numRows <= 1000)).toBe(true);
        expect(await collectRows(new BatchSource(fields, out))).toEqual(await expectedFor(keys));
      }
    });
  }

  it('merges by several keys and by an expression key', async () => {
    const keyLists: SortKey[][] = [
      [key(8, true, false), key(2, false, true), key(5, true, true)],
      [key(0, false, false), key(3, true, true), key(7, false, false)],
      [key(4, true, true), key(6, false, false), key(1, true, false)],
      [
        {
          expr: call('modulo', [col(1), literal(3, INTEGER)], INTEGER),
          ascending: false,
          nullsFirst: true,
        },
        key(8, true, true),
      ],
    ];
    for (const keys of keyLists) {
      const merged = new SortedMergeExec(sortedInputs(input, keys, 7, 3), keys);
      expect(await collectRows(merged)).toEqual(await expectedFor(keys));
    }
  });

  it('orders keys exactly when rows are dealt to inputs at random', async () => {
    const keys = [key(5, false, true), key(3, true, false), key(8, true, true)];
    const next = seededRandom(5);
    const rows = referenceSort(input, []);
    const dealt: number[][] = [[], [], [], []];
    for (let r = 0; r < rows.numRows; r++) dealt[next() % 4].push(r);
    const sources = dealt.map(
      (indices) =>
        new BatchSource(
          fields,
          cut(referenceSort([takeBatch(rows, fields, Uint32Array.from(indices))], keys), 500, next),
        ),
    );
    // -0 and 0 tie as keys, so which comes first is the dealing's business.
    const keyColumns = (r: unknown[]) => [r[5], Object.is(r[3], -0) ? 0 : r[3], r[8]];
    const actual = (await collectRows(new SortedMergeExec(sources, keys))).map(keyColumns);
    expect(actual).toEqual((await expectedFor(keys)).map(keyColumns));
  });

  it('stops after `limit` rows and returns every input early', async () => {
    const keys = [key(2, true, false)];
    const returned: boolean[] = [];
    const tracked = sortedInputs(input, keys, 3, 9).map((source, i): PhysicalOperator => ({
      ...source,
      name: 'Tracked',
      schema: fields,
      children: [],
      describe: () => '',
      async *execute(signal: AbortSignal) {
        try {
          yield* source.execute();
          void signal;
        } finally {
          returned[i] = true;
        }
      },
    }));
    const merged = new SortedMergeExec(tracked, keys, { limit: 777, batchRows: 500 });
    const out = await drainBatches(merged);
    expect(out.map((b) => b.numRows)).toEqual([500, 277]);
    expect(await collectRows(new BatchSource(fields, out))).toEqual((await expectedFor(keys)).slice(0, 777));
    expect(returned).toEqual([true, true, true]);
    const single = new SortedMergeExec([sortedInputs(input, keys, 1, 2)[0]], keys, { limit: 10 });
    expect(await collectRows(single)).toEqual((await expectedFor(keys)).slice(0, 10));
  });

  it('handles empty inputs and accounts what it holds', async () => {
    const keys = [key(8, false, false)];
    const pool = new LimitedMemoryPool(4 * 1024 * 1024);
    const sources = [...sortedInputs(input, keys, 3, 4), new BatchSource(fields, [])];
    const merged = new SortedMergeExec(sources, keys, { resources: { memory: pool } });
    expect(await collectRows(merged)).toEqual(await expectedFor(keys));
    expect(pool.used()).toBe(0);
    const tiny = new LimitedMemoryPool(4096, 'test limit');
    const starved = new SortedMergeExec(sortedInputs(input, keys, 3, 4), keys, {
      resources: { memory: tiny },
    });
    await expect(collectRows(starved)).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      message: expect.stringContaining('the test limit of 4 KB'),
    });
    expect(tiny.used()).toBe(0);
    const none = new SortedMergeExec([new BatchSource(fields, []), new BatchSource(fields, [])], keys);
    expect(await drainBatches(none)).toEqual([]);
  });
});
