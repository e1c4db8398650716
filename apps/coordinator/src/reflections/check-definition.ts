import type { CatalogStore } from '@tributary/catalog';
import { InternalError } from '@tributary/common';
import { createReflectionSql, quoteSqlIdentifier, type ReflectionDefinition } from '@tributary/reflections';
import { bindSql, type ReflectionSpec } from '@tributary/sql';
import { catalogRedactionFor } from '../planning/catalog-redaction.ts';
import { catalogViewOf } from '../planning/catalog-view-of.ts';

/**
 * A changed definition (a REST PUT), checked as its CREATE statement would be (columns of the
 * dataset, types, layout) and spelled as the dataset spells its columns. Binding a reflection
 * statement reads only the dataset's columns: small enough for the coordinator's thread.
 */
export function checkDefinition(
  catalog: CatalogStore,
  definition: Omit<ReflectionDefinition, 'id' | 'enabled'>,
): ReflectionSpec {
  const bound = bindSql(
    createReflectionSql(definition),
    catalogViewOf(catalog, [], catalogRedactionFor(false)),
  );
  if (bound.kind !== 'command' || bound.command.kind !== 'create_reflection')
    throw new InternalError('a reflection definition did not read as CREATE REFLECTION');
  return bound.command.reflection;
}

/** A refresh field (REST), checked as `REFRESH METHOD INCREMENTAL BY` would be and spelled as the dataset spells it. */
export function checkRefreshField(
  catalog: CatalogStore,
  datasetPath: readonly string[],
  field: string,
): string {
  const bound = bindSql(
    `ALTER DATASET ${datasetPath.map(quoteSqlIdentifier).join('.')} REFRESH METHOD INCREMENTAL BY ${quoteSqlIdentifier(field)}`,
    catalogViewOf(catalog, [], catalogRedactionFor(false)),
  );
  if (bound.kind !== 'command' || bound.command.kind !== 'refresh_method' || !bound.command.refreshField)
    throw new InternalError('a refresh field did not read as REFRESH METHOD');
  return bound.command.refreshField;
}
