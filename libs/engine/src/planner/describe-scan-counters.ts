import type { ScanCounters } from '@tributary/plan';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function bytes(n: number): string {
  if (n < 1024) return plural(n, 'byte');
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * A scan's counters as EXPLAIN prints them under its stage: `scan read 1.2 MiB, 6001 rows,
 * 1 file, 2 row groups; skipped 8 row groups; 3 bad rows skipped`; only what was counted.
 */
export function describeScanCounters(c: ScanCounters): string | undefined {
  const read = [
    ...(c.bytesRead ? [bytes(c.bytesRead)] : []),
    ...(c.rowsRead ? [plural(c.rowsRead, 'row')] : []),
    ...(c.filesRead ? [plural(c.filesRead, 'file')] : []),
    ...(c.rowGroupsRead ? [plural(c.rowGroupsRead, 'row group')] : []),
  ];
  const skipped = [
    ...(c.filesSkipped ? [plural(c.filesSkipped, 'file')] : []),
    ...(c.rowGroupsSkipped ? [plural(c.rowGroupsSkipped, 'row group')] : []),
  ];
  const parts = [
    ...(read.length ? [`read ${read.join(', ')}`] : []),
    ...(skipped.length ? [`skipped ${skipped.join(', ')}`] : []),
    ...(c.badRowsSkipped ? [`${plural(c.badRowsSkipped, 'bad row')} skipped`] : []),
  ];
  return parts.length ? `scan ${parts.join('; ')}` : undefined;
}
