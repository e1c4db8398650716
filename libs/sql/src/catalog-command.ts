import type { ColumnDescriptor } from '@tributary/common';
import type { GrantStatement } from './parse-grant.ts';

/**
 * A statement that changes the catalog. The planner thread parses and checks it (binding a
 * view's SQL, for its columns); the coordinator applies it on its main thread, a small
 * catalog write, and answers one row (`ok`, `summary`), as Dremio answers DDL. A new kind is
 * added here, in COMMAND_BINDERS (bind-command.ts) and in the coordinator's command table,
 * which the compiler checks is exhaustive.
 */
export type CatalogCommand =
  | CreateViewCommand
  | DropViewCommand
  | CreateSpaceCommand
  | DropSpaceCommand
  | CreateFolderCommand
  | DropFolderCommand
  | ChangePrivilegesCommand
  | CreateReflectionCommand
  | DropReflectionCommand
  | RefreshReflectionsCommand
  | RefreshMethodCommand
  | EnableReflectionsCommand;

/**
 * A reflection's definition as written (bind-reflection.ts): columns spelled as the dataset
 * spells them, checked against its schema. The same shapes as libs/reflections'
 * ReflectionDefinition (which libs/sql cannot import: it sits above).
 */
export interface ReflectionSpec {
  readonly name: string;
  readonly type: 'RAW' | 'AGGREGATION';
  readonly displayColumns: readonly string[];
  readonly dimensions: readonly {
    readonly column: string;
    readonly granularity?: 'day' | 'month' | 'year';
  }[];
  readonly measures: readonly {
    readonly column: string;
    readonly functions: readonly ('SUM' | 'COUNT' | 'MIN' | 'MAX')[];
  }[];
  readonly partitionBy: readonly string[];
  readonly localSortBy: readonly string[];
}

/** A table (`[source, table]`) or view (`[space, …, view]`) a reflection statement is on. */
export interface ReflectionDataset {
  readonly kind: 'table' | 'view';
  /** As the catalog spells it. */
  readonly path: readonly string[];
}

/** `ALTER TABLE|VIEW x CREATE RAW|AGGREGATE REFLECTION r USING …` */
export interface CreateReflectionCommand {
  readonly kind: 'create_reflection';
  readonly dataset: ReflectionDataset;
  readonly reflection: ReflectionSpec;
}

/** `ALTER TABLE|VIEW x DROP REFLECTION r` */
export interface DropReflectionCommand {
  readonly kind: 'drop_reflection';
  readonly dataset: ReflectionDataset;
  readonly name: string;
}

/** `ALTER TABLE|VIEW x REFRESH REFLECTIONS`: a build of each of its enabled reflections. */
export interface RefreshReflectionsCommand {
  readonly kind: 'refresh_reflections';
  readonly dataset: ReflectionDataset;
}

/**
 * `ALTER TABLE|VIEW x REFRESH METHOD INCREMENTAL BY c | FULL`: the dataset's reflections are
 * refreshed by reading only the rows whose column `c` is above what the last build read
 * (Dremio's incremental refresh with a refresh field), or in full (`refreshField` null).
 */
export interface RefreshMethodCommand {
  readonly kind: 'refresh_method';
  readonly dataset: ReflectionDataset;
  readonly refreshField: string | null;
}

/**
 * `ALTER TABLE|VIEW x ENABLE|DISABLE REFLECTION r` (one reflection; Dremio has no SQL for it), or
 * Dremio's `ALTER TABLE|VIEW x ENABLE|DISABLE RAW|AGGREGATE ACCELERATION` (all of one type).
 */
export interface EnableReflectionsCommand {
  readonly kind: 'enable_reflections';
  readonly dataset: ReflectionDataset;
  readonly enabled: boolean;
  readonly target: { readonly name: string } | { readonly type: 'RAW' | 'AGGREGATION' };
}

/** GRANT or REVOKE (parse-grant.ts): applied by the coordinator's access layer. */
export interface ChangePrivilegesCommand {
  readonly kind: 'change_privileges';
  readonly statement: GrantStatement;
}

export interface CreateViewCommand {
  readonly kind: 'create_view';
  readonly path: readonly string[];
  /** The SELECT, as written after AS. */
  readonly sql: string;
  /** The default path its bare names resolve in: the statement's context. */
  readonly context: readonly string[];
  readonly replace: boolean;
  /** Its columns, derived by binding its SQL now. */
  readonly columns: readonly ColumnDescriptor[];
}

export interface DropViewCommand {
  readonly kind: 'drop_view';
  readonly path: readonly string[];
  readonly ifExists: boolean;
}

export interface CreateSpaceCommand {
  readonly kind: 'create_space';
  readonly name: string;
  readonly ifNotExists: boolean;
}

export interface DropSpaceCommand {
  readonly kind: 'drop_space';
  readonly name: string;
  readonly ifExists: boolean;
  /** CASCADE: drop what it holds too; without it only an empty space is dropped. */
  readonly force: boolean;
}

export interface CreateFolderCommand {
  readonly kind: 'create_folder';
  readonly path: readonly string[];
  readonly ifNotExists: boolean;
}

export interface DropFolderCommand {
  readonly kind: 'drop_folder';
  readonly path: readonly string[];
  readonly ifExists: boolean;
  /** CASCADE: drop what it holds too. */
  readonly force: boolean;
}
