import { open, stat, type FileHandle } from 'node:fs/promises';
import { parquetMetadata, type FileMetaData, type SchemaElement } from 'hyparquet';
import { SourceError } from '@tributary/common';

/** Statistics decoded to comparable numbers: DATE days, TIMESTAMP microseconds (floored). */
export const PARSERS = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms) * 1000,
  timestampFromMicroseconds: (us: bigint) => Number(us),
  timestampFromNanoseconds: (ns: bigint) => Math.floor(Number(ns) / 1000),
};

export interface ParquetFooter {
  readonly metadata: FileMetaData;
  readonly size: number;
  readonly mtimeMs: number;
}

const CACHE_LIMIT = 64;
/** The largest footer read: a length beyond it is taken for corruption. */
const MAX_FOOTER_BYTES = 64 * 1024 * 1024;
/** Parsed footers by file, valid while size and mtime are unchanged; insertion order = LRU. */
const cache = new Map<string, ParquetFooter>();

/** The leaf columns of a schema in column-chunk order with their dotted paths, or undefined when the tree is cut short. */
function leafElements(
  schema: readonly SchemaElement[],
): { path: string; element: SchemaElement }[] | undefined {
  const leaves: { path: string; element: SchemaElement }[] = [];
  let at = 1;
  const walk = (prefix: string, children: number): boolean => {
    for (let i = 0; i < children; i++) {
      const element = schema[at++];
      if (!element) return false;
      const path = prefix === '' ? element.name : `${prefix}.${element.name}`;
      if (element.num_children) {
        if (!walk(path, element.num_children)) return false;
      } else leaves.push({ path, element });
    }
    return true;
  };
  if (!walk('', schema[0]?.num_children ?? 0) || at !== schema.length) return undefined;
  return leaves;
}

/**
 * What makes a parsed footer unusable, checked before anything trusts it (a flipped bit
 * can parse): row counts that disagree, row groups without a chunk per leaf column, column
 * chunks outside the data before the footer. Undefined when it is consistent.
 */
function footerProblem(metadata: FileMetaData, dataEnd: number): string | undefined {
  if (!Array.isArray(metadata.schema) || !Array.isArray(metadata.row_groups))
    return 'no schema or row groups';
  if (typeof metadata.num_rows !== 'bigint') return 'no row count';
  for (const element of metadata.schema) {
    if (typeof element?.name !== 'string') return 'a schema element without a name';
    if (
      element.num_children !== undefined &&
      !(Number.isInteger(element.num_children) && element.num_children >= 0)
    )
      return `schema element "${element.name}" has ${String(element.num_children)} children`;
  }
  const leaves = leafElements(metadata.schema);
  if (!leaves) return 'its schema tree is cut short';
  let rows = 0n;
  for (const [g, group] of metadata.row_groups.entries()) {
    if (group.num_rows < 0n) return `row group ${g} has ${group.num_rows} rows`;
    rows += group.num_rows;
    if (group.columns.length !== leaves.length)
      return `row group ${g} has ${group.columns.length} column chunks for ${leaves.length} columns`;
    for (const [c, chunk] of group.columns.entries()) {
      const meta = chunk.meta_data;
      if (!meta) continue;
      // Each chunk repeats its column's path and type: a flip in either copy shows as a mismatch.
      const leaf = leaves[c];
      if (meta.path_in_schema.join('.') !== leaf.path || meta.type !== leaf.element.type)
        return `row group ${g} has a column chunk for "${meta.path_in_schema.join('.')}" (${meta.type}) where the schema has "${leaf.path}" (${leaf.element.type})`;
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      if (!(start >= 4 && end <= dataEnd && meta.total_compressed_size >= 0n))
        return `row group ${g} has a column chunk at bytes ${start}..${end}, outside the file's data`;
    }
  }
  if (rows !== metadata.num_rows)
    return `its footer counts ${metadata.num_rows} rows but its row groups ${rows}`;
  return undefined;
}

/** The footer of `file` parsed before, if the file still has this size and mtime. */
export function cachedParquetFooter(file: string, size: number, mtimeMs: number): ParquetFooter | undefined {
  const cached = cache.get(file);
  if (!cached || cached.size !== size || cached.mtimeMs !== mtimeMs) return undefined;
  cache.delete(file);
  cache.set(file, cached);
  return cached;
}

/**
 * Reads and parses only the footer of a Parquet file (cached by path, size and mtime),
 * through `opened` when given: a descriptor the caller has already checked (and closes).
 */
export async function readParquetFooter(file: string, opened?: FileHandle): Promise<ParquetFooter> {
  let info;
  try {
    info = opened ? await opened.stat() : await stat(file);
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `Parquet file "${file}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const cached = cachedParquetFooter(file, info.size, info.mtimeMs);
  if (cached) return cached;
  const invalid = (why: string, cause?: unknown) =>
    new SourceError('SOURCE_FILE_INVALID', `file "${file}" is not a valid Parquet file: ${why}`, {
      cause,
      details: { file },
    });
  if (info.size < 12) throw invalid('too short');
  const handle = opened ?? (await open(file, 'r'));
  let metadata: FileMetaData;
  try {
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, info.size - 8);
    if (tail.toString('latin1', 4, 8) !== 'PAR1') throw invalid('no PAR1 magic at its end');
    const footerLength = tail.readUInt32LE(0);
    if (footerLength + 12 > info.size) throw invalid('footer length beyond the file');
    // A corrupt length must not make a huge allocation; real footers are far smaller.
    if (footerLength > MAX_FOOTER_BYTES)
      throw invalid(`footer of ${footerLength} bytes, beyond ${MAX_FOOTER_BYTES}`);
    const footer = new Uint8Array(footerLength + 8);
    await handle.read(footer, 0, footerLength + 8, info.size - footerLength - 8);
    try {
      metadata = parquetMetadata(footer.buffer, { parsers: PARSERS });
    } catch (error) {
      throw invalid((error as Error).message, error);
    }
    let problem: string | undefined;
    try {
      problem = footerProblem(metadata, info.size - footerLength - 8);
    } catch (error) {
      // A field of the wrong type (a flipped Thrift type tag) fails the checks themselves.
      problem = `its footer is malformed (${(error as Error).message})`;
    }
    if (problem) throw invalid(problem);
  } finally {
    if (!opened) await handle.close();
  }
  const footer: ParquetFooter = { metadata, size: info.size, mtimeMs: info.mtimeMs };
  cache.set(file, footer);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return footer;
}
