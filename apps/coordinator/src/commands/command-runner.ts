import type { RecordBatch } from 'apache-arrow';
import type { CatalogStore } from '@tributary/catalog';
import { BOOLEAN, VARCHAR, makeRecordBatch } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { RequestError } from '@tributary/common';
import type { CatalogCommand, ChangePrivilegesCommand } from '@tributary/sql';
import { CATALOG_COMMANDS, type CommandHandler, type CommandHandlers } from './catalog-commands.ts';
import type { ReflectionCommandHandlers } from '../reflections/reflection-commands.ts';

/** The one row a command answers, as Dremio answers DDL. */
export const COMMAND_RESULT_FIELDS: readonly Field[] = [
  { name: 'ok', type: BOOLEAN, nullable: false },
  { name: 'summary', type: VARCHAR, nullable: false },
];

/** Without an access layer there is nobody to grant to. */
const NO_PRIVILEGES: CommandHandler<ChangePrivilegesCommand> = () => {
  throw new RequestError('GRANTS_UNAVAILABLE', 'GRANT and REVOKE need the access layer of a coordinator');
};

/** Without a reflection service (tests of other commands) there is nothing to build reflections. */
const NO_REFLECTIONS: CommandHandler<CatalogCommand> = () => {
  throw new RequestError(
    'REFLECTIONS_UNAVAILABLE',
    'reflections need the reflection service of a coordinator',
  );
};

const NO_REFLECTION_COMMANDS: ReflectionCommandHandlers = {
  create_reflection: NO_REFLECTIONS,
  drop_reflection: NO_REFLECTIONS,
  refresh_reflections: NO_REFLECTIONS,
  refresh_method: NO_REFLECTIONS,
  enable_reflections: NO_REFLECTIONS,
};

/**
 * Runs catalog commands on the coordinator's main thread: each is a small synchronous
 * catalog write (a transaction), planned and checked beforehand on a planner thread. GRANT
 * and REVOKE are the access layer's (apply-grant.ts), handed in as `privileges`; the reflection
 * statements are the reflection service's (reflection-commands.ts).
 */
export class CommandRunner {
  private readonly handlers: CommandHandlers;

  constructor(
    private readonly catalog: CatalogStore,
    privileges: CommandHandler<ChangePrivilegesCommand> = NO_PRIVILEGES,
    reflections: ReflectionCommandHandlers = NO_REFLECTION_COMMANDS,
  ) {
    this.handlers = { ...CATALOG_COMMANDS, ...reflections, change_privileges: privileges };
  }

  /**
   * Applies the command; its summary, or a typed error (the catalog unchanged). `expectedTag`:
   * the tag the view it replaces must have (CommandContext).
   */
  run(command: CatalogCommand, user: string | undefined, expectedTag?: string): string {
    const handler = this.handlers[command.kind] as CommandHandler<CatalogCommand>;
    return handler(command, {
      catalog: this.catalog,
      user,
      ...(expectedTag === undefined ? {} : { expectedTag }),
    });
  }
}

/** `ok = true, summary` as one Arrow batch. */
export function commandResultBatch(summary: string): RecordBatch {
  const bytes = new TextEncoder().encode(summary);
  return makeRecordBatch(
    COMMAND_RESULT_FIELDS.map((f) => ({ name: f.name, type: f.type })),
    [
      { type: BOOLEAN, length: 1, values: new Uint8Array([1]) },
      { type: VARCHAR, length: 1, values: bytes, offsets: new Int32Array([0, bytes.length]) },
    ],
    1,
  );
}
