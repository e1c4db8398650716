import { once } from 'node:events';
import { createServer } from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tributary/common';
import type { UserStore } from '@tributary/catalog';
import type { AuditEvent, AuditLog } from '../auth/audit-log.ts';
import type { QueryService } from '../query/query-service.ts';
import { PgServer } from './pg-server.ts';

const options = (port: number) => ({
  host: '127.0.0.1',
  port,
  queries: {} as QueryService,
  users: {} as UserStore,
  auth: false,
  tlsCertFile: '',
  tlsKeyFile: '',
  log: () => undefined,
});

describe('PgServer', () => {
  it('listens on a free port when asked for port 0', async () => {
    const server = new PgServer(options(0));
    const port = await server.listen();
    expect(port).toBeGreaterThan(0);
    await server.close();
  });

  it('refuses to start on a port in use, naming the setting', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const address = holder.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const error = await new PgServer(options(port)).listen().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(
      `127.0.0.1:${port} (PostgreSQL wire protocol, TRIBUTARY_PG_PORT) is already in use`,
    );
    holder.close();
  });

  it('wants both TLS files or neither', () => {
    expect(() => new PgServer({ ...options(0), tlsCertFile: '/x.pem' })).toThrow(/set together/);
  });

  it('audits failed logins and refuses an address past its failures a minute (53400)', async () => {
    const events: AuditEvent[] = [];
    const server = new PgServer({
      ...options(0),
      auth: true,
      users: { getUser: () => undefined } as unknown as UserStore,
      audit: { record: (event: AuditEvent) => events.push(event) } as unknown as AuditLog,
      failedLoginsPerMinute: 2,
    });
    const port = await server.listen();
    try {
      const attempt = async () => {
        const c = new pg.Client({ host: '127.0.0.1', port, user: 'mallory', password: 'guess' });
        const error = (await c.connect().catch((e: unknown) => e)) as { code?: string; message?: string };
        await c.end().catch(() => undefined);
        return [error.code, error.message];
      };
      expect(await attempt()).toEqual(['28P01', 'password authentication failed for user "mallory"']);
      expect(await attempt()).toEqual(['28P01', 'password authentication failed for user "mallory"']);
      const [code, message] = await attempt();
      expect(code).toBe('53400');
      expect(message).toMatch(/^too many failed logins from 127\.0\.0\.1; retry in (59|60) s$/);
      expect(events).toEqual([
        {
          action: 'login',
          outcome: 'failed',
          details: { reason: 'unknown user', protocol: 'pgwire', address: '127.0.0.1' },
        },
        {
          action: 'login',
          outcome: 'failed',
          details: { reason: 'unknown user', protocol: 'pgwire', address: '127.0.0.1' },
        },
      ]);
    } finally {
      await server.close();
    }
  });
});
