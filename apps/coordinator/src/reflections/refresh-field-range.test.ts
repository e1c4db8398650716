import { describe, expect, it } from 'vitest';
import { BIGINT } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { type BaseTableSnapshot, type RefreshFieldMark, type ReflectionRecord } from '@tributary/reflections';
import type { QueryJob, QueryRequest } from '../query/query-service.ts';
import { definedAsOf, refreshFieldRange } from './refresh-field-range.ts';

const base: ReflectionRecord = {
  id: 'r1',
  name: 'r',
  datasetPath: ['lite', 'orders'],
  type: 'RAW',
  enabled: true,
  displayColumns: ['o_orderkey', 'o_totalprice'],
  dimensions: [],
  measures: [],
  partitionBy: [],
  localSortBy: [],
  owner: null,
  tag: 't',
  refreshPolicy: { refreshField: 'o_orderkey' },
  status: 'STALE',
  failureCount: 0,
  lastError: null,
  materialization: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const mark = (over: Partial<RefreshFieldMark> = {}): RefreshFieldMark => ({
  column: 'o_orderkey',
  max: '100',
  type: 'BIGINT',
  rows: 40,
  definedAs: definedAsOf(base),
  ...over,
});

/** The reflection as built once with this mark. */
const builtWith = (m: RefreshFieldMark, reflection = base): ReflectionRecord => ({
  ...reflection,
  materialization: {
    id: 'm1',
    reflectionId: 'r1',
    folder: '/r/r1/m1',
    table: { source: '$reflection', table: 'r1' } as unknown as TableRef,
    builtAt: Date.parse('2026-01-02T00:00:00Z'),
    rows: 40,
    bytes: 400,
    snapshot: [{ source: 'lite', table: 'orders', fingerprint: 'f1', refreshField: m }],
    refreshMs: 1,
    incremental: false,
  },
});

const now: BaseTableSnapshot[] = [{ source: 'lite', table: 'orders', fingerprint: 'f2' }];

/** Answers every probe with one row of these values (columns typed as the real probe's `m`). */
function probe(row: Record<string, unknown>) {
  const asked: QueryRequest[] = [];
  const queries = {
    start: (request: QueryRequest): QueryJob => {
      asked.push(request);
      const names = Object.keys(row);
      return {
        id: 'job-1',
        result: Promise.resolve({
          jobId: 'job-1',
          fields: names.map((name) => ({ name, type: BIGINT, nullable: true })),
          batches: (async function* () {
            yield { numRows: 1, getChildAt: (i: number) => ({ get: () => row[names[i]] }) };
          })(),
          startedAt: 0,
          acceleration: null,
          timings: { planMs: 0, queuedMs: 0 },
          warnings: () => [],
          finish: () => undefined,
        }),
      } as unknown as QueryJob;
    },
  };
  return { queries, asked };
}

const signal = new AbortController().signal;

describe('builds by a refresh field', () => {
  it('read all rows up to the maximum the probe saw the first time (and those with no value)', async () => {
    const { queries, asked } = probe({ m: 120n, max: '120', n: 50n });
    const range = await refreshFieldRange(base, now, queries, signal);
    expect(range).toMatchObject({
      where: `("o_orderkey" <= CAST('120' AS BIGINT) OR "o_orderkey" IS NULL)`,
      mark: { column: 'o_orderkey', max: '120', type: 'BIGINT', rows: 50 },
      appendTo: undefined,
    });
    expect(asked[0]).toMatchObject({ queryType: 'INTERNAL', options: { reflections: false } });
    expect(asked[0].sql).toBe(
      `SELECT max("o_orderkey") AS "m", CAST(max("o_orderkey") AS VARCHAR) AS "max", count(*) AS "n" FROM "lite"."orders"`,
    );
  });

  it('then read only the rows above the last mark, up to the new maximum, appended to the serving copy', async () => {
    const reflection = builtWith(mark());
    const { queries, asked } = probe({ m: 130n, max: '130', n: 55n, upto: 40n, down: false });
    const range = await refreshFieldRange(reflection, now, queries, signal);
    expect(range).toMatchObject({
      where: `"o_orderkey" > CAST('100' AS BIGINT) AND "o_orderkey" <= CAST('130' AS BIGINT)`,
      mark: { max: '130', rows: 55 },
      appendTo: reflection.materialization,
    });
    expect(asked[0].sql).toContain(
      `sum(CASE WHEN "o_orderkey" <= CAST('100' AS BIGINT) OR "o_orderkey" IS NULL THEN 1 ELSE 0 END) AS "upto"`,
    );
  });

  it('rebuild in full when rows up to the mark went or came, the maximum went down, or the definition changed', async () => {
    const shrank = await refreshFieldRange(
      builtWith(mark()),
      now,
      probe({ m: 130n, max: '130', n: 50n, upto: 35n, down: false }).queries,
      signal,
    );
    expect(shrank).toMatchObject({ appendTo: undefined, mark: { max: '130', rows: 50 } });
    expect(shrank?.fullBecause).toBe(
      'its dataset no longer has the 40 rows up to o_orderkey = 100 the last build read',
    );
    const down = await refreshFieldRange(
      builtWith(mark()),
      now,
      probe({ m: 90n, max: '90', n: 30n, upto: 30n, down: true }).queries,
      signal,
    );
    expect(down?.fullBecause).toBe('its maximum of o_orderkey went down below 100');
    const redefined = builtWith(mark({ definedAs: 'SELECT "o_orderkey" FROM "lite"."orders"' }));
    const probed = probe({ m: 130n, max: '130', n: 55n });
    expect((await refreshFieldRange(redefined, now, probed.queries, signal))?.appendTo).toBeUndefined();
    // Without a comparable mark the probe does not even count the rows up to it.
    expect(probed.asked[0].sql).not.toContain('upto');
    const resorted = { ...builtWith(mark()), localSortBy: ['o_totalprice'] };
    const sorted = await refreshFieldRange(
      resorted,
      now,
      probe({ m: 130n, max: '130', n: 55n }).queries,
      signal,
    );
    expect(sorted?.appendTo).toBeUndefined();
    const otherField = builtWith(mark({ column: 'o_custkey' }));
    expect(
      (await refreshFieldRange(otherField, now, probe({ m: 1n, max: '1', n: 1n }).queries, signal))?.appendTo,
    ).toBeUndefined();
  });

  it('do not apply without a refresh field or over more than one table (a join)', async () => {
    const { queries, asked } = probe({});
    expect(await refreshFieldRange({ ...base, refreshPolicy: {} }, now, queries, signal)).toBeUndefined();
    const joined = [...now, { source: 'lite', table: 'lineitem', fingerprint: 'f3' }];
    expect(await refreshFieldRange(base, joined, queries, signal)).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
