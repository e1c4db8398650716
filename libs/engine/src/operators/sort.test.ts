import { describe, expect, it } from 'vitest';
import { BIGINT, DATE, DOUBLE, INTEGER, VARCHAR, decimal } from '@tributary/common';
import { call, column, literal, type Field, type SortKey } from '@tributary/plan';
import { SortExec, TopN } from './sort.ts';
import { BatchSource, collectRows, duckRows, sqlValues, type TestValue } from './operator-test-support.ts';

const fields: Field[] = [
  { name: 'id', type: INTEGER, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
  { name: 'n', type: INTEGER, nullable: true },
  { name: 'x', type: DOUBLE, nullable: true },
  { name: 'd', type: decimal(15, 2), nullable: true },
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'dt', type: DATE, nullable: true },
];

function makeRows(count: number): TestValue[][] {
  let seed = 7;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed;
  };
  const maybe = <T extends TestValue>(v: T): T | null => (next() % 7 === 0 ? null : v);
  return Array.from({ length: count }, (_, id) => [
    id,
    maybe(['apple', 'Apple', 'äpfel', 'b', '', 'apples', 'ab'][next() % 7]),
    maybe((next() % 9) - 4),
    maybe(((next() % 2000) - 1000) / 8),
    maybe((next() % 20000) - 10000),
    maybe((next() % 5) * 2 ** 40 - 2 ** 41),
    maybe(10000 + (next() % 50)),
  ]);
}

const col = (i: number) => column(i, fields[i].name, fields[i].type);
const key = (i: number, ascending: boolean, nullsFirst: boolean): SortKey => ({
  expr: col(i),
  ascending,
  nullsFirst,
});
const keySql = (k: SortKey): string =>
  `${fields[(k.expr as { index: number }).index].name} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;

describe('SortExec and TopN', () => {
  const rows = makeRows(400);
  const keyLists: SortKey[][] = [
    [key(1, true, false), key(0, true, false)],
    [key(1, false, true), key(2, true, true), key(0, false, false)],
    [key(3, true, true), key(0, true, true)],
    [key(4, false, false), key(5, true, false), key(0, true, false)],
    [key(6, true, false), key(5, false, true), key(0, true, false)],
  ];
  for (const keys of keyLists) {
    const orderBy = keys.map(keySql).join(', ');
    it(`sorts by ${orderBy} as DuckDB does`, async () => {
      const expected = await duckRows(`SELECT * FROM ${sqlValues(fields, rows)} ORDER BY ${orderBy}`);
      expect(await collectRows(new SortExec(BatchSource.fromRows(fields, rows, 64), keys))).toEqual(expected);
      const top = await duckRows(
        `SELECT * FROM ${sqlValues(fields, rows)} ORDER BY ${orderBy} LIMIT 25 OFFSET 10`,
      );
      expect(await collectRows(new TopN(BatchSource.fromRows(fields, rows, 64), keys, 25, 10))).toEqual(top);
    });
  }

  it('sorts by an expression key', async () => {
    const keys: SortKey[] = [
      { expr: call('modulo', [col(0), literal(7, INTEGER)], INTEGER), ascending: false, nullsFirst: false },
      { expr: col(0), ascending: true, nullsFirst: false },
    ];
    const expected = await duckRows(`SELECT * FROM ${sqlValues(fields, rows)} ORDER BY id % 7 DESC, id`);
    expect(await collectRows(new SortExec(BatchSource.fromRows(fields, rows, 100), keys))).toEqual(expected);
  });

  it('keeps TopN memory bounded by trimming across many batches', async () => {
    const many = makeRows(70_000);
    const keys = [key(3, false, false), key(0, true, false)];
    const result = await collectRows(new TopN(BatchSource.fromRows(fields, many, 4096), keys, 5));
    const expected = [...many]
      .filter((r) => r[3] !== null)
      .sort((p, q) => (q[3] as number) - (p[3] as number) || (p[0] as number) - (q[0] as number));
    expect(result.map((r) => r[0])).toEqual(expected.slice(0, 5).map((r) => r[0]));
  });

  it('puts NaN above every number and yields nothing for empty input', async () => {
    const xs: TestValue[][] = [
      [1, 'a', 1, NaN, 1, 1, 1],
      [2, 'a', 1, Infinity, 1, 1, 1],
      [3, 'a', 1, -1, 1, 1, 1],
    ];
    const sorted = await collectRows(new SortExec(BatchSource.fromRows(fields, xs), [key(3, true, false)]));
    expect(sorted.map((r) => r[0])).toEqual([3, 2, 1]);
    expect(await collectRows(new SortExec(new BatchSource(fields, []), [key(3, true, false)]))).toEqual([]);
  });
});
