import type { CatalogStore } from '@tributary/catalog';
import { TributaryError } from '@tributary/common';
import type { CatalogCommand } from '@tributary/sql';

/** What a command runs with: the catalog (read-write, on the coordinator's main thread) and its user. */
export interface CommandContext {
  readonly catalog: CatalogStore;
  /** undefined: no user (auth off), recorded as the anonymous user. */
  readonly user: string | undefined;
  /**
   * The tag the view a CREATE OR REPLACE VIEW replaces must still have (a REST PUT read it
   * before): checked in the write's transaction, TAG_MISMATCH (409) if it changed meanwhile.
   */
  readonly expectedTag?: string;
}

/** Applies one kind of command; returns the summary its one-row answer carries. */
export type CommandHandler<C extends CatalogCommand> = (command: C, context: CommandContext) => string;

/** One handler per command kind: a kind without one does not compile. */
export type CommandHandlers = {
  readonly [K in CatalogCommand['kind']]: CommandHandler<Extract<CatalogCommand, { kind: K }>>;
};

const name = (path: readonly string[]) => `[${path.join('.')}]`;

/** `if exists` / `if not exists`: the failure with this code is an answer, not an error. */
function unless<T>(code: string, tolerate: boolean, write: () => T, otherwise: () => string): T | string {
  try {
    return write();
  } catch (error) {
    if (tolerate && error instanceof TributaryError && error.code === code) return otherwise();
    throw error;
  }
}

/** The catalog commands of the semantic layer, with Dremio's summaries. */
/** The namespace's commands; GRANT and REVOKE are the access layer's (CommandRunner). */
export const CATALOG_COMMANDS: Omit<
  CommandHandlers,
  | 'change_privileges'
  | 'create_reflection'
  | 'drop_reflection'
  | 'refresh_reflections'
  | 'refresh_method'
  | 'enable_reflections'
> = {
  create_view: (command, { catalog, user, expectedTag }) => {
    const existed = catalog.namespace.getView(command.path) !== undefined;
    const view = catalog.namespace.putView(
      {
        path: command.path,
        sql: command.sql,
        context: command.context,
        owner: user ?? null,
        columns: command.columns,
      },
      { replace: command.replace, ...(expectedTag === undefined ? {} : { expectedTag }) },
    );
    return `View ${name(view.path)} has been ${existed ? 'replaced' : 'created'}`;
  },
  drop_view: (command, { catalog }) => {
    const dropped = unless(
      'VIEW_NOT_FOUND',
      command.ifExists,
      () => catalog.namespace.deleteView(command.path),
      () => `View ${name(command.path)} does not exist`,
    );
    return typeof dropped === 'string' ? dropped : `View ${name(dropped.path)} deleted`;
  },
  create_space: (command, { catalog }) => {
    const space = unless(
      'SPACE_EXISTS',
      command.ifNotExists,
      () => catalog.namespace.createSpace(command.name),
      () => `Space [${command.name}] already exists`,
    );
    return typeof space === 'string' ? space : `Space [${space.name}] has been created`;
  },
  drop_space: (command, { catalog }) => {
    const space = unless(
      'SPACE_NOT_FOUND',
      command.ifExists,
      () => catalog.namespace.deleteSpace(command.name, command.force),
      () => `Space [${command.name}] does not exist`,
    );
    return typeof space === 'string' ? space : `Space [${space.name}] deleted`;
  },
  create_folder: (command, { catalog }) => {
    const folder = unless(
      'FOLDER_EXISTS',
      command.ifNotExists,
      () => catalog.namespace.createFolder(command.path),
      () => `Folder ${name(command.path)} already exists`,
    );
    return typeof folder === 'string' ? folder : `Folder ${name(folder.path)} has been created`;
  },
  drop_folder: (command, { catalog }) => {
    const folder = unless(
      'FOLDER_NOT_FOUND',
      command.ifExists,
      () => catalog.namespace.deleteFolder(command.path, command.force),
      () => `Folder ${name(command.path)} does not exist`,
    );
    return typeof folder === 'string' ? folder : `Folder ${name(folder.path)} deleted`;
  },
};
