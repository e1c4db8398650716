import { describe, expect, it } from 'vitest';
import { columnBuffers, makeRecordBatch } from './arrow-columns.ts';
import { ColumnBuilder } from './column-builder.ts';
import { compareItems, itemToJson, itemToText, listAt, readItem } from './list-values.ts';
import {
  BIGINT,
  DATE,
  DOUBLE,
  INTEGER,
  SMALLINT,
  TIMESTAMPTZ,
  VARCHAR,
  decimal,
  listOf,
  parseTypeName,
  typeToString,
} from './sql-type.ts';

describe('lists in the canonical layout', () => {
  it('builds a list column (offsets into an element column) and reads its rows back', () => {
    const type = listOf(INTEGER);
    const builder = new ColumnBuilder(type, 2);
    builder.appendList([1, null, 3]);
    builder.appendNull();
    builder.appendList([]);
    builder.appendItem([4]);
    const column = builder.finish();
    expect(column.length).toBe(4);
    expect([...column.offsets!]).toEqual([0, 3, 3, 3, 4]);
    expect([0, 1, 2, 3].map((i) => listAt(column, i))).toEqual([[1, null, 3], null, [], [4]]);
  });

  it('goes through Arrow as a List of the element type and comes back the same', () => {
    const type = listOf(listOf(VARCHAR));
    const builder = new ColumnBuilder(type);
    builder.appendList([['a', 'b c'], null, []]);
    builder.appendList([]);
    const batch = makeRecordBatch([{ name: 'l', type }], [builder.finish()], 2);
    expect(String(batch.schema.fields[0].type)).toBe('List<List<Utf8>>');
    const back = columnBuffers(batch.getChildAt(0)!.data[0], type);
    expect(readItem(back, 0)).toEqual([['a', 'b c'], null, []]);
    expect(readItem(back, 1)).toEqual([]);
  });

  it('holds wide integers and decimals exactly, as bigints', () => {
    const builder = new ColumnBuilder(listOf(decimal(20, 2)));
    builder.appendList([12345678901234567890n, -5n]);
    expect(listAt(builder.finish(), 0)).toEqual([12345678901234567890n, -5n]);
  });
});

describe('list types and values as text', () => {
  it("names list types as DuckDB does and parses Postgres' and DuckDB's spellings", () => {
    expect(typeToString(listOf(INTEGER))).toBe('INTEGER[]');
    expect(typeToString(listOf(listOf(decimal(15, 2))))).toBe('DECIMAL(15,2)[][]');
    expect(parseTypeName('int2[]')).toEqual(listOf(SMALLINT));
    expect(parseTypeName('VARCHAR[][]')).toEqual(listOf(listOf(VARCHAR)));
    expect(parseTypeName('nope[]')).toBeUndefined();
  });

  it('casts to text like DuckDB and to JSON like its rows', () => {
    expect(itemToText([1, null, 3], listOf(INTEGER))).toBe('[1, NULL, 3]');
    expect(itemToText(['a', 'b c'], listOf(VARCHAR))).toBe('[a, b c]');
    expect(itemToText([1.5, 2], listOf(DOUBLE))).toBe('[1.5, 2.0]');
    expect(itemToText([1234n], listOf(decimal(10, 2)))).toBe('[12.34]');
    // DuckDB quotes an element that would not read back as itself, escaping ' and \.
    expect(itemToText(['', ' x', 'x ', 'Null', 'a,b', "it's", 'a\\b', 'a:b', 'x'], listOf(VARCHAR))).toBe(
      "['', ' x', 'x ', 'Null', 'a,b', 'it\\'s', a\\b, 'a:b', x]",
    );
    expect(itemToText([[''], null], listOf(listOf(VARCHAR)))).toBe("[[''], NULL]");
    expect(itemToText([0n], listOf(TIMESTAMPTZ))).toBe("['1970-01-01 00:00:00+00']");
    expect(itemToText([0], listOf(DATE))).toBe('[1970-01-01]');
    expect(itemToJson([0, 31], listOf(DATE))).toEqual(['1970-01-01', '1970-02-01']);
    expect(itemToJson([2n ** 60n, 7n], listOf(BIGINT))).toEqual(['1152921504606846976', 7]);
  });

  it('orders lists element by element, NULL elements last, a prefix first', () => {
    expect(compareItems([1, 2], [1, 3])).toBeLessThan(0);
    expect(compareItems([1, 2], [1])).toBeGreaterThan(0);
    expect(compareItems([1, null], [1, 5])).toBeGreaterThan(0);
    expect(compareItems(['b'], ['a', 'z'])).toBeGreaterThan(0);
    expect(compareItems([], [])).toBe(0);
  });
});
