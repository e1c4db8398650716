import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { RequestError, SourceError } from '@tributary/common';
import { confinePath } from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';
import { explainPathNotAllowed } from '../sources/path-not-allowed.ts';

export const UNSUPPORTED_SOURCE_TYPE = 'UNSUPPORTED_SOURCE_TYPE';

/** Keys of Dremio's NAS `config` that concern its own storage engine, not ours: accepted and left aside. */
const NAS_ENGINE_KEYS = new Set([
  'defaultCtasFormat',
  'propertyList',
  'enableAsync',
  'isCachingEnabled',
  'maxCacheSpacePct',
  'isPartitionInferenceEnabled',
]);

/** Dremio's format names and ours: CSV is Dremio's "Text". */
const FORMATS: Record<string, SourceType> = { csv: 'csv', text: 'csv', parquet: 'parquet' };

/** A Dremio source body mapped onto a Tributary source: its type (or `detect` it from the files), path and options. */
export interface MappedSource {
  readonly type: SourceType | 'detect';
  readonly path: string;
  readonly options: Record<string, unknown>;
}

/**
 * Maps `{type, config}` of Dremio's source entity onto a Tributary source. `NAS` (files on a
 * mounted file system) with `config.path` is a CSV or Parquet source: `config.format`
 * (`csv`/`text` or `parquet`) says which, else the files there decide (detectFileFormat). The
 * types `CSV`, `PARQUET` and `SQLITE` name Tributary's connectors directly. Every other key of
 * `config` is a connector option (checked by the connector, SOURCE_OPTION_UNKNOWN). Other
 * Dremio source types (S3, POSTGRES, …) are refused with UNSUPPORTED_SOURCE_TYPE.
 */
export function mapDremioSource(
  type: string,
  config: Readonly<Record<string, unknown>> | undefined,
): MappedSource {
  const { path, format, ...rest } = config ?? {};
  if (typeof path !== 'string' || path.trim() === '')
    throw new RequestError(
      'INVALID_SOURCE_PATH',
      'source "config.path" must be a non-empty string: the file or folder to read',
    );
  const upper = type.toUpperCase();
  if (upper === 'NAS') {
    const options = Object.fromEntries(Object.entries(rest).filter(([k]) => !NAS_ENGINE_KEYS.has(k)));
    if (format === undefined) return { type: 'detect', path, options };
    const mapped = typeof format === 'string' ? FORMATS[format.toLowerCase()] : undefined;
    if (!mapped)
      throw new RequestError(
        'INVALID_SOURCE_OPTIONS',
        `a NAS source's "config.format" is csv (Dremio's text) or parquet, got ${JSON.stringify(format)}`,
      );
    return { type: mapped, path, options };
  }
  if (upper === 'CSV' || upper === 'PARQUET' || upper === 'SQLITE') {
    if (format !== undefined)
      throw new RequestError(
        'INVALID_SOURCE_OPTIONS',
        `"config.format" is for NAS sources; a ${upper} source has its format`,
      );
    return { type: upper.toLowerCase() as SourceType, path, options: { ...rest } };
  }
  throw new RequestError(
    UNSUPPORTED_SOURCE_TYPE,
    `Tributary cannot read a source of type ${JSON.stringify(type)}; it reads NAS (CSV and Parquet files, config.path), CSV, PARQUET and SQLITE sources`,
    { details: { type, supported: ['NAS', 'CSV', 'PARQUET', 'SQLITE'] } },
  );
}

const PARQUET = new Set(['.parquet']);
const CSV = new Set(['.csv', '.tsv', '.txt']);
const SQLITE = new Set(['.sqlite', '.sqlite3', '.db']);
/** Files looked at to tell a folder's format: enough for any real layout, bounded for a huge tree. */
const FILES_LOOKED_AT = 10_000;

/**
 * The format of the files at `path` (confined to `roots` first, refused as the source routes
 * refuse it): a file by its extension; a folder by the files below it, Parquet when it holds
 * any, else CSV. NO_TABLES_FOUND when it holds neither.
 */
export async function detectFileFormat(path: string, roots: readonly string[]): Promise<SourceType> {
  const real = await confinePath(path, roots).catch((error: unknown) => {
    throw explainPathNotAllowed(error, roots);
  });
  const extensions: string[] = [];
  if ((await stat(real)).isFile()) extensions.push(extname(real).toLowerCase());
  else {
    const entries = await readdir(real, { recursive: true, withFileTypes: true });
    for (const entry of entries.slice(0, FILES_LOOKED_AT))
      if (entry.isFile()) extensions.push(extname(join(entry.name)).toLowerCase());
  }
  if (extensions.some((e) => PARQUET.has(e))) return 'parquet';
  if (extensions.some((e) => CSV.has(e) || e === '.gz')) return 'csv';
  if (extensions.length === 1 && SQLITE.has(extensions[0])) return 'sqlite';
  throw new SourceError(
    'NO_TABLES_FOUND',
    `no CSV or Parquet files found at ${path}; give "config.format" or another path`,
  );
}
