import { ParseError, closestNames, type SqlPosition } from '@tributary/common';
import { isSymbol, isWord, positionAt, tokenizeSql, type SqlToken } from './sql-lexer.ts';

export type GrantPrivilege = 'SELECT' | 'ALTER' | 'MANAGE';
export type GrantObjectKind = 'source' | 'space' | 'folder' | 'view';

/** `GRANT … ON … TO USER u` or `REVOKE … ON … FROM USER u`, parsed. */
export interface GrantStatement {
  readonly kind: 'grant' | 'revoke';
  readonly privileges: readonly GrantPrivilege[];
  readonly object: { readonly kind: GrantObjectKind; readonly path: readonly string[] };
  readonly grantee: { readonly kind: 'user'; readonly name: string };
}

export const GRANT_PRIVILEGES: readonly GrantPrivilege[] = ['SELECT', 'ALTER', 'MANAGE'];
const OBJECT_KINDS: readonly GrantObjectKind[] = ['source', 'space', 'folder', 'view'];

/** A cursor over the tokens of a GRANT or REVOKE, failing with the position of what it did not expect. */
class GrantSyntax {
  private at = 0;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly SqlToken[],
  ) {}

  private position(): SqlPosition {
    const token = this.tokens[this.at];
    return token ? { line: token.line, column: token.column } : positionAt(this.sql, this.sql.length);
  }

  fail(message: string, suggestions: string[] = []): never {
    const token = this.tokens[this.at];
    const found = token ? `"${token.text}"` : 'the end of the statement';
    throw new ParseError(`${message}, found ${found}`, this.position(), { suggestions });
  }

  peek(): SqlToken | undefined {
    return this.tokens[this.at];
  }

  word(...texts: string[]): boolean {
    if (!isWord(this.tokens[this.at], ...texts)) return false;
    this.at++;
    return true;
  }

  expectWord(text: string): void {
    if (!this.word(text)) this.fail(`expected ${text.toUpperCase()}`);
  }

  symbol(text: string): boolean {
    if (!isSymbol(this.tokens[this.at], text)) return false;
    this.at++;
    return true;
  }

  /** A name: a word, or a "quoted" identifier (any text). */
  name(what: string): string {
    const token = this.tokens[this.at];
    if (!token || (token.kind !== 'word' && token.kind !== 'quoted') || token.text === '')
      this.fail(`expected ${what}`);
    this.at++;
    return token.text;
  }

  path(what: string): string[] {
    const parts = [this.name(what)];
    while (this.symbol('.')) parts.push(this.name(`a name after "."`));
    return parts;
  }

  end(): void {
    while (this.symbol(';'));
    if (this.at < this.tokens.length) this.fail('expected the end of the statement');
  }
}

function privileges(syntax: GrantSyntax): GrantPrivilege[] {
  if (syntax.word('all')) {
    syntax.word('privileges');
    return [...GRANT_PRIVILEGES];
  }
  const out: GrantPrivilege[] = [];
  do {
    const token = syntax.peek();
    const text = token?.kind === 'word' ? token.text.toUpperCase() : '';
    if (!GRANT_PRIVILEGES.includes(text as GrantPrivilege))
      syntax.fail(
        `expected a privilege (${GRANT_PRIVILEGES.join(', ')} or ALL)`,
        closestNames(token?.text.toUpperCase() ?? '', GRANT_PRIVILEGES, 1),
      );
    syntax.word(text.toLowerCase());
    // Dremio spells it MANAGE GRANTS.
    if (text === 'MANAGE') syntax.word('grants');
    if (!out.includes(text as GrantPrivilege)) out.push(text as GrantPrivilege);
  } while (syntax.symbol(','));
  return out;
}

/**
 * SQL text to a GrantStatement, or undefined when the text is not a GRANT or REVOKE (any
 * other statement goes to the SQL parser). A malformed GRANT or REVOKE is a ParseError with
 * its line and column. Grammar:
 *
 *   GRANT { ALL [PRIVILEGES] | priv [, priv]… } ON { SOURCE | SPACE | FOLDER | VIEW } path TO [USER] name
 *   REVOKE … ON … FROM [USER] name         priv: SELECT | ALTER | MANAGE [GRANTS]
 */
export function parseGrant(sql: string): GrantStatement | undefined {
  // Only the first word is looked at for any other statement: no tokenizing of big queries.
  const head = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*(grant|revoke)\b/i.exec(sql.slice(0, 4096));
  if (!head) return undefined;
  const syntax = new GrantSyntax(sql, tokenizeSql(sql));
  const kind = syntax.word('grant') ? 'grant' : 'revoke';
  if (kind === 'revoke') syntax.expectWord('revoke');
  const granted = privileges(syntax);
  syntax.expectWord('on');
  const objectToken = syntax.peek();
  const objectKind = objectToken?.kind === 'word' ? objectToken.text.toLowerCase() : '';
  if (!OBJECT_KINDS.includes(objectKind as GrantObjectKind))
    syntax.fail(
      `expected the kind of object (${OBJECT_KINDS.map((k) => k.toUpperCase()).join(', ')})`,
      closestNames(objectKind, OBJECT_KINDS, 1).map((k) => k.toUpperCase()),
    );
  syntax.word(objectKind);
  const path = syntax.path(`the ${objectKind}'s name`);
  syntax.expectWord(kind === 'grant' ? 'to' : 'from');
  if (isWord(syntax.peek(), 'role'))
    syntax.fail('privileges are granted to users (the roles admin and user are fixed); expected USER');
  syntax.word('user');
  const grantee = syntax.name('a user name');
  syntax.end();
  return {
    kind,
    privileges: granted,
    object: { kind: objectKind as GrantObjectKind, path },
    grantee: { kind: 'user', name: grantee },
  };
}
