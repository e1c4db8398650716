import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  HUGEINT,
  INTEGER,
  NULL_TYPE,
  TIMESTAMP,
  VARCHAR,
  decimal,
} from '@tributary/common';
import { TEST_FIELDS, TEST_ROW_COUNT, testBatch } from '../results/test-batch.ts';
import { writeDremioResults } from './dremio-results-writer.ts';
import { dremioTimestamp, dremioType, dremioValueJson } from './dremio-types.ts';

/**
 * Checked against Dremio's documented job results (docs.dremio.com, API Reference → Job →
 * Job Results): `"schema": [{"name": "pickup_datetime", "type": {"name": "TIMESTAMP"}},
 * {"name": "passenger_count", "type": {"name": "BIGINT"}}, {"name": "fare_amount", "type":
 * {"name": "DOUBLE"}}]` and rows `{"pickup_datetime": "2013-02-10 20:00:00.000",
 * "passenger_count": 9, "trip_distance_mi": 1.26}`; decimals carry precision and scale as in
 * Dremio's DatasetField type (`{"name": "DECIMAL", "precision": 15, "scale": 2}`).
 */
describe("Dremio's types and values", () => {
  it('names each type as Dremio does, decimals with precision and scale', () => {
    expect(
      [BOOLEAN, INTEGER, BIGINT, DOUBLE, DATE, TIMESTAMP, VARCHAR, NULL_TYPE].map((t) => dremioType(t)),
    ).toEqual(
      ['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DATE', 'TIMESTAMP', 'VARCHAR', 'NULL'].map((name) => ({
        name,
      })),
    );
    expect(dremioType(decimal(15, 2))).toEqual({ name: 'DECIMAL', precision: 15, scale: 2 });
    // Dremio has no 128-bit integer: SUM of integers is its DECIMAL(38,0).
    expect(dremioType(HUGEINT)).toEqual({ name: 'DECIMAL', precision: 38, scale: 0 });
  });

  it("writes timestamps as Dremio's documented '2013-02-10 20:00:00.000', keeping microseconds when there are some", () => {
    expect(dremioTimestamp('2013-02-10T20:00:00')).toBe('2013-02-10 20:00:00.000');
    expect(dremioTimestamp('2013-02-10T20:00:00.5')).toBe('2013-02-10 20:00:00.500');
    expect(dremioTimestamp('2023-11-14T22:13:20.123456')).toBe('2023-11-14 22:13:20.123456');
    expect(dremioTimestamp('2023-11-14T22:13:20.1234')).toBe('2023-11-14 22:13:20.123400');
  });

  it('writes numbers as JSON numbers with every digit, never through a double', () => {
    expect(dremioValueJson(decimal(38, 2), '123456789012345678901234567890123456.78')).toBe(
      '123456789012345678901234567890123456.78',
    );
    expect(dremioValueJson(BIGINT, '9007199254740993')).toBe('9007199254740993');
    expect(dremioValueJson(DOUBLE, 1.26)).toBe('1.26');
    expect(dremioValueJson(DOUBLE, 'NaN')).toBe('"NaN"');
    expect(dremioValueJson(DATE, '2013-02-10')).toBe('"2013-02-10"');
    expect(dremioValueJson(VARCHAR, 'a "b"')).toBe('"a \\"b\\""');
    expect(dremioValueJson(BOOLEAN, false)).toBe('false');
    expect(dremioValueJson(INTEGER, null)).toBe('null');
  });

  it("streams a page as {rowCount, schema, rows: [{column: value}]}, the job's row count first", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const batches = [testBatch(0, 2), testBatch(2)][Symbol.iterator]();
    const iterator = (async function* () {
      yield* batches;
    })();
    const rows = await writeDremioResults(out, TEST_FIELDS, 42, iterator, await iterator.next());
    const text = Buffer.concat(chunks).toString('utf8');
    expect(rows).toBe(TEST_ROW_COUNT);
    expect(text.startsWith('{"rowCount":42,"schema":[{"name":"id","type":{"name":"INTEGER"}},')).toBe(true);
    expect(text).toContain('{"name":"amount","type":{"name":"DECIMAL","precision":15,"scale":2}}');
    // TINYINT and SMALLINT are the INTEGER Dremio reads them as; FLOAT is Dremio's FLOAT.
    expect(text).toContain(
      '{"name":"tiny","type":{"name":"INTEGER"}},{"name":"small","type":{"name":"INTEGER"}},{"name":"single","type":{"name":"FLOAT"}}',
    );
    // Row one, verbatim: the exact decimal 12.30 and 2^53+1 as numbers, Dremio's timestamp and
    // time text (a zoned timestamp as its UTC time: Dremio's TIMESTAMP has no zone), a FLOAT by
    // its shortest digits.
    expect(text).toContain(
      '{"id":1,"amount":12.30,"big":9007199254740993,"day":"2022-01-08","name":"plain","ratio":0.1,"flag":true,"ts":"2023-11-14 22:13:20.123456","tz":"2023-11-14 22:13:20.500","clock":"12:30:00.000","tiny":127,"small":32767,"single":0.1}',
    );
    const parsed = JSON.parse(text) as { rows: Record<string, unknown>[] };
    expect(parsed.rows).toHaveLength(TEST_ROW_COUNT);
    expect(parsed.rows[3]).toEqual(Object.fromEntries(TEST_FIELDS.map((f) => [f.name, null])));
    expect(parsed.rows[1]).toMatchObject({ amount: -0.05, day: '1970-01-01', ts: '1970-01-01 00:00:00.000' });
  });
});
