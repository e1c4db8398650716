import {
  CsvColumn,
  K_BIGINT,
  K_BOOLEAN,
  K_DATE,
  K_DECIMAL,
  K_DOUBLE,
  K_INTEGER,
  K_TIME,
  K_TIMESTAMP,
  K_VARCHAR,
} from './csv-column.ts';
import { parseTime } from '@tributary/common';
import type { CsvRowIndex } from './csv-row-index.ts';
import type { CsvTimeFormat } from './csv-time-format.ts';
import { ABSENT, PLAIN, QUOTED_ESCAPES, unescapeField, type CsvSyntax } from './csv-tokenizer.ts';
import {
  parseCsvDate,
  parseCsvTimestamp,
  parseDateBytes,
  parseDecimalBytes,
  parseDoubleBytes,
  parseIntegerBytes,
} from './parse-csv-value.ts';

/** How a scan reads values, the same for every column. */
export interface CsvValueOptions {
  readonly syntax: CsvSyntax;
  /** Null strings other than ''. */
  readonly nullStrings: readonly Uint8Array[];
  /** An empty unquoted text field is NULL ('' is a null string); in typed columns it always is. */
  readonly emptyIsNull: boolean;
  /** Policy null: a value its type cannot hold becomes NULL rather than failing the row. */
  readonly nullOnError: boolean;
}

/** One column to parse: field `field` of each row into `column`. */
export interface CsvColumnTarget {
  readonly field: number;
  readonly column: CsvColumn;
  /** DECIMAL's scale. */
  readonly scale: number;
  /** The format of a DATE or TIMESTAMP column read otherwise than by the default cast. */
  readonly format: CsvTimeFormat | undefined;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The second pass of the two-pass reader: parses field `target.field` of index rows
 * [from, to) into rows row0… of the target's column, in one loop of the column's type.
 * Plain fields of the usual shape (digits, YYYY-MM-DD, text) are read inline; any other
 * field goes through parseCsvField, the reference reading of one value, so both read
 * every value alike. Returns the first index row whose value the type cannot hold, or -1
 * (under policy null such a value is NULL and never stops the loop).
 */
export function parseCsvColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  switch (target.column.kind) {
    case K_VARCHAR:
      return parseVarcharColumn(buf, index, from, to, target, row0, options);
    case K_BIGINT:
      return parseBigintColumn(buf, index, from, to, target, row0, options);
    case K_DECIMAL:
      return parseDecimalColumn(buf, index, from, to, target, row0, options);
    case K_DOUBLE:
      return parseDoubleColumn(buf, index, from, to, target, row0, options);
    case K_DATE:
      if (target.format === undefined) return parseDateColumn(buf, index, from, to, target, row0, options);
      return parseAnyColumn(buf, index, from, to, target, row0, options);
    default:
      return parseAnyColumn(buf, index, from, to, target, row0, options);
  }
}

function isNullString(buf: Uint8Array, fs: number, fe: number, nullStrings: readonly Uint8Array[]): boolean {
  for (let k = 0; k < nullStrings.length; k++) {
    const s = nullStrings[k];
    if (s.length !== fe - fs) continue;
    let same = true;
    for (let j = 0; j < s.length; j++)
      if (buf[fs + j] !== s[j]) {
        same = false;
        break;
      }
    if (same) return true;
  }
  return false;
}

/** Reads a value through parseCsvField; false when it fails the row (not under policy null). */
function fieldFails(
  buf: Uint8Array,
  index: CsvRowIndex,
  r: number,
  i: number,
  target: CsvColumnTarget,
  w: number,
  options: CsvValueOptions,
): boolean {
  const flag = index.tokenized[r] === 0 ? PLAIN : index.flags[i];
  if (parseCsvField(buf, index.starts[i], index.ends[i], flag, target, w, options)) return false;
  if (options.nullOnError) {
    target.column.setNull(w);
    return false;
  }
  return true;
}

function parseBigintColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  const { starts, ends, tokenized } = index;
  const column = target.column;
  const words = column.ints;
  const nullStrings = options.nullStrings;
  const hasNullStrings = nullStrings.length > 0;
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++) {
    const s = starts[i];
    const e = ends[i];
    if (tokenized[r] === 0 && !(hasNullStrings && isNullString(buf, s, e, nullStrings))) {
      if (e === s) {
        column.setNull(w);
        continue;
      }
      const negative = buf[s] === 45;
      let k = negative ? s + 1 : s;
      // Up to 15 digits: exact as a double.
      if (e > k && e - k < 16) {
        let v = 0;
        for (; k < e; k++) {
          const d = buf[k] - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (k === e) {
          if (negative) v = -v;
          words[2 * w] = v | 0;
          words[2 * w + 1] = Math.floor(v / 4294967296) | 0;
          continue;
        }
      }
    }
    if (fieldFails(buf, index, r, i, target, w, options)) return r;
  }
  return -1;
}

function parseDecimalColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  const { starts, ends, tokenized } = index;
  const column = target.column;
  const words = column.ints;
  const scale = target.scale;
  const nullStrings = options.nullStrings;
  const hasNullStrings = nullStrings.length > 0;
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++) {
    const s = starts[i];
    const e = ends[i];
    if (tokenized[r] === 0 && !(hasNullStrings && isNullString(buf, s, e, nullStrings))) {
      if (e === s) {
        column.setNull(w);
        continue;
      }
      const negative = buf[s] === 45;
      let k = negative ? s + 1 : s;
      let v = 0;
      let digits = 0;
      let fraction = -1;
      for (; k < e; k++) {
        const b = buf[k];
        if (b === 46) {
          if (fraction >= 0) break;
          fraction = 0;
          continue;
        }
        const d = b - 48;
        if (d < 0 || d > 9) break;
        if (fraction >= 0) {
          if (fraction === scale) break; // a digit past the scale: the reference decides
          fraction++;
        }
        v = v * 10 + d;
        digits++;
      }
      const missing = fraction < 0 ? scale : scale - fraction;
      // Up to 15 digits once scaled: exact as a double.
      if (k === e && digits > 0 && digits + missing <= 15) {
        if (missing > 0) v *= POW10[missing];
        if (negative) v = -v;
        const hi = Math.floor(v / 4294967296) | 0;
        const at = 4 * w;
        words[at] = v | 0;
        words[at + 1] = hi;
        words[at + 2] = hi >> 31;
        words[at + 3] = hi >> 31;
        continue;
      }
    }
    if (fieldFails(buf, index, r, i, target, w, options)) return r;
  }
  return -1;
}

function parseDoubleColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  const { starts, ends, tokenized } = index;
  const column = target.column;
  const values = column.doubles;
  const nullStrings = options.nullStrings;
  const hasNullStrings = nullStrings.length > 0;
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++) {
    const s = starts[i];
    const e = ends[i];
    if (tokenized[r] === 0 && !(hasNullStrings && isNullString(buf, s, e, nullStrings))) {
      if (e === s) {
        column.setNull(w);
        continue;
      }
      const negative = buf[s] === 45;
      let k = negative ? s + 1 : s;
      let mantissa = 0;
      let digits = 0;
      let fraction = -1;
      for (; k < e; k++) {
        const b = buf[k];
        if (b === 46) {
          if (fraction >= 0) break;
          fraction = 0;
          continue;
        }
        const d = b - 48;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        digits++;
        if (fraction >= 0) fraction++;
      }
      // An integer below 2^53 divided by an exact power of ten rounds correctly once.
      if (k === e && digits > 0 && digits <= 15) {
        const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
        values[w] = negative ? -v : v;
        continue;
      }
    }
    if (fieldFails(buf, index, r, i, target, w, options)) return r;
  }
  return -1;
}

function parseDateColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  const { starts, ends, tokenized } = index;
  const column = target.column;
  const values = column.ints;
  const nullStrings = options.nullStrings;
  const hasNullStrings = nullStrings.length > 0;
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++) {
    const s = starts[i];
    const e = ends[i];
    if (tokenized[r] === 0 && !(hasNullStrings && isNullString(buf, s, e, nullStrings))) {
      if (e === s) {
        column.setNull(w);
        continue;
      }
      if (e - s === 10) {
        const days = parseDateBytes(buf, s, e);
        if (days !== undefined) {
          values[w] = days;
          continue;
        }
      }
    }
    if (fieldFails(buf, index, r, i, target, w, options)) return r;
  }
  return -1;
}

function parseVarcharColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  const { starts, ends, tokenized } = index;
  const column = target.column;
  const offsets = column.offsets;
  const { nullStrings, emptyIsNull } = options;
  const hasNullStrings = nullStrings.length > 0;
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++) {
    const s = starts[i];
    const e = ends[i];
    if (tokenized[r] !== 0) {
      parseCsvField(buf, s, e, index.flags[i], target, w, options);
      continue;
    }
    if ((e === s && emptyIsNull) || (hasNullStrings && isNullString(buf, s, e, nullStrings))) {
      column.setNull(w);
      continue;
    }
    const length = e - s;
    let at = column.byteLength;
    if (at + length > column.bytes.length) column.ensureBytes(length);
    const bytes = column.bytes;
    // Short values are copied here: no subarray view to allocate per value.
    if (length < 48) for (let k = s; k < e; k++) bytes[at++] = buf[k];
    else {
      bytes.set(buf.subarray(s, e), at);
      at += length;
    }
    column.byteLength = at;
    offsets[w + 1] = at;
  }
  return -1;
}

/** Columns without an inline reading (TIMESTAMP, BOOLEAN, formatted DATE, …): value by value. */
function parseAnyColumn(
  buf: Uint8Array,
  index: CsvRowIndex,
  from: number,
  to: number,
  target: CsvColumnTarget,
  row0: number,
  options: CsvValueOptions,
): number {
  for (let r = from, i = target.field * index.capacity + from, w = row0; r < to; r++, i++, w++)
    if (fieldFails(buf, index, r, i, target, w, options)) return r;
  return -1;
}

/**
 * The reference reading of one field [fs, fe) of the given flag into row `w` of the
 * target's column: NULL for an absent field, an empty one (always in typed columns, in
 * text ones when '' is a null string) and a null string (quoted too, as DuckDB's
 * allow_quoted_nulls; "" is ''); text as its bytes, escapes removed; typed values trimmed
 * of blanks (as DuckDB's casts) and parsed. False when the type cannot hold the value
 * (nothing is written then).
 */
export function parseCsvField(
  buf: Uint8Array,
  fs: number,
  fe: number,
  flag: number,
  target: CsvColumnTarget,
  w: number,
  options: CsvValueOptions,
): boolean {
  const column = target.column;
  const kind = column.kind;
  const { nullStrings } = options;
  if (
    flag === ABSENT ||
    (flag === PLAIN && fe === fs && (options.emptyIsNull || kind !== K_VARCHAR)) ||
    (nullStrings.length > 0 && flag !== QUOTED_ESCAPES && isNullString(buf, fs, fe, nullStrings))
  ) {
    column.setNull(w);
    return true;
  }
  if (kind === K_VARCHAR) {
    column.ensureBytes(fe - fs);
    const at = column.byteLength;
    if (flag === QUOTED_ESCAPES)
      column.byteLength = unescapeField(buf, fs, fe, options.syntax, column.bytes, at);
    else {
      column.bytes.set(buf.subarray(fs, fe), at);
      column.byteLength = at + fe - fs;
    }
    column.offsets[w + 1] = column.byteLength;
    return true;
  }
  let s = fs;
  let e = fe;
  while (s < e && (buf[s] === 32 || (buf[s] >= 9 && buf[s] <= 13))) s++;
  while (e > s && (buf[e - 1] === 32 || (buf[e - 1] >= 9 && buf[e - 1] <= 13))) e--;
  if (e === s) {
    column.setNull(w); // "" in a typed column
    return true;
  }
  return parseTypedValue(buf, s, e, target, w);
}

/** Parses one trimmed typed value into row `w`; false when the text is not of the type. */
function parseTypedValue(buf: Uint8Array, s: number, e: number, target: CsvColumnTarget, w: number): boolean {
  const column = target.column;
  const format = target.format;
  switch (column.kind) {
    case K_BIGINT:
    case K_INTEGER: {
      const v = parseIntegerBytes(buf, s, e);
      if (v === undefined) return false;
      if (column.kind === K_INTEGER) {
        if (typeof v !== 'number' || v > 2147483647 || v < -2147483648) return false;
        column.ints[w] = v;
      } else if (typeof v === 'number') column.setInt64(w, v);
      else column.setBigInt64(w, v);
      return true;
    }
    case K_DECIMAL: {
      const v = parseDecimalBytes(buf, s, e, target.scale);
      if (v === undefined) return false;
      if (typeof v === 'number') column.setDecimal(w, v);
      else column.setDecimalBig(w, v);
      return true;
    }
    case K_DOUBLE: {
      const v = parseDoubleBytes(buf, s, e);
      if (Number.isNaN(v) && !/nan/i.test(Buffer.from(buf.subarray(s, e)).toString('latin1'))) return false;
      column.doubles[w] = v;
      return true;
    }
    case K_DATE: {
      const v = format
        ? format.parseDays(text(buf, s, e))
        : (parseDateBytes(buf, s, e) ?? parseCsvDate(text(buf, s, e)));
      if (v === undefined) return false;
      column.ints[w] = v;
      return true;
    }
    case K_TIMESTAMP: {
      const v = format ? format.parseMicros(text(buf, s, e)) : parseCsvTimestamp(text(buf, s, e));
      if (v === undefined) return false;
      column.setInt64(w, v);
      return true;
    }
    case K_TIME: {
      const v = parseTime(text(buf, s, e));
      if (v === undefined) return false;
      column.setInt64(w, v);
      return true;
    }
    case K_BOOLEAN: {
      const t = text(buf, s, e).toLowerCase();
      if (t === 'true' || t === 't' || t === 'yes' || t === 'y' || t === '1') column.setBoolean(w, true);
      else if (t === 'false' || t === 'f' || t === 'no' || t === 'n' || t === '0')
        column.setBoolean(w, false);
      else return false;
      return true;
    }
    default:
      return false;
  }
}

function text(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
}
