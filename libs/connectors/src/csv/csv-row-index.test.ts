import { describe, expect, it } from 'vitest';
import {
  csvRowIndex,
  indexCsvRows,
  INDEX_FULL,
  NEED_BYTES,
  RAGGED,
  type IndexCursor,
} from './csv-row-index.ts';
import {
  ABSENT,
  csvSyntax,
  INCOMPLETE,
  PLAIN,
  QUOTED,
  rowFields,
  tokenizeRow,
  type CsvSyntax,
} from './csv-tokenizer.ts';

/** Rows as [start, end, flag] per field; a quoted field that is not empty reads as a plain one. */
type IndexedRow = [number, number, number][];

function cursorOf(buf: Uint8Array, eof = true): IndexCursor {
  return {
    buf,
    pos: 0,
    eof,
    stopAt: buf.length,
    skipHeader: false,
    rowStart: 0,
    fieldCount: 0,
    nextQuote: -1,
    quoteBuf: undefined,
  };
}

function byIndex(buf: Uint8Array, syntax: CsvSyntax, width: number, padShortRows: boolean): IndexedRow[] {
  const index = csvRowIndex(width, 7);
  const cursor = cursorOf(buf);
  const rows: IndexedRow[] = [];
  for (;;) {
    const event = indexCsvRows(cursor, index, 7, syntax, rowFields(width), padShortRows);
    for (let r = 0; r < index.rows; r++) {
      const row: IndexedRow = [];
      for (let f = 0; f < width; f++) {
        const i = f * index.capacity + r;
        row.push([index.starts[i], index.ends[i], index.tokenized[r] === 0 ? PLAIN : index.flags[i]]);
      }
      rows.push(row.map(([s, e, flag]) => [s, e, flag === QUOTED && e > s ? PLAIN : flag]));
    }
    if (event === RAGGED) rows.push([[cursor.rowStart, cursor.fieldCount, -1]]);
    else if (event !== INDEX_FULL) break;
  }
  return rows;
}

function byTokenizer(buf: Uint8Array, syntax: CsvSyntax, width: number, padShortRows: boolean): IndexedRow[] {
  const fields = rowFields(width);
  const rows: IndexedRow[] = [];
  for (let p = 0; p < buf.length;) {
    const rowStart = p;
    p = tokenizeRow(buf, p, buf.length, true, syntax, fields);
    if (p < 0) break;
    if (fields.count === 1 && fields.flag[0] === PLAIN && fields.end[0] === fields.start[0]) continue;
    if (fields.count !== width && !padShortRows) {
      rows.push([[rowStart, fields.count, -1]]);
      continue;
    }
    const row: IndexedRow = [];
    for (let f = 0; f < width; f++) {
      if (f >= fields.count) row.push([-1, -1, ABSENT]);
      else {
        const [s, e, flag] = [fields.start[f], fields.end[f], fields.flag[f]];
        row.push([s, e, flag === QUOTED && e > s ? PLAIN : flag]);
      }
    }
    rows.push(row);
  }
  return rows;
}

/** Absent fields' offsets mean nothing. */
function withoutAbsentOffsets(rows: IndexedRow[]): IndexedRow[] {
  return rows.map((row) => row.map(([s, e, flag]) => (flag === ABSENT ? [-1, -1, flag] : [s, e, flag])));
}

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '1',
  'abc',
  '',
  ' x ',
  '"q"',
  '"a,b"',
  '"say ""hi"""',
  '""',
  '"two\nlines"',
  'in"side',
  '"q" x',
  '\\"e',
  'cr\r',
  '"q"\r',
];

function randomText(seed: number, width: number, delimiter: string): string {
  const next = random(seed);
  const lines: string[] = [];
  for (let r = 0; r < 400; r++) {
    const dice = next();
    // Mostly rows of `width` fields; some blank, short or long.
    const n = dice < 0.05 ? 0 : dice < 0.1 ? width - 1 : dice < 0.15 ? width + 1 : width;
    const fields = Array.from({ length: n }, () =>
      PIECES[Math.floor(next() * PIECES.length)].replaceAll(',', delimiter),
    );
    lines.push(fields.join(delimiter));
  }
  return lines.join(next() < 0.5 ? '\n' : '\r\n') + (next() < 0.5 ? '\n' : '');
}

describe('indexCsvRows', () => {
  it.each([
    [1, ',', '"'],
    [2, ';', '"'],
    [3, '\t', '\\'],
    [4, '|', '"'],
  ])('finds the fields the tokenizer finds (seed %i, delimiter %j, escape %j)', (seed, delimiter, escape) => {
    const syntax = csvSyntax({ delimiter, quote: '"', escape });
    const text = Buffer.from(randomText(seed, 5, delimiter));
    // Word-aligned bytes are read four at a time, others one at a time.
    const aligned = new Uint8Array(text);
    const unaligned = new Uint8Array(text.length + 1).subarray(1);
    unaligned.set(text);
    for (const buf of [aligned, unaligned])
      for (const pad of [false, true]) {
        expect(withoutAbsentOffsets(byIndex(buf, syntax, 5, pad))).toEqual(
          withoutAbsentOffsets(byTokenizer(buf, syntax, 5, pad)),
        );
      }
  });

  it('asks for more bytes rather than cutting a row or a quoted field', () => {
    const syntax = csvSyntax({ delimiter: ',', quote: '"', escape: '"' });
    for (const text of ['1,2\n3,', '1,2\n3,"a', '1,2\n3,"a"', '1,2\n"3']) {
      const buf = Buffer.from(text);
      const cursor = cursorOf(buf, false);
      const index = csvRowIndex(2);
      expect(indexCsvRows(cursor, index, 100, syntax, rowFields(2), false)).toBe(NEED_BYTES);
      expect([index.rows, cursor.pos]).toEqual([1, 4]);
      expect(tokenizeRow(buf, 4, buf.length, false, syntax, rowFields(2))).toBe(INCOMPLETE);
    }
  });
});
