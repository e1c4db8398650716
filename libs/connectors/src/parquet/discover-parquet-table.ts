import type { ColumnDescriptor } from '@tributary/common';
import type { LiteralValue, TableStatistics } from '@tributary/plan';
import type { DiscoveredTable } from '../connector.ts';
import { combineTableStatistics } from '../statistics/combine-table-statistics.ts';
import { decodeRowGroup } from './decode-row-group.ts';
import type { TableFiles } from './find-parquet-tables.ts';
import { hivePairs, hivePartitioning } from './hive-partitions.ts';
import { mapBounded } from './map-bounded.ts';
import { parquetFileColumns } from './parquet-file-columns.ts';
import type { ParquetLocation } from './parquet-location.ts';
import type { ParquetOptions } from './parquet-options.ts';
import { parquetTableStatistics } from './parquet-table-statistics.ts';
import { readParquetFooter, type ParquetFooter } from './read-parquet-footer.ts';
import { unifyFileColumns } from './unify-file-columns.ts';

/** Files of a folder table whose distinct counts are sampled at discovery; the rest only add footers. */
const SAMPLED_FILES = 16;

/** The statistics a file's partition values give: one value (or all NULL) per column. */
function partitionStatistics(
  names: readonly string[],
  values: readonly LiteralValue[],
  rows: number,
): TableStatistics['columns'] {
  const out: Record<
    string,
    { min?: LiteralValue; max?: LiteralValue; nullCount: number; distinctCount: number }
  > = {};
  names.forEach((name, i) => {
    const value = values[i];
    out[name] =
      value === null
        ? { nullCount: rows, distinctCount: 0 }
        : { min: value, max: value, nullCount: 0, distinctCount: rows > 0 ? 1 : 0 };
  });
  return out;
}

/** Reads the footers of one table's files and makes it: columns, location, statistics. */
export async function discoverParquetTable(
  found: TableFiles,
  options: ParquetOptions,
): Promise<DiscoveredTable> {
  const paths = found.files.map((f) => f.file);
  // Footers of several files are read at once, kept in the files' order.
  const footers: ParquetFooter[] = await mapBounded(paths, 8, (path) => readParquetFooter(path));
  const perFile = footers.map((footer, f) => parquetFileColumns(footer, paths[f], options));
  const relatives = found.files.map((f) => f.relative);
  const hive =
    found.folder &&
    (options.hivePartitioning === true ||
      (options.hivePartitioning === 'auto' && relatives.some((r) => hivePairs(r).length > 0)));
  const partitioning = hive ? hivePartitioning(relatives, (i) => paths[i]) : undefined;
  const partitionNames = partitioning?.columns.map((c) => c.name) ?? [];
  const unified = unifyFileColumns(perFile, paths, options.unionByName);
  // A partition column named like a file column takes its place (DuckDB does the same).
  const unsupported = unified.unsupported.filter((c) => !partitionNames.includes(c.name));
  const columns: ColumnDescriptor[] = unified.columns.map((c) => {
    const p = partitionNames.indexOf(c.name);
    return p >= 0 ? { name: c.name, type: partitioning!.columns[p].type } : c;
  });
  for (const c of partitioning?.columns ?? []) {
    if (!unified.columns.some((u) => u.name === c.name)) columns.push({ name: c.name, type: c.type });
  }
  const settings = { binaryAsString: options.binaryAsString, unionByName: options.unionByName };
  const loc: ParquetLocation =
    found.folder || paths.length !== 1
      ? {
          files: paths.map((path, i) =>
            partitioning ? { path, partition: partitioning.values[i] } : { path },
          ),
          ...(partitioning ? { partitionColumns: partitionNames } : {}),
          settings,
        }
      : { file: paths[0], settings };
  const parts: TableStatistics[] = [];
  for (let f = 0; f < paths.length; f++) {
    const fileColumns = perFile[f].columns;
    const sampled = f < SAMPLED_FILES;
    const stats = await parquetTableStatistics(footers[f], fileColumns, (group, wanted) =>
      sampled
        ? decodeRowGroup(
            paths[f],
            paths[f],
            footers[f],
            group,
            wanted.map((c) => ({ ...fileColumns[c], column: c })),
          )
        : Promise.resolve(new Map()),
    );
    const rows = Number(footers[f].metadata.num_rows);
    const byName: Record<string, NonNullable<TableStatistics['columns']>[string]> = {};
    for (const column of columns) {
      const fromFile = stats.columns?.[column.name];
      const p = partitionNames.indexOf(column.name);
      if (p >= 0) continue;
      // Distinct counts of files beyond the sampled ones are unknown (estimated below).
      if (fromFile) {
        const { distinctCount, ...rest } = fromFile;
        byName[column.name] = sampled && distinctCount !== undefined ? { ...rest, distinctCount } : rest;
      } else byName[column.name] = { nullCount: rows, distinctCount: 0 };
    }
    Object.assign(byName, partitionStatistics(partitionNames, partitioning?.values[f] ?? [], rows));
    parts.push({ rowCount: rows, columns: byName });
  }
  const combined = estimateUnsampledDistinct(combineTableStatistics(parts), parts);
  // A partition column's distinct values are its folders' values: known exactly.
  const statistics: TableStatistics = {
    ...combined,
    columns: {
      ...combined.columns,
      ...Object.fromEntries(
        partitionNames.map((name, p) => {
          const values = new Set<LiteralValue>();
          partitioning!.values.forEach((v, f) => {
            if (v[p] !== null && Number(footers[f].metadata.num_rows) > 0) values.add(v[p]);
          });
          return [name, { ...combined.columns?.[name], distinctCount: values.size }];
        }),
      ),
    },
  };
  return {
    name: found.name,
    columns,
    location: { ...loc },
    rowCount: statistics.rowCount ?? footers.reduce((s, f) => s + Number(f.metadata.num_rows), 0),
    statistics,
    ...(unsupported.length > 0 ? { unsupportedColumns: unsupported } : {}),
  };
}

/**
 * Distinct counts for a folder with more files than were sampled: the sampled files' count
 * scaled by rows, at most the column's non-NULL rows (an estimate for join ordering only).
 */
function estimateUnsampledDistinct(
  combined: TableStatistics,
  parts: readonly TableStatistics[],
): TableStatistics {
  if (parts.length <= SAMPLED_FILES) return combined;
  const sampledParts = parts.slice(0, SAMPLED_FILES);
  const sampled = combineTableStatistics(sampledParts);
  const sampledRows = sampled.rowCount ?? 0;
  const totalRows = combined.rowCount ?? 0;
  const columns = { ...(combined.columns ?? {}) };
  for (const [name, stats] of Object.entries(columns)) {
    const fromSample = sampled.columns?.[name]?.distinctCount;
    if (stats.distinctCount !== undefined || fromSample === undefined || sampledRows === 0) continue;
    const nonNull = totalRows - (stats.nullCount ?? 0);
    columns[name] = {
      ...stats,
      distinctCount: Math.max(0, Math.min(nonNull, Math.round((fromSample * totalRows) / sampledRows))),
    };
  }
  return { ...combined, columns };
}
