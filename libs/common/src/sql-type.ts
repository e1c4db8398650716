/**
 * The SQL types Tributary computes with. Each has one canonical Arrow representation
 * (see arrow-types.ts) that every connector produces and every operator consumes.
 *
 * DuckDB type → Tributary type (tests compare type names through this mapping, written
 * once as tributaryTypeName in @tributary/common/testing):
 *   BOOLEAN → BOOLEAN; TINYINT → TINYINT, SMALLINT → SMALLINT (INTEGERs flagged with their
 *   width: held in 32 bits, checked against their own range); INTEGER → INTEGER; BIGINT → BIGINT;
 *   HUGEINT → HUGEINT (128-bit, stored like DECIMAL(38,0): what SUM of integers gives);
 *   DOUBLE → DOUBLE; FLOAT → FLOAT (a DOUBLE flagged single: held in 64 bits, every value it
 *   takes rounded to 32); DECIMAL(p,s) → DECIMAL(p,s), p ≤ 38 (exact: scaled 128-bit
 *   integers); DATE → DATE; TIMESTAMP → TIMESTAMP (µs, no zone); TIMESTAMP WITH TIME ZONE →
 *   TIMESTAMP WITH TIME ZONE (a TIMESTAMP flagged withTimeZone); TIME → TIME; VARCHAR → VARCHAR;
 *   the NULL literal's type → NULL (DuckDB calls it "NULL" too, e.g. SELECT NULL);
 *   T[] → LIST of T, named `INTEGER[]` as DuckDB names it (an Arrow List of T's layout).
 * Unsigned DuckDB integers have no counterpart (sources widen them: UINTEGER → BIGINT).
 */
export type SqlType =
  | { readonly kind: 'NULL' }
  | { readonly kind: 'BOOLEAN' }
  | { readonly kind: 'INTEGER'; readonly bits?: 8 | 16 }
  | { readonly kind: 'BIGINT' }
  | { readonly kind: 'HUGEINT' }
  | { readonly kind: 'DOUBLE'; readonly single?: true }
  | { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'DATE' }
  | { readonly kind: 'TIMESTAMP'; readonly withTimeZone?: true }
  | { readonly kind: 'TIME' }
  | { readonly kind: 'VARCHAR' }
  | { readonly kind: 'LIST'; readonly element: SqlType };

export type SqlTypeKind = SqlType['kind'];

export const NULL_TYPE: SqlType = { kind: 'NULL' };
export const BOOLEAN: SqlType = { kind: 'BOOLEAN' };
export const INTEGER: SqlType = { kind: 'INTEGER' };
export const BIGINT: SqlType = { kind: 'BIGINT' };
export const HUGEINT: SqlType = { kind: 'HUGEINT' };
export const DOUBLE: SqlType = { kind: 'DOUBLE' };
/**
 * The narrow integers and the 32-bit float share INTEGER's and DOUBLE's layouts, so every
 * kernel, hash and sort serves them; only their names, ranges (arithmetic overflows at 8 and
 * 16 bits, as DuckDB's) and FLOAT's rounding of each value it takes differ.
 */
export const TINYINT: SqlType = { kind: 'INTEGER', bits: 8 };
export const SMALLINT: SqlType = { kind: 'INTEGER', bits: 16 };
export const FLOAT: SqlType = { kind: 'DOUBLE', single: true };
export const DATE: SqlType = { kind: 'DATE' };
export const TIMESTAMP: SqlType = { kind: 'TIMESTAMP' };
/**
 * TIMESTAMP WITH TIME ZONE: an instant, stored as TIMESTAMP is (µs since the epoch, UTC), so
 * every kernel, hash and sort treats the two alike. Tributary's session time zone is UTC:
 * values print with `+00` and casts between the two keep the number, as DuckDB's do in UTC.
 */
export const TIMESTAMPTZ: SqlType = { kind: 'TIMESTAMP', withTimeZone: true };
/** A time of day: µs since midnight, 00:00:00 to 24:00:00 (as DuckDB's TIME). */
export const TIME: SqlType = { kind: 'TIME' };
export const VARCHAR: SqlType = { kind: 'VARCHAR' };

/** Decimals are scaled integers, exact to 128 bits; precision caps at 38 like DuckDB. */
export const MAX_DECIMAL_PRECISION = 38;

export function decimal(precision: number, scale: number): SqlType {
  return { kind: 'DECIMAL', precision: Math.min(precision, MAX_DECIMAL_PRECISION), scale };
}

export function listOf(element: SqlType): SqlType {
  return { kind: 'LIST', element };
}

export function typeToString(type: SqlType): string {
  if (type.kind === 'LIST') return `${typeToString(type.element)}[]`;
  if (isZoned(type)) return 'TIMESTAMP WITH TIME ZONE';
  if (type.kind === 'INTEGER' && type.bits !== undefined) return type.bits === 8 ? 'TINYINT' : 'SMALLINT';
  if (isFloat(type)) return 'FLOAT';
  return type.kind === 'DECIMAL' ? `DECIMAL(${type.precision},${type.scale})` : type.kind;
}

export function sameType(a: SqlType, b: SqlType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'LIST' && b.kind === 'LIST') return sameType(a.element, b.element);
  if (a.kind === 'DECIMAL' && b.kind === 'DECIMAL') return a.precision === b.precision && a.scale === b.scale;
  if (a.kind === 'INTEGER' && b.kind === 'INTEGER') return a.bits === b.bits;
  return isZoned(a) === isZoned(b) && isFloat(a) === isFloat(b);
}

/** Whether a type is FLOAT, the 32-bit float. */
export function isFloat(type: SqlType): boolean {
  return type.kind === 'DOUBLE' && type.single === true;
}

/** Whether a type is TINYINT or SMALLINT, an INTEGER narrower than 32 bits. */
export function isNarrowInteger(type: SqlType): boolean {
  return type.kind === 'INTEGER' && type.bits !== undefined;
}

/** The inclusive range of TINYINT, SMALLINT or INTEGER (32-bit-held integers). */
export function int32Range(type: SqlType & { kind: 'INTEGER' }): readonly [number, number] {
  const bits = type.bits ?? 32;
  return [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1];
}

/** TINYINT < SMALLINT < INTEGER < BIGINT < HUGEINT: the wider of two integers holds both. */
function integerRank(type: SqlType): number {
  if (type.kind === 'INTEGER') return type.bits === 8 ? 1 : type.bits === 16 ? 2 : 3;
  return type.kind === 'BIGINT' ? 4 : 5;
}

/** Whether a type is TIMESTAMP WITH TIME ZONE. */
export function isZoned(type: SqlType): boolean {
  return type.kind === 'TIMESTAMP' && type.withTimeZone === true;
}

export function isNumeric(type: SqlType): boolean {
  return (
    type.kind === 'INTEGER' ||
    type.kind === 'BIGINT' ||
    type.kind === 'HUGEINT' ||
    type.kind === 'DOUBLE' ||
    type.kind === 'DECIMAL'
  );
}

export function isInteger(type: SqlType): boolean {
  return type.kind === 'INTEGER' || type.kind === 'BIGINT' || type.kind === 'HUGEINT';
}

/** Types whose values are 128-bit two's-complement words (Arrow Decimal128): DECIMAL and HUGEINT. */
export function isWide(type: SqlType): boolean {
  return type.kind === 'DECIMAL' || type.kind === 'HUGEINT';
}

/** The scale of a number's unscaled integer: a DECIMAL's scale, 0 for everything else. */
export function scaleOf(type: SqlType): number {
  return type.kind === 'DECIMAL' ? type.scale : 0;
}

export function isTemporal(type: SqlType): boolean {
  return type.kind === 'DATE' || type.kind === 'TIMESTAMP';
}

/**
 * An integer type seen as a decimal, as DuckDB does: TINYINT DECIMAL(3,0), SMALLINT (5,0),
 * INTEGER (10,0), BIGINT (19,0), HUGEINT (38,0).
 */
export function integerAsDecimal(type: SqlType): { precision: number; scale: number } {
  if (type.kind === 'DECIMAL') return { precision: type.precision, scale: type.scale };
  return { precision: [3, 5, 10, 19, 38][integerRank(type) - 1], scale: 0 };
}

/**
 * The type two values are compared or unioned in, following DuckDB's implicit casts:
 * integer ⊂ decimal ⊂ float ⊂ double, DATE ⊂ TIMESTAMP ⊂ TIMESTAMP WITH TIME ZONE, a string literal adapts to the other side
 * (handled by the binder), NULL fits anything. Returns undefined when there is none.
 */
export function commonSupertype(a: SqlType, b: SqlType): SqlType | undefined {
  if (a.kind === 'NULL') return b;
  if (b.kind === 'NULL') return a;
  if (sameType(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) {
    if ((a.kind === 'DOUBLE' && !isFloat(a)) || (b.kind === 'DOUBLE' && !isFloat(b))) return DOUBLE;
    if (a.kind === 'DOUBLE' || b.kind === 'DOUBLE') return FLOAT;
    if (a.kind === 'DECIMAL' || b.kind === 'DECIMAL') {
      const x = integerAsDecimal(a);
      const y = integerAsDecimal(b);
      const scale = Math.max(x.scale, y.scale);
      const integerDigits = Math.max(x.precision - x.scale, y.precision - y.scale);
      return decimal(integerDigits + scale, scale);
    }
    return integerRank(a) >= integerRank(b) ? a : b;
  }
  if (isTemporal(a) && isTemporal(b)) return isZoned(a) || isZoned(b) ? TIMESTAMPTZ : TIMESTAMP;
  if (a.kind === 'LIST' && b.kind === 'LIST') {
    const element = commonSupertype(a.element, b.element);
    return element === undefined ? undefined : listOf(element);
  }
  return undefined;
}

const TYPE_NAMES: Record<string, SqlType> = {
  BOOLEAN,
  BOOL: BOOLEAN,
  INTEGER,
  INT: INTEGER,
  INT4: INTEGER,
  SMALLINT,
  INT2: SMALLINT,
  SHORT: SMALLINT,
  TINYINT,
  INT1: TINYINT,
  BIGINT,
  INT8: BIGINT,
  LONG: BIGINT,
  HUGEINT,
  INT128: HUGEINT,
  DOUBLE,
  'DOUBLE PRECISION': DOUBLE,
  FLOAT8: DOUBLE,
  FLOAT,
  FLOAT4: FLOAT,
  REAL: FLOAT,
  DATE,
  TIMESTAMP,
  DATETIME: TIMESTAMP,
  TIME,
  'TIME WITHOUT TIME ZONE': TIME,
  TIMESTAMPTZ,
  'TIMESTAMP WITH TIME ZONE': TIMESTAMPTZ,
  VARCHAR,
  TEXT: VARCHAR,
  STRING: VARCHAR,
  CHAR: VARCHAR,
  CHARACTER: VARCHAR,
  'CHARACTER VARYING': VARCHAR,
  // Postgres' names of the types its catalog and clients use: OIDs and regclass are integers.
  OID: INTEGER,
  REGTYPE: INTEGER,
  NAME: VARCHAR,
  BPCHAR: VARCHAR,
};

/**
 * Parses a type name as written in SQL or a catalog (`DECIMAL(15,2)`, `varchar(25)`, `int8`).
 * DECIMAL without arguments is DECIMAL(18,3) as in DuckDB. Returns undefined for unknown names.
 */
export function parseTypeName(text: string): SqlType | undefined {
  const list = /^(.*?)\s*\[\s*\d*\s*\]\s*$/s.exec(text);
  if (list) {
    const element = parseTypeName(list[1]);
    return element === undefined ? undefined : listOf(element);
  }
  const match = /^\s*([A-Za-z][A-Za-z0-9 ]*?)\s*(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(text);
  if (!match) return undefined;
  const name = match[1].toUpperCase().replace(/\s+/g, ' ');
  if (name === 'DECIMAL' || name === 'NUMERIC') {
    const precision = match[2] === undefined ? 18 : Number(match[2]);
    const scale = match[3] === undefined ? (match[2] === undefined ? 3 : 0) : Number(match[3]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) return undefined;
    return decimal(precision, scale);
  }
  if (name === 'TIMESTAMP WITHOUT TIME ZONE') return TIMESTAMP;
  return TYPE_NAMES[name];
}
