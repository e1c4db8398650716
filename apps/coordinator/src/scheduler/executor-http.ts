import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';

/**
 * The coordinator's connections to executors for tasks: kept alive and reused (LIFO, so the
 * warmest socket goes first), so a task costs one request on an open connection, not a TCP
 * handshake. node:http rather than fetch: fetch's WHATWG request, response and body streams
 * cost a small query about as much CPU on the coordinator as everything else it does for
 * the task (measured with --cpu-prof, apps/coordinator/bench/small-query-latency.ts).
 */
const taskAgent = new Agent({ keepAlive: true, scheduling: 'lifo' });

/** A task request on its way: its response once the headers came, and a way to cut it off. */
export interface ExecutorExchange {
  readonly response: Promise<IncomingMessage>;
  /** Cuts the request and its response off (the executor sees its connection close). */
  destroy(): void;
}

/** POSTs a JSON body to an executor over a kept-alive connection. */
export function postToExecutor(url: URL, headers: Record<string, string>, body: string): ExecutorExchange {
  let outgoing: ClientRequest | undefined;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing = request(
      url,
      {
        method: 'POST',
        agent: taskAgent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (incoming) => {
        // Its failures reach whoever reads it (the iterator); one nobody reads must not crash us.
        incoming.on('error', () => undefined);
        resolve(incoming);
      },
    );
    // Every error (a second one after a cut too) is handled; only the first one counts.
    outgoing.on('error', reject);
    outgoing.end(body);
  });
  return {
    response,
    // A request whose response was read to its end went back to the pool: Node marks it
    // destroyed then, so this leaves the pooled socket alone.
    destroy: () => outgoing?.destroy(),
  };
}

/** A response body as text (an error answer's JSON). */
export async function responseText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
