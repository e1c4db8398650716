import type { RecordBatch } from 'apache-arrow';
import {
  listNotSupported,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  formatDate,
  makeRecordBatch,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { DuckDbOracle } from '@tributary/common/testing';
import type { Field } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn } from './record-batch-column.ts';

/** Test values: numbers (DECIMAL as unscaled, DATE as days), strings, booleans, null. */
export type TestValue = number | string | boolean | null;

function validityOf(values: readonly TestValue[]): Uint8Array | undefined {
  if (values.every((v) => v !== null)) return undefined;
  const validity = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null) validity[i >> 3] |= 1 << (i & 7);
  });
  return validity;
}

/** A canonical column from JS values (tests only: per-row work is fine here). */
export function testColumn(type: SqlType, values: readonly TestValue[]): ColumnBuffers {
  const length = values.length;
  const validity = validityOf(values);
  switch (type.kind) {
    case 'LIST':
      throw listNotSupported('a test value', type);
    case 'NULL':
      return { type, length, values: new Uint8Array(0), validity: new Uint8Array((length + 7) >> 3) };
    case 'BOOLEAN': {
      const bits = new Uint8Array((length + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3] |= 1 << (i & 7);
      });
      return { type, length, values: bits, validity };
    }
    case 'INTEGER':
    case 'DATE':
      return { type, length, values: Int32Array.from(values, (v) => Number(v ?? 0)), validity };
    case 'DOUBLE':
      return { type, length, values: Float64Array.from(values, (v) => Number(v ?? 0)), validity };
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return { type, length, values: BigInt64Array.from(values, (v) => BigInt(Number(v ?? 0))), validity };
    case 'DECIMAL':
    case 'HUGEINT': {
      const words = new Uint32Array(4 * length);
      const big = new BigInt64Array(words.buffer);
      values.forEach((v, i) => {
        const x = BigInt(Number(v ?? 0));
        big[2 * i] = x;
        big[2 * i + 1] = x < 0n ? -1n : 0n;
      });
      return { type, length, values: words, validity };
    }
    case 'VARCHAR': {
      const encoder = new TextEncoder();
      const parts = values.map((v) => encoder.encode(v === null ? '' : String(v)));
      const offsets = new Int32Array(length + 1);
      parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
      const bytes = new Uint8Array(offsets[length]);
      parts.forEach((p, i) => bytes.set(p, offsets[i]));
      return { type, length, values: bytes, offsets, validity };
    }
  }
}

export function testBatch(fields: readonly Field[], rows: readonly (readonly TestValue[])[]): RecordBatch {
  return makeRecordBatch(
    fields,
    fields.map((f, c) =>
      testColumn(
        f.type,
        rows.map((r) => r[c]),
      ),
    ),
    rows.length,
  );
}

/** An operator yielding the given batches, counting how often it was executed. */
export class BatchSource implements PhysicalOperator {
  readonly name = 'BatchSource';
  readonly children: readonly PhysicalOperator[] = [];
  executions = 0;
  constructor(
    readonly schema: readonly Field[],
    private readonly batches: readonly RecordBatch[],
  ) {}
  static fromRows(
    schema: readonly Field[],
    rows: readonly (readonly TestValue[])[],
    batchRows = 3,
  ): BatchSource {
    const batches: RecordBatch[] = [];
    for (let i = 0; i < rows.length; i += batchRows)
      batches.push(testBatch(schema, rows.slice(i, i + batchRows)));
    return new BatchSource(schema, batches);
  }
  describe(): string {
    return `${this.batches.length} batch(es)`;
  }
  async *execute(): AsyncIterable<RecordBatch> {
    this.executions++;
    for (const b of this.batches) yield b;
  }
}

function decimalText(words: Uint32Array, i: number, scale: number): string {
  const big = new BigInt64Array(words.buffer, words.byteOffset, words.length / 2);
  const value = (big[2 * i + 1] << 64n) + BigInt.asUintN(64, big[2 * i]);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * Rows of an operator's output in DuckDB's getRowObjectsJson form: BIGINT and DECIMAL as
 * exact strings, DATE as text, other numbers as numbers.
 */
export async function collectRows(op: PhysicalOperator): Promise<TestValue[][]> {
  const rows: TestValue[][] = [];
  for await (const batch of op.execute(new AbortController().signal)) {
    const columns = op.schema.map((f, i) => batchColumn(batch, i, f.type));
    for (let r = 0; r < batch.numRows; r++) {
      rows.push(
        columns.map((c): TestValue => {
          if (c.type.kind === 'NULL' || (c.validity && ((c.validity[r >> 3] >> (r & 7)) & 1) === 0))
            return null;
          switch (c.type.kind) {
            case 'LIST':
              throw listNotSupported('a test value', c.type);
            case 'BOOLEAN':
              return (((c.values as Uint8Array)[r >> 3] >> (r & 7)) & 1) === 1;
            case 'INTEGER':
            case 'DOUBLE':
              return (c.values as Int32Array | Float64Array)[r];
            case 'DATE':
              return formatDate((c.values as Int32Array)[r]);
            case 'BIGINT':
            case 'TIME':
            case 'TIMESTAMP':
              return String((c.values as BigInt64Array)[r]);
            case 'DECIMAL':
              return decimalText(c.values as Uint32Array, r, c.type.scale);
            case 'HUGEINT':
              return decimalText(c.values as Uint32Array, r, 0);
            case 'VARCHAR':
              return new TextDecoder().decode(
                (c.values as Uint8Array).subarray(c.offsets![r], c.offsets![r + 1]),
              );
          }
        }),
      );
    }
  }
  return rows;
}

/** Runs SQL in an in-memory DuckDB and returns its rows as arrays, values as in collectRows. */
export async function duckRows(sql: string): Promise<TestValue[][]> {
  const oracle = await DuckDbOracle.open();
  try {
    return (await oracle.query(sql)).rows as TestValue[][];
  } finally {
    oracle.close();
  }
}

/** Sorts rows by their JSON text, for comparing results whose order SQL leaves open. */
export function sortedRows(rows: TestValue[][]): TestValue[][] {
  const texts = rows.map((row) => ({ row, text: JSON.stringify(row) }));
  texts.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return texts.map((t) => t.row);
}

/** `VALUES (…), (…)` text of test rows, DECIMAL and DATE typed through casts. */
export function sqlValues(fields: readonly Field[], rows: readonly (readonly TestValue[])[]): string {
  const literal = (v: TestValue, type: SqlType): string => {
    if (v === null) return `NULL::${duckType(type)}`;
    switch (type.kind) {
      case 'VARCHAR':
        return `'${String(v).replace(/'/g, "''")}'`;
      case 'DECIMAL':
        return `(${v}::HUGEINT / ${10 ** type.scale})::${duckType(type)}`;
      case 'DATE':
        return `(DATE '1970-01-01' + ${v}::INTEGER)`;
      default:
        return `${v}::${duckType(type)}`;
    }
  };
  return `(VALUES ${rows.map((r) => `(${r.map((v, i) => literal(v, fields[i].type)).join(', ')})`).join(', ')}) AS t(${fields.map((f) => f.name).join(', ')})`;
}

function duckType(type: SqlType): string {
  return type.kind === 'DECIMAL'
    ? `DECIMAL(${type.precision},${type.scale})`
    : type.kind === 'NULL'
      ? 'INTEGER'
      : type.kind;
}

/** A deterministic pseudo-random generator of non-negative 31-bit integers (tests). */
export function seededRandom(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    // The low bits of this generator cycle fast; the high ones carry the randomness.
    return state >>> 8;
  };
}

const WORD_POOL = [0, 1, -1, 2, 0x7fffffff, -0x80000000, 12345, -54321];
const STRING_POOL = ['', 'a', 'A', 'ab', 'abc', 'b', 'é', 'äpfel', 'apple', 'apples', 'z\u0000', 'zz'];
const DOUBLE_POOL = [NaN, -0, 0, Infinity, -Infinity, 1.5, -1.5, 1e300, -1e-300];

/**
 * A column of `n` random values of `type` with about one NULL in `nullEvery` (0: none),
 * drawn to give many ties and the extremes: 64- and 128-bit integers beyond 2^53 (built from
 * random words), NaN, ±0 and infinities, strings sharing prefixes and bytes above 0x7f.
 */
export function randomColumn(type: SqlType, n: number, next: () => number, nullEvery = 7): ColumnBuffers {
  let validity: Uint8Array | undefined;
  if (nullEvery > 0) {
    validity = new Uint8Array((n + 7) >> 3);
    for (let i = 0; i < n; i++) if (next() % nullEvery !== 0) validity[i >> 3] |= 1 << (i & 7);
  }
  const word = (): number => (next() % 3 === 0 ? WORD_POOL[next() % WORD_POOL.length] : next() - 0x400000);
  switch (type.kind) {
    case 'LIST':
      throw listNotSupported('a test value', type);
    case 'NULL':
      return { type, length: n, values: new Uint8Array(0), validity: new Uint8Array((n + 7) >> 3) };
    case 'BOOLEAN': {
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) if (next() % 2 === 0) bits[i >> 3] |= 1 << (i & 7);
      return { type, length: n, values: bits, validity };
    }
    case 'INTEGER':
    case 'DATE': {
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = next() % 4 === 0 ? word() : (next() % 40) - 20;
      return { type, length: n, values, validity };
    }
    case 'DOUBLE': {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++)
        values[i] = next() % 4 === 0 ? DOUBLE_POOL[next() % DOUBLE_POOL.length] : ((next() % 200) - 100) / 8;
      return { type, length: n, values, validity };
    }
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
    case 'DECIMAL':
    case 'HUGEINT': {
      const stride = type.kind === 'DECIMAL' || type.kind === 'HUGEINT' ? 4 : 2;
      // DECIMAL(p ≤ 18) holds 64-bit values whose upper words only extend the sign.
      const wide = (type.kind === 'DECIMAL' && type.precision > 18) || type.kind === 'HUGEINT';
      const words = new Int32Array(n * stride);
      for (let i = 0; i < n; i++) {
        const small = next() % 3 !== 0;
        for (let j = 0; j < stride; j++) words[i * stride + j] = small ? 0 : word();
        if (small) {
          const v = (next() % 40) - 20;
          words[i * stride] = v;
          for (let j = 1; j < stride; j++) words[i * stride + j] = v < 0 ? -1 : 0;
        } else if (stride === 4 && !wide) {
          const ext = words[i * stride + 1] < 0 ? -1 : 0;
          words[i * stride + 2] = words[i * stride + 3] = ext;
        }
      }
      const values = stride === 4 ? new Uint32Array(words.buffer) : new BigInt64Array(words.buffer);
      return { type, length: n, values, validity };
    }
    case 'VARCHAR':
      return {
        ...testColumn(
          type,
          Array.from(
            { length: n },
            () => STRING_POOL[next() % STRING_POOL.length] + (next() % 5 === 0 ? 'x' : ''),
          ),
        ),
        validity,
      };
  }
}

/** `rows` random rows of `fields` in batches of `batchRows` (randomColumn per column). */
export function randomBatches(
  fields: readonly Field[],
  rows: number,
  batchRows: number,
  seed: number,
  nullEvery = 7,
): RecordBatch[] {
  const next = seededRandom(seed);
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) {
    const n = Math.min(batchRows, rows - start);
    batches.push(
      makeRecordBatch(
        fields,
        fields.map((f) => randomColumn(f.type, n, next, nullEvery)),
        n,
      ),
    );
  }
  return batches;
}

/** Every row of an operator's output, drained (tests). */
export async function drainBatches(
  op: PhysicalOperator,
  signal = new AbortController().signal,
): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of op.execute(signal)) out.push(b);
  return out;
}

/** One nullable column of every SQL type but NULL, wide DECIMAL included (tests). */
export const allTypeFields: Field[] = [
  { name: 'b', type: BOOLEAN, nullable: true },
  { name: 'i', type: INTEGER, nullable: true },
  { name: 'l', type: BIGINT, nullable: true },
  { name: 'x', type: DOUBLE, nullable: true },
  { name: 'm', type: decimal(15, 2), nullable: true },
  { name: 'w', type: decimal(38, 4), nullable: true },
  { name: 'd', type: DATE, nullable: true },
  { name: 't', type: TIMESTAMP, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
];
