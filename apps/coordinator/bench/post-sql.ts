import { Agent, request } from 'node:http';

/** How long a benchmark's query may go without a byte of its answer. */
const TIMEOUT_MS = 600_000;

/**
 * A benchmark's client: POSTs to `/api/v1/sql` over one kept-alive connection (node:http) and
 * reads the answer to its last byte. fetch (undici) cost the client about 1 ms more a query,
 * on the same cores as the service it measures; the answer is parsed only after the clock stops.
 */
export class SqlPoster {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  post(url: string, body: unknown): Promise<{ status: number; text: string; timing: string }> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const sent = request(
        `${url}/api/v1/sql`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              timing: String(response.headers['server-timing'] ?? ''),
            }),
          );
          response.on('error', reject);
        },
      );
      sent.on('error', reject);
      sent.setTimeout(TIMEOUT_MS, () => sent.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
      sent.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
