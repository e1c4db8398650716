import { ExecutionError, RequestError, asTributaryError } from '@tributary/common';
import type { QueryService } from '../query/query-service.ts';
import { FrontendReader } from './frontend-reader.ts';
import { parameterLiteral } from './parameter-literal.ts';
import { pgErrorOf } from './pg-error.ts';
import { pgMessages } from './pg-messages.ts';
import { PG_OID } from './pg-types.ts';
import { QueryPortal } from './query-portal.ts';
import { SessionSettings, type SessionAnswer } from './session-settings.ts';
import { parameterHints } from './parameter-hints.ts';
import { pgTypeOf } from './pg-types.ts';
import { describedColumns } from './query-portal.ts';
import {
  inlineWithOffsets,
  parameterCount,
  splitStatements,
  type InlinedStatement,
} from './statement-text.ts';

interface PreparedStatement {
  readonly sql: string;
  readonly parameterTypes: readonly number[];
}

/** A portal (with the way back from its text to the client's, for error positions), or a session statement (SET, BEGIN …) bound like one. */
type BoundPortal =
  | { kind: 'query'; portal: QueryPortal; text: InlinedStatement }
  | { kind: 'session'; sql: string; formats: readonly number[] };

/**
 * One client connection after authentication: the simple query protocol (several statements
 * in one message) and the extended one (Parse/Bind/Describe/Execute/Sync, named statements
 * and portals with row limits). Every query runs through QueryService as a PGWIRE job of the
 * connection's user; rows stream as the socket takes them.
 */
export class PgSession {
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly portals = new Map<string, BoundPortal>();
  /** After an error in the extended protocol, messages are skipped until Sync. */
  private failed = false;
  private running: QueryPortal | undefined;
  private cancelled = false;
  /** The text the current extended-protocol message's error positions count in, and their way back to the client's. */
  private errorText: InlinedStatement | undefined;
  readonly settings: SessionSettings;

  constructor(
    private readonly queries: QueryService,
    private readonly user: string | undefined,
    startup: Record<string, string>,
  ) {
    this.settings = new SessionSettings(startup);
  }

  /** Cancels the running query (a CancelRequest). */
  cancel(): void {
    const job = this.running?.job;
    if (job) this.queries.cancel(job);
    else this.cancelled = true;
  }

  /** The connection closed: every open portal's job ends. */
  close(): void {
    for (const bound of this.portals.values()) if (bound.kind === 'query') bound.portal.close();
    this.portals.clear();
    this.running?.close();
  }

  /** The responses to one frontend message, as they are ready. */
  async *handle(message: Buffer): AsyncGenerator<Buffer> {
    const type = String.fromCharCode(message[0]);
    const reader = new FrontendReader(message);
    if (type === 'Q') {
      yield* this.simpleQuery(reader.cstring());
      return;
    }
    if (type === 'S') {
      this.failed = false;
      this.closePortal('');
      yield pgMessages.readyForQuery('I');
      return;
    }
    if (type === 'H') return;
    if (this.failed) return;
    this.errorText = undefined;
    try {
      switch (type) {
        case 'P':
          yield this.parse(reader);
          return;
        case 'B':
          yield this.bind(reader);
          return;
        case 'D':
          yield* this.describe(reader);
          return;
        case 'E':
          yield* this.execute(reader);
          return;
        case 'C': {
          const kind = reader.byte();
          const name = reader.cstring();
          if (kind === 'S') this.statements.delete(name);
          else this.closePortal(name);
          yield pgMessages.closeComplete();
          return;
        }
        default:
          throw new RequestError('UNSUPPORTED_FEATURE', `message type "${type}" is not supported`);
      }
    } catch (error) {
      this.failed = true;
      // Set by the message's handler (the narrowing above does not see it).
      const text = this.errorText as InlinedStatement | undefined;
      const fields = pgErrorOf(error, text?.sql);
      if (fields.position !== undefined && text) fields.position = text.clientPosition(fields.position);
      yield pgMessages.error(fields);
    }
  }

  private closePortal(name: string): void {
    const bound = this.portals.get(name);
    if (bound?.kind === 'query') bound.portal.close();
    this.portals.delete(name);
  }

  private async *simpleQuery(text: string): AsyncGenerator<Buffer> {
    const statements = splitStatements(text);
    if (statements.length === 0) yield pgMessages.emptyQuery();
    this.cancelled = false;
    for (const statement of statements) {
      try {
        const session = this.settings.answer(statement.sql);
        if (session) {
          yield* this.sessionAnswer(session, [], true);
          continue;
        }
        const portal = new QueryPortal(
          statement.sql,
          [],
          this.queries,
          this.user,
          this.settings.queryRequest(),
        );
        yield* this.runToEnd(portal, true);
      } catch (error) {
        const fields = pgErrorOf(error, statement.sql);
        if (fields.position !== undefined) fields.position += statement.offset;
        yield pgMessages.error(fields);
        break;
      }
    }
    yield pgMessages.readyForQuery('I');
  }

  private async *sessionAnswer(
    answer: SessionAnswer,
    formats: readonly number[],
    describe: boolean,
  ): AsyncGenerator<Buffer> {
    if (answer.show) {
      if (describe)
        yield pgMessages.rowDescription([
          {
            name: answer.show.column,
            type: { oid: PG_OID.text, size: -1, modifier: -1, name: 'text' },
            format: formats[0] ?? 0,
          },
        ]);
      yield pgMessages.dataRow([Buffer.from(answer.show.value, 'utf8')]);
      yield pgMessages.commandComplete('SHOW');
    } else yield pgMessages.commandComplete(answer.tag);
    // DISCARD ALL: the session as it was at start-up (settings, statements, portals).
    if (answer.tag === 'DISCARD ALL') {
      for (const name of [...this.portals.keys()]) this.closePortal(name);
      this.statements.clear();
    }
    if (answer.changed) yield pgMessages.parameterStatus(answer.changed.name, answer.changed.value);
  }

  /** A whole query's rows (the simple protocol): RowDescription, DataRows, CommandComplete. */
  private async *runToEnd(portal: QueryPortal, describe: boolean): AsyncGenerator<Buffer> {
    this.running = portal;
    try {
      if (this.cancelled) throw new ExecutionError('QUERY_CANCELLED', 'the query was cancelled');
      if (describe) yield await portal.describe();
      for await (const chunk of portal.rows(0)) yield chunk.bytes;
      yield pgMessages.commandComplete(`SELECT ${portal.rowCount}`);
    } finally {
      portal.close();
      this.running = undefined;
    }
  }

  private parse(reader: FrontendReader): Buffer {
    const name = reader.cstring();
    const sql = reader.cstring();
    const count = reader.int16();
    const parameterTypes: number[] = [];
    for (let i = 0; i < count; i++) parameterTypes.push(reader.int32());
    if (splitStatements(sql).length > 1)
      throw new RequestError('SQL_PARSE_ERROR', 'cannot insert multiple commands into a prepared statement');
    this.statements.set(name, { sql, parameterTypes });
    return pgMessages.parseComplete();
  }

  private bind(reader: FrontendReader): Buffer {
    const portalName = reader.cstring();
    const statementName = reader.cstring();
    const statement = this.statements.get(statementName);
    if (!statement)
      throw new RequestError('STATEMENT_NOT_FOUND', `prepared statement "${statementName}" does not exist`);
    const formatCount = reader.int16();
    const formats: number[] = [];
    for (let i = 0; i < formatCount; i++) formats.push(reader.int16());
    const valueCount = reader.int16();
    const literals: string[] = [];
    for (let i = 0; i < valueCount; i++) {
      const value = reader.value();
      const format = formats.length === 1 ? formats[0] : (formats[i] ?? 0);
      literals.push(parameterLiteral(value, format, statement.parameterTypes[i] ?? 0));
    }
    const resultCount = reader.int16();
    const resultFormats: number[] = [];
    for (let i = 0; i < resultCount; i++) resultFormats.push(reader.int16());
    const text = inlineWithOffsets(statement.sql, literals);
    const sql = text.sql;
    this.closePortal(portalName);
    this.portals.set(
      portalName,
      this.settings.answer(sql) !== undefined
        ? { kind: 'session', sql, formats: resultFormats }
        : {
            kind: 'query',
            portal: new QueryPortal(
              sql,
              resultFormats,
              this.queries,
              this.user,
              this.settings.queryRequest(),
            ),
            text,
          },
    );
    return pgMessages.bindComplete();
  }

  private async *describe(reader: FrontendReader): AsyncGenerator<Buffer> {
    const kind = reader.byte();
    const name = reader.cstring();
    if (kind === 'S') {
      const statement = this.statements.get(name);
      if (!statement)
        throw new RequestError('STATEMENT_NOT_FOUND', `prepared statement "${name}" does not exist`);
      yield* this.describeStatement(statement);
      return;
    }
    const bound = this.portals.get(name);
    if (!bound) throw new RequestError('PORTAL_NOT_FOUND', `portal "${name}" does not exist`);
    if (bound.kind === 'session') {
      const answer = new SessionSettings({}).answer(bound.sql);
      yield answer?.show
        ? pgMessages.rowDescription([
            {
              name: answer.show.column,
              type: { oid: PG_OID.text, size: -1, modifier: -1, name: 'text' },
              format: bound.formats[0] ?? 0,
            },
          ])
        : pgMessages.noData();
      return;
    }
    this.errorText = bound.text;
    yield await bound.portal.describe();
  }

  /**
   * A statement before its parameters are known (drivers describe before they bind; pgJDBC
   * does): its parameters' types, and its columns from its plan with NULL for each parameter.
   * Nothing runs and no job is recorded.
   */
  private async *describeStatement(statement: PreparedStatement): AsyncGenerator<Buffer> {
    const count = parameterCount(statement.sql);
    if (this.settings.answer(statement.sql) !== undefined) {
      yield pgMessages.parameterDescription(
        Array.from({ length: count }, (_, i) => statement.parameterTypes[i] || PG_OID.text),
      );
      yield /^\s*show\b/i.test(statement.sql)
        ? pgMessages.rowDescription([
            { name: 'setting', type: { oid: PG_OID.text, size: -1, modifier: -1, name: 'text' }, format: 0 },
          ])
        : pgMessages.noData();
      return;
    }
    // NULL stands for each value, but where only a number is allowed (LIMIT $1).
    const hints = parameterHints(statement.sql);
    const text = inlineWithOffsets(
      statement.sql,
      Array.from({ length: count }, (_, i) => {
        const hint = hints.get(i + 1);
        return hint && 'oid' in hint && hint.oid === PG_OID.int8 ? '0' : 'NULL';
      }),
    );
    this.errorText = text;
    const described = await this.queries.describe(this.request(text.sql), new AbortController().signal);
    yield pgMessages.parameterDescription(await this.parameterTypes(statement, count, described.reads));
    yield pgMessages.rowDescription(describedColumns(text.sql, described.fields, () => 0));
  }

  private request(sql: string) {
    return { sql, queryType: 'PGWIRE' as const, ...(this.user === undefined ? {} : { user: this.user }) };
  }

  /**
   * Each parameter's type OID: the one the client declared, else the type of what the text
   * compares it with (a column of a table the statement names, or LIMIT's bigint), else text.
   */
  private async parameterTypes(
    statement: PreparedStatement,
    count: number,
    reads: readonly (readonly string[])[],
  ): Promise<number[]> {
    const types = Array.from({ length: count }, (_, i) => statement.parameterTypes[i] ?? 0);
    const hints = parameterHints(statement.sql);
    // Each column as the statement wrote it (quoted or not), so that it resolves as it did there.
    const columns = new Map<string, number>();
    const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const written = (hint: { column: string; quoted: boolean }) =>
      hint.quoted || !/^[a-z_][a-z0-9_$]*$/i.test(hint.column) ? quote(hint.column) : hint.column;
    for (const hint of hints.values()) if ('column' in hint) columns.set(written(hint), 0);
    if (columns.size > 0 && reads.length > 0) {
      const from = reads.map((path) => path.map(quote).join('.')).join(' CROSS JOIN ');
      // All at once; one at a time when one is ambiguous or not found (that one stays unknown).
      const names = [...columns.keys()];
      const typesOf = async (list: readonly string[]) => {
        const sql = `SELECT ${list.join(', ')} FROM ${from} LIMIT 0`;
        const { fields } = await this.queries.describe(this.request(sql), new AbortController().signal);
        fields.forEach((f, i) => columns.set(list[i], pgTypeOf(f.type).oid));
      };
      await typesOf(names).catch(async () => {
        for (const name of names) await typesOf([name]).catch(() => undefined);
      });
    }
    return types.map((declared, i) => {
      if (declared !== 0) return declared;
      const hint = hints.get(i + 1);
      const oid = hint === undefined ? 0 : 'oid' in hint ? hint.oid : (columns.get(written(hint)) ?? 0);
      return oid || PG_OID.text;
    });
  }

  private async *execute(reader: FrontendReader): AsyncGenerator<Buffer> {
    const name = reader.cstring();
    const maxRows = reader.int32();
    const bound = this.portals.get(name);
    if (!bound) throw new RequestError('PORTAL_NOT_FOUND', `portal "${name}" does not exist`);
    if (bound.kind === 'session') {
      const answer = this.settings.answer(bound.sql);
      if (answer) yield* this.sessionAnswer(answer, bound.formats, false);
      return;
    }
    const portal = bound.portal;
    this.errorText = bound.text;
    this.running = portal;
    try {
      for await (const chunk of portal.rows(maxRows)) yield chunk.bytes;
      yield portal.done
        ? pgMessages.commandComplete(`SELECT ${portal.rowCount}`)
        : pgMessages.portalSuspended();
    } catch (error) {
      // The job failed or was cancelled: its position counts in this statement's text.
      throw asTributaryError(error);
    } finally {
      this.running = undefined;
    }
  }
}
