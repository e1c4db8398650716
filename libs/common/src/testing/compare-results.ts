/** A query result reduced to what two engines can be compared on. */
export interface ComparableResult {
  columns: readonly { name: string; type: string }[];
  rows: readonly (readonly unknown[])[];
}

/**
 * One accepted type difference of one column: Tributary gives `actual` where DuckDB's type
 * maps to `expected`. Each names a known, tracked gap; nothing broader is accepted.
 */
export interface TypeAllowance {
  column: string;
  actual: string;
  expected: string;
}

export interface CompareOptions {
  /** Compare column types (default true): the types of `expected` are Tributary type names. */
  compareTypes?: boolean;
  /** Compare column names (default true). */
  compareNames?: boolean;
  /** Known type differences accepted for this comparison only. */
  typeAllowances?: readonly TypeAllowance[];
  /** Rows must come in the same order (the query has ORDER BY). */
  ordered?: boolean;
  /**
   * With `ordered`: the output columns the ORDER BY sorts on. Rows are then compared in
   * order only up to ties on these columns; rows tied on them may come in any order.
   * Without it, `ordered` compares strictly position by position.
   */
  orderKeys?: readonly number[];
  /** Treat every numeric column as approximate, e.g. SQLite REAL money against DECIMAL. */
  tolerantNumbers?: boolean;
  relativeTolerance?: number;
  absoluteTolerance?: number;
  /** Stop after this many reported differences. */
  maxProblems?: number;
}

/** How a column's values are compared; a list's elements each by their own kind, exactly. */
type ColumnKind = 'float' | 'exact' | 'timestamp' | 'other' | { readonly list: ColumnKind };

const FLOAT_TYPE = /^(DOUBLE|FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE PRECISION)$/i;
const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|DECIMAL|NUMERIC)\b/i;

function columnKind(a: string, b: string, tolerantNumbers: boolean): ColumnKind {
  const list = /^(.*)\[\]$/;
  const [la, lb] = [list.exec(a.trim()), list.exec(b.trim())];
  if (la || lb) return { list: columnKind(la?.[1] ?? a, lb?.[1] ?? b, false) };
  if (FLOAT_TYPE.test(a) || FLOAT_TYPE.test(b)) return 'float';
  if (NUMERIC_TYPE.test(a) || NUMERIC_TYPE.test(b)) return tolerantNumbers ? 'float' : 'exact';
  if (/^TIMESTAMP/i.test(a) || /^TIMESTAMP/i.test(b)) return 'timestamp';
  return 'other';
}

/** `17.00`, `17`, 17, 17n all become `17`; `-0.50` becomes `-0.5`. Non-plain numbers go through Number. */
export function canonicalNumber(value: unknown): string {
  let text: string;
  if (typeof value === 'bigint') text = value.toString();
  else if (typeof value === 'number') {
    text = Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  } else text = String(value).trim();
  const match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    const n = Number(text);
    return Number.isNaN(n) ? text : String(n);
  }
  const integer = match[2].replace(/^0+/, '') || '0';
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const digits = fraction === '' ? integer : `${integer}.${fraction}`;
  return match[1] === '-' && digits !== '0' ? `-${digits}` : digits;
}

const ZONED = /^(.*T\d{2}:\d{2}(?::\d{2}(?:\.\d*)?)?)(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * `1996-03-13 00:00:00`, `1996-03-13T00:00:00.000` and `1996-03-13` all become
 * `1996-03-13T00:00:00`; a zone is kept as `+HH:MM` (`Z`, `+00` and `+00:00` are `+00:00`).
 */
export function canonicalTimestamp(value: unknown): string {
  let text = String(value).trim().replace(' ', 'T');
  if (/^-?\d{4,}-\d{2}-\d{2}$/.test(text)) text += 'T00:00:00';
  const zoned = ZONED.exec(text);
  const time = zoned ? zoned[1] : text;
  return time.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') + (zoned ? canonicalZone(zoned[2]) : '');
}

/** `Z`, `+02`, `+0530`, `-05:30` as `+HH:MM`. */
function canonicalZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return '+00:00';
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2, 4) || '00'}`;
}

type Normal = null | string | number | boolean;

function normalize(value: unknown, kind: ColumnKind): Normal {
  if (value === null || value === undefined) return null;
  if (typeof kind === 'object') {
    // A list compares as the text of its normalized elements (doubles exactly, as text).
    if (!Array.isArray(value)) return `not a list: ${JSON.stringify(value)}`;
    const element = kind.list === 'float' ? 'exact' : kind.list;
    return JSON.stringify(value.map((v: unknown) => normalize(v, element)));
  }
  switch (kind) {
    case 'float':
      return typeof value === 'number' ? value : Number(value);
    case 'exact':
      return canonicalNumber(value);
    case 'timestamp':
      return canonicalTimestamp(value);
    case 'other':
      return typeof value === 'boolean' || typeof value === 'string' ? value : String(value);
  }
}

function floatsEqual(a: number, b: number, relative: number, absolute: number): boolean {
  if (a === b) return true;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  const diff = Math.abs(a - b);
  return diff <= absolute || diff <= relative * Math.max(Math.abs(a), Math.abs(b));
}

function show(row: readonly Normal[]): string {
  return JSON.stringify(row);
}

/** Differences of column names and types, minus the allowed ones. */
export function compareColumns(
  actual: ComparableResult['columns'],
  expected: ComparableResult['columns'],
  options: CompareOptions = {},
): string[] {
  const problems: string[] = [];
  expected.forEach((e, i) => {
    const a = actual[i];
    if (options.compareNames !== false && a.name !== e.name)
      problems.push(`column ${i} is named ${JSON.stringify(a.name)} ≠ expected ${JSON.stringify(e.name)}`);
    if (options.compareTypes === false || a.type === e.type) return;
    const allowed = (options.typeAllowances ?? []).some(
      (t) => t.column === e.name && t.actual === a.type && t.expected === e.type,
    );
    if (!allowed) problems.push(`column ${i} (${e.name}) has type ${a.type} ≠ expected ${e.type}`);
  });
  return problems;
}

/**
 * Compares an actual result (Tributary) with an expected one (DuckDB): same column count,
 * names and types (compareColumns), same row count, same rows. Returns a list of human-readable differences, empty when the
 * results agree. Numbers are exact unless a column is DOUBLE on either side (or
 * `tolerantNumbers`), then equal within a relative (and, near zero, absolute) tolerance.
 */
export function compareResults(
  actual: ComparableResult,
  expected: ComparableResult,
  options: CompareOptions = {},
): string[] {
  const relative = options.relativeTolerance ?? 1e-9;
  const absolute = options.absoluteTolerance ?? 1e-9;
  const maxProblems = options.maxProblems ?? 5;
  const problems: string[] = [];

  if (actual.columns.length !== expected.columns.length) {
    return [
      `column count ${actual.columns.length} [${actual.columns.map((c) => c.name).join(', ')}] ≠ expected ${expected.columns.length} [${expected.columns.map((c) => c.name).join(', ')}]`,
    ];
  }
  const columnProblems = compareColumns(actual.columns, expected.columns, options);
  const kinds = actual.columns.map((c, i) =>
    columnKind(c.type, expected.columns[i].type, options.tolerantNumbers === true),
  );
  const norm = (rows: readonly (readonly unknown[])[]): Normal[][] =>
    rows.map((row) => kinds.map((kind, i) => normalize(row[i], kind)));
  const a = norm(actual.rows);
  const e = norm(expected.rows);
  if (a.length !== e.length) {
    return [
      ...columnProblems,
      `row count ${a.length} ≠ expected ${e.length}; first actual rows ${a.slice(0, 3).map(show).join(' ')}; first expected rows ${e.slice(0, 3).map(show).join(' ')}`,
    ];
  }

  const valueEqual = (x: Normal, y: Normal, column: number): boolean => {
    if (x === null || y === null) return x === y;
    if (kinds[column] === 'float' && typeof x === 'number' && typeof y === 'number') {
      return floatsEqual(x, y, relative, absolute);
    }
    return x === y;
  };
  const rowsEqual = (x: Normal[], y: Normal[]): number => {
    for (let c = 0; c < kinds.length; c++) if (!valueEqual(x[c], y[c], c)) return c;
    return -1;
  };
  // Exact columns first, floats last, so near-equal floats still pair up after sorting.
  const sortOrder = [...kinds.keys()].sort(
    (x, y) => Number(kinds[x] === 'float') - Number(kinds[y] === 'float'),
  );
  const rowOrder = (x: Normal[], y: Normal[]): number => {
    for (const c of sortOrder) {
      const p = x[c];
      const q = y[c];
      if (p === q) continue;
      if (p === null) return -1;
      if (q === null) return 1;
      if (typeof p === 'number' && typeof q === 'number') return p - q || 0;
      const s = String(p);
      const t = String(q);
      if (s !== t) return s < t ? -1 : 1;
    }
    return 0;
  };
  const compareRun = (from: number, to: number, sort: boolean): void => {
    const left = sort ? a.slice(from, to).sort(rowOrder) : a.slice(from, to);
    const right = sort ? e.slice(from, to).sort(rowOrder) : e.slice(from, to);
    for (let i = 0; i < left.length && problems.length < maxProblems; i++) {
      const column = rowsEqual(left[i], right[i]);
      if (column >= 0) {
        const where = sort
          ? `${to - from > 1 ? `rows ${from}..${to - 1} (unordered) ` : ''}sorted row ${from + i}`
          : `row ${from + i}`;
        problems.push(
          `${where}, column ${column} (${actual.columns[column].name}): ${JSON.stringify(left[i][column])} ≠ expected ${JSON.stringify(right[i][column])}; actual ${show(left[i])} expected ${show(right[i])}`,
        );
      }
    }
  };

  if (!options.ordered) {
    compareRun(0, a.length, true);
  } else if (!options.orderKeys || options.orderKeys.length === 0) {
    compareRun(0, a.length, false);
  } else {
    const keys = options.orderKeys;
    let start = 0;
    while (start < e.length && problems.length < maxProblems) {
      let end = start + 1;
      while (end < e.length && keys.every((k) => valueEqual(e[end][k], e[start][k], k))) end++;
      compareRun(start, end, end - start > 1);
      start = end;
    }
  }
  return [...columnProblems, ...problems];
}
