import { describe, expect, it } from 'vitest';
import { makeRecordBatch } from '@tributary/common';
import { allTypeFields, randomColumn, seededRandom } from '../operators/operator-test-support.ts';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { concatColumns } from './concat.ts';
import { interleave } from './interleave.ts';
import { take } from './take.ts';

describe('interleave', () => {
  it('gathers rows of several columns of every type as concat + take would, NULLs kept', () => {
    const next = seededRandom(8);
    for (const field of allTypeFields) {
      // Some sources have NULLs and some none, so bitmaps are present or absent per source.
      const columns = [300, 1, 0, 77].map((n, i) => randomColumn(field.type, n, next, i % 2 === 0 ? 4 : 0));
      const starts = [0, 300, 301, 301];
      const count = 1000;
      const sources = new Uint32Array(count);
      const rows = new Uint32Array(count);
      const global = new Uint32Array(count);
      for (let k = 0; k < count; k++) {
        let s = next() % 4;
        while (columns[s].length === 0) s = next() % 4;
        sources[k] = s;
        rows[k] = next() % columns[s].length;
        global[k] = starts[s] + rows[k];
      }
      const actual = interleave(columns, sources, rows, count);
      const expected = take(concatColumns(columns), global, count);
      const json = (c: typeof actual) => batchToJsonRows(makeRecordBatch([field], [c], count), [field]);
      expect([field.name, json(actual)]).toEqual([field.name, json(expected)]);
      expect(actual.validity === undefined).toBe(expected.validity === undefined);
    }
  });
});
