import {
  BIGINT,
  DATE,
  formatTime,
  parseTime,
  SourceError,
  TIMESTAMP,
  VARCHAR,
  type SqlType,
} from '@tributary/common';
import type { LiteralValue } from '@tributary/plan';

/**
 * The `key=value` folders on a file's relative path, in path order: keys URL-decoded, values
 * as written (DuckDB infers a value's type from its text as written, then decodes it).
 */
export function hivePairs(relative: string): [string, string][] {
  const folders = relative.split('/').slice(0, -1);
  const pairs: [string, string][] = [];
  for (const folder of folders) {
    const eq = folder.indexOf('=');
    if (eq <= 0) continue;
    pairs.push([decode(folder.slice(0, eq)), folder.slice(eq + 1)]);
  }
  return pairs;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray '%' is part of the name
  }
}

/** Values DuckDB and Spark write for a NULL partition key. */
function isNullValue(text: string): boolean {
  return text === 'NULL' || text === '__HIVE_DEFAULT_PARTITION__';
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

function days(year: string, month: string, day: string): number | undefined {
  const ms = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const back = new Date(ms);
  // Rejects 2024-02-30 and friends, which Date.UTC would roll over.
  if (back.getUTCMonth() !== Number(month) - 1 || back.getUTCDate() !== Number(day)) return undefined;
  return ms / 86_400_000;
}

/**
 * A partition value as a literal of `type` (expr.ts representation), or undefined when the
 * text does not read back as itself in that type: DuckDB's hive_types_autocast keeps a type
 * only when casting the text and printing it again gives the same text ('01' stays VARCHAR).
 */
export function hiveLiteral(text: string, type: SqlType): LiteralValue | undefined {
  if (isNullValue(text)) return null;
  switch (type.kind) {
    case 'BIGINT': {
      if (!/^-?\d+$/.test(text)) return undefined;
      const value = BigInt(text);
      if (value.toString() !== text || value > 2n ** 63n - 1n || value < -(2n ** 63n)) return undefined;
      return Number.isSafeInteger(Number(value)) ? Number(value) : text;
    }
    case 'DATE': {
      const m = DATE_TEXT.exec(text);
      return m ? days(m[1], m[2], m[3]) : undefined;
    }
    case 'TIMESTAMP': {
      const m = TIMESTAMP_TEXT.exec(text);
      if (!m || text[10] !== ' ' || (m[7] !== undefined && m[7].endsWith('0'))) return undefined;
      const day = days(m[1], m[2], m[3]);
      const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
      if (day === undefined || h > 23 || min > 59 || s > 59) return undefined;
      const micros = Number((m[7] ?? '').padEnd(6, '0'));
      return day * 86_400_000_000 + ((h * 60 + min) * 60 + s) * 1_000_000 + micros;
    }
    case 'TIME': {
      const micros = parseTime(text);
      return micros !== undefined && formatTime(micros) === text ? micros : undefined;
    }
    case 'VARCHAR':
      return decode(text);
    default:
      return undefined;
  }
}

/** The types DuckDB's hive_types_autocast tries, in its order; VARCHAR when none fits. */
const CANDIDATES: readonly SqlType[] = [DATE, TIMESTAMP, BIGINT];

export interface HivePartitioning {
  /** Partition column names, sorted as DuckDB lists them. */
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  /** Per file, its values in `columns` order. */
  readonly values: readonly (readonly LiteralValue[])[];
}

/**
 * The partition columns of files given by their relative paths: every file must name the
 * same keys (else SOURCE_SCHEMA_MISMATCH naming the odd file); each key's type is the first
 * of DATE, TIMESTAMP, BIGINT that every non-NULL value reads back as, else VARCHAR.
 */
export function hivePartitioning(
  relatives: readonly string[],
  shown: (i: number) => string,
): HivePartitioning {
  const perFile = relatives.map((r) => new Map(hivePairs(r)));
  const keys = [...(perFile[0]?.keys() ?? [])].sort();
  perFile.forEach((pairs, i) => {
    const same = pairs.size === keys.length && keys.every((k) => pairs.has(k));
    if (!same) {
      throw new SourceError(
        'SOURCE_SCHEMA_MISMATCH',
        `Parquet file "${shown(i)}" has partition folders (${[...pairs.keys()].join(', ') || 'none'}) unlike the other files of its table (${keys.join(', ') || 'none'})`,
        { details: { file: shown(i) } },
      );
    }
  });
  const columns = keys.map((name) => {
    const texts = perFile.map((pairs) => pairs.get(name)!);
    const type =
      (texts.some((t) => !isNullValue(t)) &&
        CANDIDATES.find((candidate) => texts.every((t) => hiveLiteral(t, candidate) !== undefined))) ||
      VARCHAR;
    return { name, type };
  });
  const values = perFile.map((pairs) => columns.map((c) => hiveLiteral(pairs.get(c.name)!, c.type)!));
  return { columns, values };
}
