import { describe, expect, it } from 'vitest';
import { BIGINT, INTEGER, VARCHAR } from '@tributary/common';
import { column, GROUPING_ID_NAME, type Field } from '@tributary/plan';
import { ExpandExec } from './expand-exec.ts';
import { HashAggregate } from './hash-aggregate.ts';
import { BatchSource, collectRows, sortedRows } from './operator-test-support.ts';
import { ReplicateExec } from './replicate-exec.ts';
import { UnionExec } from './union-exec.ts';

const AB: Field[] = [
  { name: 'a', type: INTEGER, nullable: true },
  { name: 'b', type: VARCHAR, nullable: true },
];

describe('UnionExec', () => {
  it('yields every input in turn, duplicates and NULLs kept', async () => {
    const left = BatchSource.fromRows(AB, [
      [1, 'x'],
      [null, 'y'],
    ]);
    const right = BatchSource.fromRows(AB, [
      [1, 'x'],
      [2, null],
    ]);
    const empty = BatchSource.fromRows(AB, []);
    expect(await collectRows(new UnionExec([left, empty, right], AB))).toEqual([
      [1, 'x'],
      [null, 'y'],
      [1, 'x'],
      [2, null],
    ]);
  });
});

describe('ExpandExec', () => {
  const input = (): BatchSource =>
    BatchSource.fromRows(AB, [
      [1, 'x'],
      [2, null],
      [1, 'y'],
    ]);
  const keys = [column(0, 'a', INTEGER), column(1, 'b', VARCHAR)];
  const schema: Field[] = [
    ...AB,
    { name: 'a', type: INTEGER, nullable: true },
    { name: 'b', type: VARCHAR, nullable: true },
    { name: GROUPING_ID_NAME, type: INTEGER, nullable: false },
  ];

  it('copies each row once per set, keys outside the set NULL, the set index last', async () => {
    const expand = new ExpandExec(input(), keys, [[0, 1], [0], []], schema);
    expect(sortedRows(await collectRows(expand))).toEqual(
      sortedRows([
        [1, 'x', 1, 'x', 0],
        [2, null, 2, null, 0],
        [1, 'y', 1, 'y', 0],
        [1, 'x', 1, null, 1],
        [2, null, 2, null, 1],
        [1, 'y', 1, null, 1],
        [1, 'x', null, null, 2],
        [2, null, null, null, 2],
        [1, 'y', null, null, 2],
      ]),
    );
  });

  it('feeds an aggregate over keys and set index: a rollup in one pass', async () => {
    const expand = new ExpandExec(input(), keys, [[0], []], schema);
    const groupBy = [column(2, 'a', INTEGER), column(4, GROUPING_ID_NAME, INTEGER)];
    const out: Field[] = [
      { name: 'a', type: INTEGER, nullable: true },
      { name: GROUPING_ID_NAME, type: INTEGER, nullable: false },
      { name: 'n', type: BIGINT, nullable: false },
    ];
    const agg = new HashAggregate(
      expand,
      groupBy,
      [{ fn: 'count_star', arg: null, distinct: false, type: BIGINT }],
      out,
    );
    expect(sortedRows(await collectRows(agg))).toEqual(
      sortedRows([
        [1, 0, '2'],
        [2, 0, '1'],
        [null, 1, '3'],
      ]),
    );
  });

  it('makes the ensured rows of empty sets when no row comes in', async () => {
    const expand = new ExpandExec(BatchSource.fromRows(AB, []), keys, [[0], []], schema);
    const groupBy = [column(2, 'a', INTEGER), column(4, GROUPING_ID_NAME, INTEGER)];
    const out: Field[] = [
      { name: 'a', type: INTEGER, nullable: true },
      { name: GROUPING_ID_NAME, type: INTEGER, nullable: false },
      { name: 'n', type: BIGINT, nullable: false },
    ];
    const count = [{ fn: 'count_star' as const, arg: null, distinct: false, type: BIGINT }];
    const agg = new HashAggregate(expand, groupBy, count, out, 'single', undefined, {
      idColumn: 4,
      ids: [1],
    });
    expect(await collectRows(agg)).toEqual([[null, 1, '0']]);
  });
});

describe('ReplicateExec', () => {
  const withCount: Field[] = [...AB, { name: 'copies', type: BIGINT, nullable: true }];

  it('repeats each row as often as its count says and drops the count', async () => {
    const source = BatchSource.fromRows(withCount, [
      [1, 'x', 2],
      [2, null, 0],
      [null, 'z', 1],
      [3, 'w', null],
      [4, 'v', -1],
    ]);
    expect(await collectRows(new ReplicateExec(source, AB))).toEqual([
      [1, 'x'],
      [1, 'x'],
      [null, 'z'],
    ]);
  });

  it('streams a huge count in bounded batches', async () => {
    const source = BatchSource.fromRows(withCount, [[7, 'big', 150_000]]);
    let batches = 0;
    let rows = 0;
    for await (const batch of new ReplicateExec(source, AB).execute(new AbortController().signal)) {
      batches++;
      rows += batch.numRows;
      expect(batch.numRows).toBeLessThanOrEqual(65_536);
    }
    expect(rows).toBe(150_000);
    expect(batches).toBe(3);
  });
});
