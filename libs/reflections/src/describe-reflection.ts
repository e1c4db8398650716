import { quoteSqlIdentifier, type ReflectionDefinition } from './reflection-definition.ts';

/** A reflection's definition in words, as sys.reflections and the REST API show it. */
export function describeReflection(definition: ReflectionDefinition): string {
  const parts =
    definition.type === 'RAW'
      ? [`raw: ${definition.displayColumns.join(', ')}`]
      : [
          `aggregation: dimensions ${definition.dimensions.map((d) => (d.granularity ? `${d.column} by ${d.granularity}` : d.column)).join(', ') || 'none'}`,
          `measures ${definition.measures.flatMap((m) => m.functions.map((fn) => `${fn}(${m.column})`)).join(', ') || 'COUNT(*)'}`,
        ];
  if (definition.partitionBy.length > 0) parts.push(`partitioned by ${definition.partitionBy.join(', ')}`);
  if (definition.localSortBy.length > 0) parts.push(`sorted by ${definition.localSortBy.join(', ')}`);
  return parts.join('; ');
}

/**
 * The Dremio statement that creates the reflection on its dataset: what the REST APIs run, so
 * that they are checked (columns, types, privileges) exactly as SQL is.
 */
export function createReflectionSql(definition: Omit<ReflectionDefinition, 'id' | 'enabled'>): string {
  const names = (columns: readonly string[]) => columns.map(quoteSqlIdentifier).join(', ');
  const head = `ALTER DATASET ${definition.datasetPath.map(quoteSqlIdentifier).join('.')} CREATE`;
  const using =
    definition.type === 'RAW'
      ? `RAW REFLECTION ${quoteSqlIdentifier(definition.name)} USING DISPLAY (${names(definition.displayColumns)})`
      : `AGGREGATE REFLECTION ${quoteSqlIdentifier(definition.name)} USING` +
        (definition.dimensions.length > 0
          ? ` DIMENSIONS (${definition.dimensions
              .map(
                (d) =>
                  quoteSqlIdentifier(d.column) + (d.granularity ? ` BY ${d.granularity.toUpperCase()}` : ''),
              )
              .join(', ')})`
          : '') +
        (definition.measures.length > 0
          ? ` MEASURES (${definition.measures
              .map(
                (m) =>
                  `${quoteSqlIdentifier(m.column)}${m.functions.length > 0 ? ` (${m.functions.join(', ')})` : ''}`,
              )
              .join(', ')})`
          : '');
  const partition =
    definition.partitionBy.length > 0 ? ` PARTITION BY (${names(definition.partitionBy)})` : '';
  const sort = definition.localSortBy.length > 0 ? ` LOCALSORT BY (${names(definition.localSortBy)})` : '';
  return `${head} ${using}${partition}${sort}`;
}
