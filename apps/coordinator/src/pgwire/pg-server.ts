import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { UserStore } from '@tributary/catalog';
import { ConfigError } from '@tributary/common';
import { PostgresConnection, type DuplexStream, type TlsOptions } from 'pg-gateway';
import type { AuditLog } from '../auth/audit-log.ts';
import type { QueryService } from '../query/query-service.ts';
import { CancelRegistry } from './cancel-registry.ts';
import { LoginThrottle } from './login-throttle.ts';
import { pgAuthFor, type PgAuthOptions } from './pg-authentication.ts';
import { pgMessages } from './pg-messages.ts';
import { PgSession } from './pg-session.ts';
import { REPORTED_SETTINGS, displayName } from './session-settings.ts';

export interface PgServerOptions {
  readonly host: string;
  /** 0: a free port (tests). */
  readonly port: number;
  readonly queries: QueryService;
  readonly users: UserStore;
  /** Off: every connection is trusted (allowed on loopback only, as for HTTP). */
  readonly auth: boolean;
  /** PEM files; both set: clients must use TLS. */
  readonly tlsCertFile: string;
  readonly tlsKeyFile: string;
  readonly log: (message: string) => void;
  /** Where failed logins are recorded, as HTTP's are (absent in unit tests). */
  readonly audit?: AuditLog;
  /** Failed logins an address may have a minute before its connections are refused; 0: no limit. */
  readonly failedLoginsPerMinute?: number;
}

/** CancelRequest's code, where a startup message has its protocol version (Postgres' 1234.5678). */
const CANCEL_REQUEST = 80877102;

/** A StartupMessage (protocol 3.0): what opens a session, after any SSLRequest. */
function isStartupMessage(message: Uint8Array): boolean {
  if (message.byteLength < 8) return false;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return view.getInt32(0) === message.byteLength && view.getInt16(4) === 3 && view.getInt16(6) === 0;
}

function isCancelRequest(message: Uint8Array): boolean {
  if (message.byteLength !== 16) return false;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  return view.getInt32(4) === CANCEL_REQUEST;
}

/**
 * The responses to a message, marked as handled even when there are none (Flush, or anything
 * skipped after an error until Sync): pg-gateway treats a message whose hook yielded nothing
 * and returned nothing as its own to answer.
 */
async function* handled(responses: AsyncGenerator<Buffer>): AsyncGenerator<Uint8Array, Uint8Array> {
  yield* responses;
  return new Uint8Array(0);
}

/**
 * A connection's byte streams for pg-gateway: the socket's (or, after an SSLRequest, the TLS
 * socket's) web streams. Tributary writes its own start-up messages through `inject`, and a
 * wrong SCRAM proof, which pg-gateway answers 28000, is answered 28P01 as Postgres does.
 */
class ConnectionStreams {
  private writer!: WritableStreamDefaultWriter<Uint8Array>;
  authFailedFor: string | undefined;

  wrap(socket: Duplex): DuplexStream<Uint8Array> {
    const web = Duplex.toWeb(socket) as unknown as DuplexStream<Uint8Array>;
    // Each wrapping writes to its own socket: after a TLS upgrade the plain one still carries
    // the TLS socket's bytes, while `inject` writes to the newest.
    const writer = web.writable.getWriter();
    this.writer = writer;
    const writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        const rewritten =
          this.authFailedFor !== undefined && chunk[0] === 0x45 /* E */
            ? pgMessages.error({
                severity: 'FATAL',
                code: '28P01',
                message: `password authentication failed for user "${this.authFailedFor}"`,
              })
            : chunk;
        return writer.write(rewritten);
      },
      close: () => writer.close(),
      abort: (reason) => writer.abort(reason),
    });
    return { readable: web.readable, writable };
  }

  inject(bytes: Uint8Array): Promise<void> {
    return this.writer.write(bytes);
  }
}

/**
 * Tributary's PostgreSQL wire protocol (v3) listener on pgPort, built on pg-gateway for
 * framing, the startup and auth exchanges (cleartext, SCRAM-SHA-256) and TLS; each
 * authenticated connection becomes a PgSession.
 */
export class PgServer {
  private readonly server: Server;
  private readonly cancels = new CancelRegistry();
  private readonly sockets = new Set<Socket>();
  private readonly tls: TlsOptions | undefined;
  private readonly throttle: LoginThrottle;

  constructor(private readonly options: PgServerOptions) {
    this.throttle = new LoginThrottle(options.failedLoginsPerMinute ?? 0);
    const { tlsCertFile, tlsKeyFile } = options;
    if ((tlsCertFile === '') !== (tlsKeyFile === ''))
      throw new ConfigError('pgTlsCertFile', 'pgTlsCertFile and pgTlsKeyFile must be set together');
    if (tlsCertFile !== '') {
      const read = (file: string, key: string) => {
        try {
          const bytes = readFileSync(file);
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        } catch (error) {
          throw new ConfigError(key, `cannot read ${file}: ${(error as Error).message}`, { cause: error });
        }
      };
      this.tls = { cert: read(tlsCertFile, 'pgTlsCertFile'), key: read(tlsKeyFile, 'pgTlsKeyFile') };
    }
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens; a port in use fails start-up with a ConfigError naming it. Returns the port. */
  async listen(): Promise<number> {
    const { host, port } = this.options;
    this.server.listen(port, host);
    try {
      await once(this.server, 'listening');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason =
        code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${code ?? String(error)})`;
      throw new ConfigError(
        'pgPort',
        `${host}:${port} (PostgreSQL wire protocol, TRIBUTARY_PG_PORT) ${reason}`,
        {
          cause: error,
        },
      );
    }
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const streams = new ConnectionStreams();
    let session: PgSession | undefined;
    let release: (() => void) | undefined;
    socket.once('close', () => {
      this.sockets.delete(socket);
      session?.close();
      release?.();
    });
    const auth: PgAuthOptions = { method: 'trust' };
    const { users, queries, log, audit } = this.options;
    const address = socket.remoteAddress ?? '?';
    let refused = false;
    const adapters = {
      upgradeTls: async (duplex: DuplexStream<Uint8Array>, options: TlsOptions | unknown) => {
        const { key, cert } = options as TlsOptions;
        const secure = new TLSSocket(Duplex.fromWeb(duplex as never), {
          isServer: true,
          key: Buffer.from(key),
          cert: Buffer.from(cert),
        });
        await once(secure, 'secure');
        return { duplex: streams.wrap(secure), tlsInfo: {} };
      },
    };
    const connection = new PostgresConnection(
      streams.wrap(socket),
      {
        serverVersion: '15.0',
        auth: auth as never,
        ...(this.tls ? { tls: this.tls } : {}),
        onStartup: async (state) => {
          const user = state.clientParams?.user ?? '';
          if (this.options.auth)
            Object.assign(
              auth,
              await pgAuthFor(users, user, () => {
                streams.authFailedFor = user;
                this.throttle.failed(address);
                log(`pgwire: failed login of "${user}" from ${address}`);
                // As HTTP's /login records it: an unknown name is not recorded (it may be a password).
                const known = users.getUser(user) !== undefined;
                audit?.record({
                  action: 'login',
                  outcome: 'failed',
                  ...(known
                    ? { actor: user, target: user, details: { protocol: 'pgwire', address } }
                    : { details: { reason: 'unknown user', protocol: 'pgwire', address } }),
                });
              }),
            );
        },
        onAuthenticated: async (state) => {
          const params = state.clientParams ?? { user: '' };
          const record = this.options.auth ? users.getUser(params.user) : undefined;
          session = new PgSession(queries, record?.name, params);
          const current = session;
          const key = this.cancels.register(() => current.cancel());
          release = key.release;
          const startup: Buffer[] = [];
          for (const name of REPORTED_SETTINGS)
            if (name !== 'server_version')
              startup.push(pgMessages.parameterStatus(displayName(name), current.settings.get(name) ?? ''));
          startup.push(pgMessages.backendKeyData(key.pid, key.secret));
          await streams.inject(Buffer.concat(startup));
        },
        onMessage: (message, state) => {
          if (state.step === 'AwaitingInitialMessage' && isCancelRequest(message)) {
            const view = Buffer.from(message.buffer, message.byteOffset, message.byteLength);
            this.cancels.cancel(view.readInt32BE(8), view.readInt32BE(12));
            setImmediate(() => socket.end());
            return [new Uint8Array(0)];
          }
          // Whatever a refused client still sends before the socket closes (Terminate) is dropped.
          if (refused) return [new Uint8Array(0)];
          if (state.step === 'AwaitingInitialMessage' && this.options.auth && isStartupMessage(message)) {
            const seconds = this.throttle.retryAfter(address);
            if (seconds > 0) {
              refused = true;
              // The client closes on the FATAL; one that does not is closed a little later
              // (ending the socket now would fail pg-gateway's write of what it still sends).
              setTimeout(() => socket.destroy(), 2_000).unref();
              return [
                pgMessages.error({
                  severity: 'FATAL',
                  code: '53400',
                  message: `too many failed logins from ${address}; retry in ${seconds} s`,
                  detail: 'Tributary error code RATE_LIMITED',
                }),
              ];
            }
          }
          if (state.step !== 'ReadyForQuery' || !session || message[0] === 0x58 /* Terminate */)
            return undefined;
          // A copy: pg-gateway reuses its buffer for the next messages while this one streams.
          return handled(session.handle(Buffer.from(message)));
        },
      },
      adapters as never,
    );
    void connection;
  }
}
