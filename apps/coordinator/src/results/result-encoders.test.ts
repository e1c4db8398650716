import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedDuckDbOracle } from '@tributary/common/testing';
import { batchToJsonRows } from '@tributary/engine';
import { csvField } from './csv-result-encoder.ts';
import { resultEncoder } from './result-encoder.ts';
import type { ResultFormat } from './result-format.ts';
import { TEST_FIELDS, TEST_ROWS_SQL, testBatch } from './test-batch.ts';

const dir = mkdtempSync(join(tmpdir(), 'encoders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The test rows, cut into two batches, encoded in `format`. */
async function encode(format: ResultFormat, batches = [testBatch(0, 2), testBatch(2)]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const encoder = resultEncoder(format);
  await encoder.begin(out, TEST_FIELDS);
  for (const batch of batches) await encoder.write(batch);
  await encoder.end({ rowCount: 5, jobId: 'j' });
  out.end();
  return Buffer.concat(chunks);
}

const expectedJsonRows = () => batchToJsonRows(testBatch(), TEST_FIELDS);

describe('result encoders', () => {
  it('JSON: the shape of POST /api/v1/sql, with the trailer after the rows', async () => {
    const body = JSON.parse((await encode('json')).toString()) as Record<string, unknown>;
    expect(body.columns).toEqual(TEST_FIELDS.map((f) => ({ name: f.name, type: expect.any(String) })));
    expect(body.rows).toEqual(expectedJsonRows());
    expect(body).toMatchObject({ rowCount: 5, jobId: 'j' });
    expect((body.rows as unknown[][])[0].slice(0, 3)).toEqual([1, '12.30', '9007199254740993']);
  });

  it('NDJSON: one object per row and line, values as in JSON', async () => {
    const lines = (await encode('ndjson')).toString().split('\n');
    expect(lines.pop()).toBe('');
    const names = TEST_FIELDS.map((f) => f.name);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual(
      expectedJsonRows().map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]]))),
    );
  });

  it('Arrow IPC stream: the batches with their exact types; an empty result keeps its schema', async () => {
    const table = tableFromIPC(await encode('arrow'));
    expect(table.numRows).toBe(5);
    expect(table.batches.flatMap((b) => batchToJsonRows(b, TEST_FIELDS))).toEqual(expectedJsonRows());
    expect(table.schema.fields[1].type).toMatchObject({ precision: 15, scale: 2, bitWidth: 128 });
    // TINYINT, SMALLINT and FLOAT leave in their own widths (Int32 and Float64 inside).
    expect(table.schema.fields.slice(-3).map((f) => String(f.type))).toEqual(['Int8', 'Int16', 'Float32']);
    const empty = tableFromIPC(await encode('arrow', []));
    expect(empty.numRows).toBe(0);
    expect(empty.schema.fields.map((f) => f.name)).toEqual(TEST_FIELDS.map((f) => f.name));
  });

  it('CSV: read back by DuckDB read_csv (quoted empty strings kept) equals DuckDB on the same values', async () => {
    const file = join(dir, 'rows.csv');
    const text = (await encode('csv')).toString();
    expect(text.split('\r\n')[0]).toBe('id,amount,big,day,name,ratio,flag,ts,tz,clock,tiny,small,single');
    writeFileSync(file, text);
    const oracle = await sharedDuckDbOracle();
    const types = `{'id':'INTEGER','amount':'DECIMAL(15,2)','big':'BIGINT','day':'DATE','name':'VARCHAR','ratio':'DOUBLE','flag':'BOOLEAN','ts':'TIMESTAMP','tz':'TIMESTAMPTZ','clock':'TIME','tiny':'TINYINT','small':'SMALLINT','single':'FLOAT'}`;
    const read = await oracle.query(
      `SELECT * FROM read_csv('${file}', header = true, allow_quoted_nulls = false, columns = ${types})`,
    );
    const expected = await oracle.query(TEST_ROWS_SQL);
    expect(read.rows).toEqual(expected.rows);
  });

  it('Parquet (on a worker thread): read back by DuckDB, the same values and types as DuckDB', async () => {
    const file = join(dir, 'rows.parquet');
    writeFileSync(file, await encode('parquet'));
    const oracle = await sharedDuckDbOracle();
    const read = await oracle.query(`SELECT * FROM read_parquet('${file}')`);
    const expected = await oracle.query(TEST_ROWS_SQL);
    expect(read.columns.map((c) => c.duckdbType)).toEqual(expected.columns.map((c) => c.duckdbType));
    expect(read.rows).toEqual(expected.rows);
    writeFileSync(file, await encode('parquet', []));
    expect((await oracle.query(`SELECT count(*) AS n FROM read_parquet('${file}')`)).rows).toEqual([['0']]);
  });

  it('quotes a CSV field only when it must, and an empty string always (unquoted empty is NULL)', () => {
    expect(csvField(null)).toBe('');
    expect(csvField('')).toBe('""');
    expect(csvField('abc')).toBe('abc');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' pad')).toBe('" pad"');
    expect(csvField(12.5)).toBe('12.5');
  });

  it('writes a list as DuckDB prints it, quoted for its commas', () => {
    expect(csvField([1, null, 3])).toBe('"[1, NULL, 3]"');
    expect(csvField([['a'], []])).toBe('"[[a], []]"');
    expect(csvField([])).toBe('[]');
  });
});
