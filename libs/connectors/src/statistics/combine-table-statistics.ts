import type { ColumnStatistics, LiteralValue, TableStatistics } from '@tributary/plan';
import { rangesDisjoint, unionDistinct } from './estimate-distinct.ts';

function comparable(v: LiteralValue | undefined): v is number | string | boolean {
  return v !== undefined && v !== null;
}

function pick(values: readonly (LiteralValue | undefined)[], wantMax: boolean): LiteralValue | undefined {
  let best: LiteralValue | undefined;
  for (const v of values) {
    if (!comparable(v)) return undefined; // one part without a bound: no bound for the whole
    if (best === undefined || (wantMax ? best! < v : v < best!)) best = v;
  }
  return best;
}

/**
 * The statistics of a table made of several parts (the files of a folder): rows and NULLs
 * add up, min of the mins, max of the maxes, and distinct counts as the union of parts of
 * one domain would hold them (unionDistinct: between the largest part's and their sum).
 * A column some part does not describe gets only what every part says.
 */
export function combineTableStatistics(parts: readonly TableStatistics[]): TableStatistics {
  if (parts.length === 1) return parts[0];
  const rowCount = parts.every((p) => p.rowCount !== undefined)
    ? parts.reduce((s, p) => s + p.rowCount!, 0)
    : undefined;
  const names = new Set(parts.flatMap((p) => Object.keys(p.columns ?? {})));
  const columns: Record<string, ColumnStatistics> = {};
  for (const name of names) {
    const each = parts.map((p) => p.columns?.[name]);
    if (each.some((c) => c === undefined)) continue;
    const stats = each as ColumnStatistics[];
    const min = pick(
      stats.map((c) => c.min),
      false,
    );
    const max = pick(
      stats.map((c) => c.max),
      true,
    );
    const nullCount = stats.every((c) => c.nullCount !== undefined)
      ? stats.reduce((s, c) => s + c.nullCount!, 0)
      : undefined;
    const distinctCount = !stats.every((c) => c.distinctCount !== undefined)
      ? undefined
      : rangesDisjoint(stats)
        ? stats.reduce((s, c) => s + c.distinctCount!, 0)
        : unionDistinct(
            stats.map((c, i) => ({
              distinct: c.distinctCount!,
              rows: Math.max(c.distinctCount!, (parts[i].rowCount ?? 0) - (c.nullCount ?? 0)),
            })),
          );
    columns[name] = {
      ...(min !== undefined && max !== undefined && typeof min === typeof max ? { min, max } : {}),
      ...(nullCount === undefined ? {} : { nullCount }),
      ...(distinctCount === undefined ? {} : { distinctCount }),
      ...(stats.some((c) => c.sampled) ? { sampled: true } : {}),
    };
  }
  return { ...(rowCount === undefined ? {} : { rowCount }), columns };
}
