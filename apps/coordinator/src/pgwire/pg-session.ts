import { ExecutionError, RequestError, asTributaryError } from '@tributary/common';
import type { QueryService } from '../query/query-service.ts';
import { FrontendReader } from './frontend-reader.ts';
import { parameterLiteral } from './parameter-literal.ts';
import { pgErrorOf } from './pg-error.ts';
import { pgMessages } from './pg-messages.ts';
import { PG_OID } from './pg-types.ts';
import { QueryPortal } from './query-portal.ts';
import { SessionSettings, type SessionAnswer } from './session-settings.ts';
import { inlineParameters, parameterCount, splitStatements } from './statement-text.ts';

interface PreparedStatement {
  readonly sql: string;
  readonly parameterTypes: readonly number[];
}

/** A portal, or a session statement (SET, BEGIN …) bound like one. */
type BoundPortal =
  { kind: 'query'; portal: QueryPortal } | { kind: 'session'; sql: string; formats: readonly number[] };

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
  /** The text the current extended-protocol message's error positions count in (none once parameters were inlined). */
  private errorSql: string | undefined;
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
    this.errorSql = undefined;
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
      yield pgMessages.error(pgErrorOf(error, this.errorSql));
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
        const portal = new QueryPortal(statement.sql, [], this.queries, this.user, this.settings);
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
    const sql = inlineParameters(statement.sql, literals);
    this.closePortal(portalName);
    this.portals.set(
      portalName,
      this.settings.answer(sql) !== undefined
        ? { kind: 'session', sql, formats: resultFormats }
        : {
            kind: 'query',
            portal: new QueryPortal(sql, resultFormats, this.queries, this.user, this.settings),
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
      const count = parameterCount(statement.sql);
      const types = Array.from({ length: count }, (_, i) => statement.parameterTypes[i] || PG_OID.text);
      yield pgMessages.parameterDescription(types);
      yield* this.describeStatement(statement, count);
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
    this.errorSql = this.positionText(bound.portal);
    yield await bound.portal.describe();
  }

  /** A portal's text for error positions: the client's own, unless parameters were inlined into it. */
  private positionText(portal: QueryPortal): string | undefined {
    return [...this.statements.values()].some((s) => s.sql === portal.sql) ? portal.sql : undefined;
  }

  /**
   * A statement's columns before its parameters are known: it is planned with NULL for each
   * and its job ended at once (drivers describe a statement before binding it, pgJDBC does).
   */
  private async *describeStatement(statement: PreparedStatement, count: number): AsyncGenerator<Buffer> {
    if (this.settings.answer(statement.sql) !== undefined) {
      yield /^\s*show\b/i.test(statement.sql)
        ? pgMessages.rowDescription([
            { name: 'setting', type: { oid: PG_OID.text, size: -1, modifier: -1, name: 'text' }, format: 0 },
          ])
        : pgMessages.noData();
      return;
    }
    const sql = inlineParameters(
      statement.sql,
      Array.from({ length: count }, () => 'NULL'),
    );
    const portal = new QueryPortal(sql, [], this.queries, this.user, this.settings);
    try {
      yield await portal.describe();
    } finally {
      portal.close();
    }
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
    this.errorSql = this.positionText(portal);
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
