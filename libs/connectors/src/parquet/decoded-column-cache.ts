import type { ColumnBuffers } from '@tributary/common';

/** One column of one row group, decoded: its pieces in batch order. */
export type DecodedColumn = readonly ColumnBuffers[];

function bytesOf(column: DecodedColumn): number {
  let bytes = 0;
  for (const piece of column) {
    bytes += piece.values.byteLength + (piece.offsets?.byteLength ?? 0) + (piece.validity?.byteLength ?? 0);
  }
  return bytes;
}

/**
 * A memory-bounded LRU cache of decoded Parquet column chunks, keyed by file, size, mtime,
 * row group and column (DESIGN.md; Dremio's columnar cache is the precedent): a warm query
 * skips decoding, and a file rewritten in place (new size or mtime) is never served stale.
 * The cached arrays are shared with the batches handed out, which nothing downstream
 * mutates (operators always write new arrays).
 */
export class DecodedColumnCache {
  private readonly entries = new Map<string, { column: DecodedColumn; bytes: number }>();
  private used = 0;

  constructor(private readonly maxBytes: number) {}

  static key(file: string, size: number, mtimeMs: number, rowGroup: number, column: string): string {
    return `${file}\u0000${size}\u0000${mtimeMs}\u0000${rowGroup}\u0000${column}`;
  }

  get(key: string): DecodedColumn | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.column;
  }

  set(key: string, column: DecodedColumn): void {
    const bytes = bytesOf(column);
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.used -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { column, bytes });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }

  /** Forgets every entry (tests measure decoding from a cold cache). */
  clear(): void {
    this.entries.clear();
    this.used = 0;
  }

  get usedBytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The process-wide cache; TRIBUTARY_COLUMN_CACHE_MB sizes it (0 turns it off). */
export const decodedColumnCache = new DecodedColumnCache(
  Math.max(0, Number(process.env.TRIBUTARY_COLUMN_CACHE_MB ?? 512) || 0) * 1024 * 1024,
);
