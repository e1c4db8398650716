import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tributary/common';
import type { UserStore } from '@tributary/catalog';
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
});
