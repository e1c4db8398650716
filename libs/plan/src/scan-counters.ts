/**
 * What a scan read and what it skipped: connectors add to the counters that mean something
 * for their format as they work (planSplits too, for what it prunes); tasks report them, and
 * EXPLAIN ANALYZE and the query's warnings show them.
 */
export interface ScanCounters {
  /** Bytes read from files or databases (compressed, as stored). */
  bytesRead: number;
  /** Rows the source produced, before the engine's residual filters. */
  rowsRead: number;
  /** Files opened, and files (e.g. Hive partitions) skipped without opening them. */
  filesRead: number;
  filesSkipped: number;
  /** Parquet row groups read, and skipped by statistics, page indexes or partitions. */
  rowGroupsRead: number;
  rowGroupsSkipped: number;
  /** Bad rows a `skip` policy left out, and a few of them described ("file.csv line 17: ..."). */
  badRowsSkipped: number;
  badRowSamples: string[];
}

/** Bad rows described in full at most: the count says how many more there were. */
export const MAX_BAD_ROW_SAMPLES = 10;

export function emptyScanCounters(): ScanCounters {
  return {
    bytesRead: 0,
    rowsRead: 0,
    filesRead: 0,
    filesSkipped: 0,
    rowGroupsRead: 0,
    rowGroupsSkipped: 0,
    badRowsSkipped: 0,
    badRowSamples: [],
  };
}

/** Adds `from` into `into` (tasks of a stage, stages of a query). */
export function addScanCounters(into: ScanCounters, from: ScanCounters): ScanCounters {
  into.bytesRead += from.bytesRead;
  into.rowsRead += from.rowsRead;
  into.filesRead += from.filesRead;
  into.filesSkipped += from.filesSkipped;
  into.rowGroupsRead += from.rowGroupsRead;
  into.rowGroupsSkipped += from.rowGroupsSkipped;
  into.badRowsSkipped += from.badRowsSkipped;
  for (const sample of from.badRowSamples) {
    if (into.badRowSamples.length >= MAX_BAD_ROW_SAMPLES) break;
    into.badRowSamples.push(sample);
  }
  return into;
}

/** Whether a scan counted anything at all (a connector that counts nothing reports nothing). */
export function countedAnything(counters: ScanCounters): boolean {
  return (
    counters.bytesRead +
      counters.rowsRead +
      counters.filesRead +
      counters.filesSkipped +
      counters.rowGroupsRead +
      counters.rowGroupsSkipped +
      counters.badRowsSkipped >
    0
  );
}
