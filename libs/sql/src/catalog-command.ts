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
  | ChangePrivilegesCommand;

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
