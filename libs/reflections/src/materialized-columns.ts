import type { Field, TableRef } from '@tributary/plan';
import type { DateGranularity, MeasureFunction, ReflectionDefinition } from './reflection-definition.ts';
import { reflectionColumns } from './reflection-definition.ts';

/** A name among a schema's: exactly as written first, then ignoring case (as binding does). */
export function findByName(names: readonly string[], name: string): number {
  const exact = names.indexOf(name);
  if (exact >= 0) return exact;
  const lower = name.toLowerCase();
  return names.findIndex((n) => n.toLowerCase() === lower);
}

export interface MaterializedDimension {
  /** Index in the materialization's table. */
  readonly index: number;
  readonly granularity?: DateGranularity;
}

/**
 * A materialization's columns by what they hold, keyed by the dataset's column index (the
 * index in the dataset plan's output): what matching reads when it rewrites expressions over
 * the dataset into expressions over the reflection.
 */
export interface MaterializedLayout {
  readonly table: TableRef;
  readonly display: ReadonlyMap<number, number>;
  readonly dimensions: ReadonlyMap<number, MaterializedDimension>;
  /** `${datasetIndex}:${fn}` → index in the table. */
  readonly measures: ReadonlyMap<string, number>;
  readonly countStar: number | undefined;
}

export function measureKey(datasetIndex: number, fn: MeasureFunction): string {
  return `${datasetIndex}:${fn}`;
}

/**
 * Lays a materialization's table out over its dataset's columns. Columns are found in the
 * table by name (reflectionColumns says which), never by position: the builder's files name them.
 */
export function materializedLayout(
  definition: ReflectionDefinition,
  table: TableRef,
  dataset: readonly Field[],
): MaterializedLayout {
  const tableNames = table.columns.map((c) => c.name);
  const datasetNames = dataset.map((f) => f.name);
  const display = new Map<number, number>();
  const dimensions = new Map<number, MaterializedDimension>();
  const measures = new Map<string, number>();
  let countStar: number | undefined;
  for (const { name, role } of reflectionColumns(definition)) {
    const index = findByName(tableNames, name);
    if (index < 0) continue;
    if (role.kind === 'count-star') {
      countStar = index;
      continue;
    }
    const column = findByName(datasetNames, role.column);
    if (column < 0) continue;
    if (role.kind === 'display') display.set(column, index);
    else if (role.kind === 'dimension')
      dimensions.set(column, { index, ...(role.granularity ? { granularity: role.granularity } : {}) });
    else measures.set(measureKey(column, role.fn), index);
  }
  return { table, display, dimensions, measures, countStar };
}
