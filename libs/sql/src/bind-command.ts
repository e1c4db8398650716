import { BindError, type SqlPosition } from '@tributary/common';
import type { CatalogView } from '@tributary/plan';
import type { StatementState } from './bind-context.ts';
import { bindSelect } from './bind-select.ts';
import type { CatalogCommand } from './catalog-command.ts';
import { newBindContext } from './new-bind-context.ts';
import { atUserPositions, parseSql } from './parse-sql.ts';
import { parseGrant } from './parse-grant.ts';
import { bindReflectionCommand } from './bind-reflection.ts';
import type { SqlToken } from './sql-lexer.ts';
import { TokenCursor, type ReadName } from './token-cursor.ts';

/** What a command binder is given: the statement, and the catalog to check it against. */
export interface CommandInput {
  readonly sql: string;
  readonly tokens: readonly SqlToken[];
  readonly catalog: CatalogView;
  readonly defaultPath: readonly string[];
  readonly statement: StatementState;
}

/**
 * Reads one kind of catalog-changing statement: undefined when the text is not of its kind,
 * else the command (checked against the catalog as far as a read can), or a typed error.
 */
export type CommandBinder = (input: CommandInput) => CatalogCommand | undefined;

const samePath = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((p, i) => p.toLowerCase() === b[i].toLowerCase());

/** A one-part name is taken under the statement's context (`CREATE VIEW v` with context `space`). */
function pathOf(name: ReadName, defaultPath: readonly string[]): string[] {
  const texts = name.parts.map((p) => p.text);
  return texts.length === 1 && defaultPath.length > 0 ? [...defaultPath, ...texts] : texts;
}

/** A view or folder is created inside an existing space and folders (as in Dremio: not implicitly). */
function checkParent(
  catalog: CatalogView,
  path: readonly string[],
  what: string,
  position: SqlPosition,
): void {
  if (path.length < 2)
    throw new BindError(
      'INVALID_PATH',
      `a ${what} is named with its space first: space.name or space.folder.name`,
      { position },
    );
  const top = catalog.namespaceKind([path[0]]);
  if (top === 'source')
    throw new BindError(
      'INVALID_PATH',
      `"${path[0]}" is a source; a ${what} belongs in a space (CREATE SPACE, POST /api/v1/spaces)`,
      { position },
    );
  if (top !== 'space')
    throw new BindError(
      'SPACE_NOT_FOUND',
      `no space named "${path[0]}"; create it first (CREATE SPACE "${path[0]}", or POST /api/v1/spaces)`,
      { position, status: 404 },
    );
  for (let i = 2; i < path.length; i++) {
    if (catalog.namespaceKind(path.slice(0, i)) !== 'folder')
      throw new BindError(
        'FOLDER_NOT_FOUND',
        `no folder ${path.slice(0, i).join('.')}; create it first (CREATE FOLDER ${path.slice(0, i).join('.')})`,
        { position, status: 404 },
      );
  }
}

/** The SQL text with everything before `offset` blanked (newlines kept), so positions stay the user's. */
function blankBefore(sql: string, offset: number): string {
  return sql.slice(0, offset).replace(/[^\n]/g, ' ') + sql.slice(offset);
}

/** `CREATE [OR REPLACE] VIEW path AS select`: its SQL bound now, for its columns and to check it. */
const createView: CommandBinder = ({ sql, tokens, catalog, defaultPath, statement }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('create')) return undefined;
  const replace = c.words('or', 'replace');
  if (!c.words('view')) return undefined;
  const name = c.name('a view name');
  const path = pathOf(name, defaultPath);
  c.expect('as');
  if (c.done()) throw c.error('expected a SELECT');
  const start = c.offset();
  checkParent(catalog, path, 'view', name.position);
  if (!replace && catalog.findView(path))
    throw new BindError('VIEW_EXISTS', `view ${path.join('.')} already exists; use CREATE OR REPLACE VIEW`, {
      position: name.position,
      status: 409,
    });
  const text = blankBefore(sql, start);
  const parsed = parseSql(text);
  if (parsed.explain) throw c.error('expected a SELECT');
  const plan = atUserPositions(parsed, () =>
    bindSelect(newBindContext(parsed.sql, parsed.tokens, catalog, defaultPath, statement), parsed.ast, true),
  );
  if (statement.reads.some((r) => r.kind === 'view' && samePath(r.path, path)))
    throw new BindError('VIEW_CYCLE', `view ${path.join('.')} would read itself`, {
      position: name.position,
      details: { view: path.join('.') },
    });
  const body = sql
    .slice(start)
    .trim()
    .replace(/;+\s*$/, '')
    .trimEnd();
  return {
    kind: 'create_view',
    path,
    sql: body,
    context: defaultPath,
    replace,
    columns: plan.schema.map((f) => ({ name: f.name, type: f.type })),
  };
};

/** `DROP VIEW [IF EXISTS] path` */
const dropView: CommandBinder = ({ sql, tokens, defaultPath }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('drop', 'view')) return undefined;
  const ifExists = c.words('if', 'exists');
  const name = c.name('a view name');
  c.expectEnd();
  return { kind: 'drop_view', path: pathOf(name, defaultPath), ifExists };
};

/** `CREATE SPACE [IF NOT EXISTS] name` */
const createSpace: CommandBinder = ({ sql, tokens }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('create', 'space')) return undefined;
  const ifNotExists = c.words('if', 'not', 'exists');
  const name = c.name('a space name');
  c.expectEnd();
  if (name.parts.length !== 1)
    throw new BindError(
      'INVALID_PATH',
      'a space is named by one name (folders: CREATE FOLDER space.folder)',
      {
        position: name.position,
      },
    );
  return { kind: 'create_space', name: name.parts[0].text, ifNotExists };
};

/** `DROP SPACE [IF EXISTS] name [CASCADE]`: without CASCADE, only an empty space. */
const dropSpace: CommandBinder = ({ sql, tokens }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('drop', 'space')) return undefined;
  const ifExists = c.words('if', 'exists');
  const name = c.name('a space name');
  const force = c.words('cascade');
  c.expectEnd();
  return { kind: 'drop_space', name: name.parts.map((p) => p.text).join('.'), ifExists, force };
};

/** `CREATE FOLDER [IF NOT EXISTS] space.folder[.sub]` */
const createFolder: CommandBinder = ({ sql, tokens, catalog }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('create', 'folder')) return undefined;
  const ifNotExists = c.words('if', 'not', 'exists');
  const name = c.name('a folder path');
  c.expectEnd();
  const path = name.parts.map((p) => p.text);
  checkParent(catalog, path, 'folder', name.position);
  return { kind: 'create_folder', path, ifNotExists };
};

/** `DROP FOLDER [IF EXISTS] space.folder [CASCADE]`: without CASCADE, only an empty folder. */
const dropFolder: CommandBinder = ({ sql, tokens }) => {
  const c = new TokenCursor(sql, tokens);
  if (!c.words('drop', 'folder')) return undefined;
  const ifExists = c.words('if', 'exists');
  const name = c.name('a folder path');
  const force = c.words('cascade');
  c.expectEnd();
  return { kind: 'drop_folder', path: name.parts.map((p) => p.text), ifExists, force };
};

/** Every kind of catalog-changing statement, tried in order; the first that reads the text wins. */
/** GRANT and REVOKE, which parseGrant tells by their first word alone. */
const changePrivileges: CommandBinder = ({ sql }) => {
  const statement = parseGrant(sql);
  return statement && { kind: 'change_privileges', statement };
};

export const COMMAND_BINDERS: readonly CommandBinder[] = [
  changePrivileges,
  createView,
  dropView,
  createSpace,
  dropSpace,
  createFolder,
  dropFolder,
  bindReflectionCommand,
];

/** The catalog command the statement is, or undefined for a query. */
export function bindCommand(input: CommandInput): CatalogCommand | undefined {
  for (const binder of COMMAND_BINDERS) {
    const command = binder(input);
    if (command) return command;
  }
  return undefined;
}
